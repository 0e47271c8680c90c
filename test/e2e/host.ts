import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import WebSocket from 'ws'
import { apiSubprotocols } from '../../src/shared/rpc/protocol'
import type { SocketLike } from '../../src/shared/rpc/wsClient'

/** Starts the real headless host (`proctor serve`) as a child process and stops it. */

export const ROOT = resolve(__dirname, '../..')
const TSX = join(ROOT, 'node_modules/.bin/tsx')
const CLI = join(ROOT, 'src/main/cli/main.ts')
const SUPERVISED = join(ROOT, 'test/e2e/supervisedServe.ts')
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 5_000

export interface RunningHost {
  /** The URL `proctor serve` printed, the token in its fragment. */
  url: string
  /** http://127.0.0.1:PORT */
  origin: string
  port: number
  token: string
  /** The PROCTOR_DATA_DIR the host uses (a fresh temp folder). */
  dataDir: string
  /** Everything the host wrote to stderr so far. */
  stderr(): string
  stop(): Promise<void>
}

export interface HostOptions {
  port?: number
  /** Reuse a data folder (for a restart); by default a new temp folder, removed on stop. */
  dataDir?: string
  /** A fixed token (PROCTOR_TOKEN), so a page stays valid across a restart; by default a fresh one. */
  token?: string
  /** --max-connections */
  maxConnections?: number
  /**
   * `proctor serve` owns the real supervisor. Instead, a host of the tests
   * (test/e2e/supervisedServe.ts) with 'none' (no owner: every supervisor
   * call UNAVAILABLE) or 'fake' (a stand-in with programs in every state).
   */
  supervisor?: 'none' | 'fake'
}

export async function startHost(options: HostOptions = {}): Promise<RunningHost> {
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) {
    throw new Error('No built renderer in out/renderer: run `npx electron-vite build` before the e2e tests.')
  }
  const ownDataDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'proctor-e2e-data-'))
  // Its own process group, so stop() reaches tsx and the node process it starts.
  const args = options.supervisor ? [SUPERVISED, '--port', String(options.port ?? 0)] : [CLI, 'serve', '--port', String(options.port ?? 0)]
  if (options.maxConnections !== undefined) args.push('--max-connections', String(options.maxConnections))
  const env: NodeJS.ProcessEnv = { ...process.env, PROCTOR_DATA_DIR: dataDir }
  if (options.supervisor) env.PROCTOR_E2E_SUPERVISOR = options.supervisor
  if (options.token !== undefined) env.PROCTOR_TOKEN = options.token
  else delete env.PROCTOR_TOKEN
  const child = spawn(TSX, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<void>((done) => child.once('exit', () => done()))

  let url: string
  try {
    url = await firstLine(child, START_TIMEOUT_MS, () => stderr)
  } catch (err) {
    await stopGroup(child, exited)
    if (ownDataDir) rmSync(dataDir, { recursive: true, force: true })
    throw err
  }
  const parsed = new URL(url)
  let stopped: Promise<void> | undefined
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '',
    dataDir,
    stderr: () => stderr,
    stop: () =>
      (stopped ??= stopGroup(child, exited).then(() => {
        if (ownDataDir) rmSync(dataDir, { recursive: true, force: true })
      })),
  }
}

/** A socket to the host's API as a page of its own would open one: the token as a subprotocol, the host's Origin. */
export function apiSocket(host: RunningHost): SocketLike {
  return new WebSocket(`ws://127.0.0.1:${host.port}/api`, apiSubprotocols(host.token), { headers: { origin: host.origin } }) as unknown as SocketLike
}

function firstLine(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<string> {
  return new Promise((resolveLine, reject) => {
    let out = ''
    const fail = (why: string) => {
      cleanup()
      reject(new Error(`proctor serve ${why}.\nstdout: ${out}\nstderr: ${stderr()}`))
    }
    const timer = setTimeout(() => fail(`printed no URL within ${timeoutMs} ms`), timeoutMs)
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8')
      const nl = out.indexOf('\n')
      if (nl < 0) return
      const line = out.slice(0, nl).trim()
      cleanup()
      if (/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]+$/.test(line)) resolveLine(line)
      else reject(new Error(`proctor serve printed an unexpected first line: ${JSON.stringify(line)}\nstderr: ${stderr()}`))
    }
    const onExit = (code: number | null, signal: string | null) => fail(`exited early (code ${code}, signal ${signal})`)
    const cleanup = () => {
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.off('exit', onExit)
    }
    child.stdout?.on('data', onData)
    child.once('exit', onExit)
  })
}

async function stopGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal)
    } catch {
      // Already gone.
    }
  }
  signalGroup('SIGTERM')
  const timedOut = await Promise.race([exited.then(() => false), delay(STOP_TIMEOUT_MS).then(() => true)])
  if (timedOut) {
    signalGroup('SIGKILL')
    await exited
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms).unref())
}
