import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { expect, type Locator, type Page } from '@playwright/test'
import { ROOT } from './host'

/** The IPC page's parts, found by role and name, and a real client process to connect. */

export const connectionsTable = (page: Page): Locator => page.getByRole('table', { name: 'IPC connections' })
export const connectionRow = (page: Page, name: string): Locator => connectionsTable(page).getByRole('row').filter({ hasText: name })
export const messageLog = (page: Page): Locator => page.getByRole('log', { name: 'IPC messages' })
export const consoleResults = (page: Page): Locator => page.getByRole('list', { name: 'Results' })

export interface IpcClient {
  pid: number
  child: ChildProcess
  /** Everything it printed so far. */
  output(): string
  /** Hands it the socket and token; resolves with its endpoint id once it is connected. */
  connect(socket: string, token: string): Promise<string>
  stop(): Promise<void>
}

const TSX = join(ROOT, 'node_modules/.bin/tsx')

/** Starts test/e2e/ipcClient.ts (the client module in a process of its own, heartbeating every `heartbeatMs`); resolves once it printed its pid. */
export async function startIpcClient(heartbeatMs = 250): Promise<IpcClient> {
  const child = spawn(TSX, [join(ROOT, 'test/e2e/ipcClient.ts'), String(heartbeatMs)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], detached: true })
  let out = ''
  child.stdout!.setEncoding('utf8')
  child.stdout!.on('data', (chunk: string) => (out += chunk))
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => (out += chunk))
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  const waitFor = async (pattern: RegExp, what: string): Promise<RegExpExecArray> => {
    let m: RegExpExecArray | null = null
    await expect.poll(() => (m = pattern.exec(out)) !== null, { message: `the IPC client ${what}; it printed: ${out}`, timeout: 15_000 }).toBe(true)
    return m!
  }
  const pid = Number((await waitFor(/^pid (\d+)$/m, 'printed no pid'))[1])
  return {
    pid,
    child,
    output: () => out,
    connect: async (socket, token) => {
      child.stdin!.write(`${JSON.stringify({ socket, token })}\n`)
      return (await waitFor(/^connected (\S+)$/m, 'did not connect'))[1]!
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // Gone already.
      }
      await exited
    },
  }
}

/** Registers a pid through the page's dialog; returns the socket and token it showed (from its environment lines). */
export async function registerFromPage(page: Page, pid: number, name: string): Promise<{ id: string; socket: string; token: string }> {
  await page.getByRole('button', { name: 'Register a process…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Register a process for IPC' })
  await dialog.getByLabel('Process ID').fill(String(pid))
  await dialog.getByLabel('Name (optional)').fill(name)
  await dialog.getByRole('button', { name: 'Register', exact: true }).click()
  const done = page.getByRole('dialog', { name: new RegExp(`^${name} registered as `) })
  const title = (await done.getByRole('heading').textContent()) ?? ''
  const env = await done.getByLabel('Environment').inputValue()
  await done.getByRole('button', { name: 'Done' }).click()
  await expect(done).toBeHidden()
  return { id: / as (\S+)$/.exec(title)![1]!, socket: envValue(env, 'PROCTOR_IPC_SOCKET'), token: envValue(env, 'PROCTOR_IPC_TOKEN') }
}

function envValue(env: string, name: string): string {
  const raw = new RegExp(`^${name}=(.*)$`, 'm').exec(env)?.[1] ?? ''
  return raw.startsWith("'") ? raw.slice(1, -1).replace(/'\\''/g, "'") : raw
}
