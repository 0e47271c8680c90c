import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'

const SCRIPT = resolve(__dirname, '../fixtures/scripts/portHolder.ts')

export interface ServerPorts {
  tcp4: number
  tcp6: number
  udp4: number
  udp6: number
}

export interface Holder<T> {
  child: ChildProcess
  pid: number
  info: T
  /** The next line the holder prints (after `close`: 'closed'). */
  nextLine(): Promise<string>
}

const live = new Set<ChildProcess>()

/** Runs test/fixtures/scripts/portHolder.ts and waits for the JSON line saying what it holds. */
async function start<T>(args: string[]): Promise<Holder<T>> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
  live.add(child)
  child.once('exit', () => live.delete(child))
  const lines: string[] = []
  const waiting: ((line: string) => void)[] = []
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const w = waiting.shift()
    if (w) w(line)
    else lines.push(line)
  })
  const nextLine = () =>
    new Promise<string>((resolveLine, reject) => {
      const line = lines.shift()
      if (line !== undefined) return resolveLine(line)
      waiting.push(resolveLine)
      child.once('exit', (code) => reject(new Error(`the port holder exited (${code}) before printing`)))
    })
  const info = JSON.parse(await nextLine()) as T
  return { child, pid: child.pid!, info, nextLine }
}

/** A server holding TCP listeners on 127.0.0.1 and ::1 and UDP sockets on both, on ephemeral ports. */
export const startServer = (): Promise<Holder<ServerPorts>> => start<ServerPorts>(['serve'])

/** A client holding a TCP connection to 127.0.0.1:port. */
export const startClient = (port: number): Promise<Holder<{ local: number }>> => start<{ local: number }>(['connect', String(port)])

export function stopHolders(): void {
  for (const child of live) child.kill('SIGKILL')
  live.clear()
}

process.once('exit', stopHolders)
