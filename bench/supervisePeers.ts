import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { SETTINGS_FILE, SETTINGS_SCHEMA_VERSION } from '../src/main/core/settings/settingsStore'
import type { ProctorApi } from '../src/shared/contract'
import { connectToOwner, type OwnerConnection } from '../src/main/core/owner/controlClient'
import type { ProgramInput } from '../src/shared/supervisor/program'
import { settlesWithin, sleep } from './measure'

/**
 * The three supervisors of the supervise case behind one face: Proctor's
 * owner, PM2's daemon and supervisord, each a real process of its own with
 * its state in a temp folder, driven through its own programmatic
 * interface (Proctor's contract, PM2's API, supervisord's XML-RPC) so that
 * no command-line start-up is counted against any of them.
 */

export type Role = 'idle' | 'restart' | 'logs' | 'orphans' | 'orphansAsGroup'

export interface ProgramSpec {
  name: string
  role: Role
  /** Absolute command, then its arguments. */
  argv: [string, ...string[]]
}

export interface Peer {
  readonly name: 'proctor' | 'pm2' | 'supervisord'
  /** The daemon process whose CPU and memory are measured (valid after open). */
  readonly pid: number
  /** Starts the daemon with no program. */
  open(): Promise<void>
  /** Adds the programs (the idle ones started, the others only defined where the supervisor can). */
  add(specs: readonly ProgramSpec[]): Promise<void>
  /** Starts a defined program (PM2: adds and starts it). */
  start(name: string): Promise<void>
  /** Stops one program; resolves once the supervisor says it is stopped. */
  stop(name: string): Promise<void>
  /** Stops the given programs, as a user would stop them all at once. */
  stopAll(names: readonly string[]): Promise<void>
  /** Where a program's stdout goes. */
  logFile(name: string): string
  /** Stops the daemon (and so its programs); never leaves it behind. */
  close(): Promise<void>
  /** What the supervisor says of a program, for a diagnostic when a measurement fails. */
  describe(name: string): Promise<string>
}

const LOG_MAX_BYTES = 64 * 1024 * 1024

// ------------------------------------------------------------------ Proctor

/**
 * Proctor's owner: `proctor daemon --data-dir DIR` (the command line bundled
 * as the app ships it, run by plain Node) with PROCTOR_RUNTIME_DIR in a temp
 * folder, driven over its control socket by the contract's client.
 */
export class ProctorPeer implements Peer {
  readonly name = 'proctor'
  pid = 0
  private child: ChildProcessWithoutNullStreams | undefined
  private connection: OwnerConnection | undefined

  constructor(
    private readonly cli: string,
    private readonly dataDir: string,
    private readonly runtimeDir: string,
    private readonly log: (m: string) => void,
  ) {}

  async open(): Promise<void> {
    // Health checks and auto-restart on, at the default interval and thresholds.
    writeFileSync(
      join(this.dataDir, SETTINGS_FILE),
      JSON.stringify({ schemaVersion: SETTINGS_SCHEMA_VERSION, settings: { enableHealthChecks: true, enableAutoRestart: true } }),
    )
    const child = spawn(process.execPath, [this.cli, 'daemon', '--data-dir', this.dataDir], {
      env: { ...process.env, PROCTOR_RUNTIME_DIR: this.runtimeDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    this.child = child
    this.pid = child.pid!
    child.stdin.on('error', () => {})
    child.stderr.on('data', (d: Buffer) => this.log(d.toString().trimEnd()))
    // It says so on stdout once it listens.
    const listening = new Promise<void>((resolve, reject) => {
      child.once('exit', (code, signal) => reject(new Error(`proctor daemon exited (${signal ?? code})`)))
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.startsWith('proctor daemon:')) resolve()
        else this.log(line)
      })
    })
    if (!(await settlesWithin(listening, 30_000))) throw new Error('proctor daemon did not listen within 30 s')
    this.connection = await connectToOwner(this.runtimeDir, { client: 'bench supervise' })
  }

  private get calls(): ProctorApi {
    if (!this.connection) throw new Error('Proctor peer not open')
    return this.connection.api
  }

  async add(specs: readonly ProgramSpec[]): Promise<void> {
    await Promise.all(specs.map((s) => this.calls.addProgram({ program: proctorProgram(s), start: s.role === 'idle' })))
  }

  async start(name: string): Promise<void> {
    await this.calls.startProgram({ name, wait: 'spawned' })
  }

  async stop(name: string): Promise<void> {
    await this.calls.stopProgram({ name })
  }

  async stopAll(names: readonly string[]): Promise<void> {
    await Promise.all(names.map((name) => this.calls.stopProgram({ name })))
  }

  logFile(name: string): string {
    return join(this.dataDir, 'logs', `${name}.log`)
  }

  async describe(name: string): Promise<string> {
    const p = await this.calls.getProgram({ name })
    const moves = p.transitions.slice(-6).map((t) => `${new Date(t.at).toISOString().slice(11, 23)} ${t.from}->${t.to} (${t.reason})`)
    return `${p.state}, pid ${p.pid ?? '-'}; last moves: ${moves.join('; ')}`
  }

  /** SIGTERM: the daemon stops its programs and exits. */
  async close(): Promise<void> {
    this.connection?.close()
    this.connection = undefined
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((r) => child.once('exit', () => r()))
    child.kill('SIGTERM')
    if (!(await settlesWithin(exited, 20_000))) {
      this.log('proctor daemon did not exit within 20 s of SIGTERM: KILL')
      child.kill('SIGKILL')
      await exited
    }
  }

  /** Synchronous last resort. */
  kill(): void {
    this.child?.kill('SIGKILL')
  }
}

function proctorProgram(s: ProgramSpec): ProgramInput {
  const [command, ...args] = s.argv
  const base: ProgramInput = { name: s.name, command, args }
  switch (s.role) {
    case 'idle':
      return { ...base, health: { checks: [{ kind: 'alive' }] } }
    case 'restart':
      // Restarted at once, every time, with no backoff and no give-up.
      return { ...base, restart: 'always', restartDelayMs: 0, restartBackoffMultiplier: 1, maxRestartAttempts: 1000, stableMs: 0, startSeconds: 0 }
    case 'logs':
      return { ...base, restart: 'never', startSeconds: 0, logs: { maxBytes: LOG_MAX_BYTES, files: 2 } }
    case 'orphans':
    case 'orphansAsGroup':
      return { ...base, restart: 'never', startSeconds: 0 }
  }
}

// ---------------------------------------------------------------------- PM2

interface Pm2Api {
  connect(cb: (err?: Error) => void): void
  start(options: object, cb: (err?: Error) => void): void
  stop(name: string, cb: (err?: Error) => void): void
  delete(name: string, cb: (err?: Error) => void): void
  killDaemon(cb: (err?: Error) => void): void
  disconnect(): void
}

const pm2Call = (f: (cb: (err?: Error) => void) => void): Promise<void> =>
  new Promise((resolve, reject) => f((err) => (err ? reject(err instanceof Error ? err : new Error(JSON.stringify(err))) : resolve())))

/** PM2's daemon (God), PM2_HOME in a temp folder, through PM2's programmatic API (the npm package). */
export class Pm2Peer implements Peer {
  readonly name = 'pm2'
  pid = 0
  private pm2: Pm2Api | undefined
  private readonly specs = new Map<string, ProgramSpec>()
  private readonly started = new Set<string>()

  constructor(
    private readonly home: string,
    private readonly log: (m: string) => void,
  ) {}

  async open(): Promise<void> {
    // Read when the package loads: without it, loading PM2 creates ~/.pm2.
    process.env.PM2_HOME = this.home
    const PM2 = createRequire(import.meta.url)('pm2') as { custom: new (o: object) => Pm2Api }
    this.pm2 = new PM2.custom({ pm2_home: this.home, daemon_mode: true })
    await pm2Call((cb) => this.pm2!.connect(cb))
    this.pid = Number(readFileSync(join(this.home, 'pm2.pid'), 'utf8'))
  }

  private get api(): Pm2Api {
    if (!this.pm2) throw new Error('PM2 peer not open')
    return this.pm2
  }

  async add(specs: readonly ProgramSpec[]): Promise<void> {
    for (const s of specs) this.specs.set(s.name, s)
    // PM2 cannot define an app without starting it: the others start in start().
    await Promise.all(specs.filter((s) => s.role === 'idle').map((s) => this.start(s.name)))
  }

  async start(name: string): Promise<void> {
    const s = this.specs.get(name)
    if (!s) throw new Error(`pm2: no program ${name}`)
    const [script, ...args] = s.argv
    const options = {
      name,
      script,
      args,
      interpreter: 'none',
      output: this.logFile(name),
      error: join(this.home, 'logs', `${name}.err`),
      merge_logs: true,
      autorestart: s.role === 'idle' || s.role === 'restart',
      // Restarted at once, every time: no delay, and kills far apart enough not to count as unstable.
      // (100 ms is the least min_uptime PM2 takes.)
      ...(s.role === 'restart' ? { restart_delay: 0, min_uptime: 100, max_restarts: 1000 } : {}),
    }
    await pm2Call((cb) => this.api.start(options, cb))
    this.started.add(name)
  }

  async stop(name: string): Promise<void> {
    await pm2Call((cb) => this.api.stop(name, cb))
  }

  /** Apps other than `names` are deleted first (untimed by the caller), so that `pm2 stop all` stops just these. */
  async stopAll(names: readonly string[]): Promise<void> {
    await pm2Call((cb) => this.api.stop('all', cb))
    void names
  }

  /** Removes apps from PM2's list (stopping them if they run). */
  async remove(names: readonly string[]): Promise<void> {
    for (const name of names) {
      if (!this.started.has(name)) continue
      await pm2Call((cb) => this.api.delete(name, cb))
      this.started.delete(name)
    }
  }

  logFile(name: string): string {
    return join(this.home, 'logs', `${name}.out`)
  }

  async describe(name: string): Promise<string> {
    return `see ${join(this.home, 'pm2.log')} (${name})`
  }

  async close(): Promise<void> {
    if (!this.pm2) return
    try {
      if (!(await settlesWithin(pm2Call((cb) => this.api.killDaemon(cb)), 20_000))) this.log('pm2 killDaemon did not answer within 20 s')
    } catch (err) {
      this.log(`pm2 killDaemon: ${(err as Error).message}`)
    }
    this.api.disconnect()
    this.pm2 = undefined
    const deadline = performance.now() + 5000
    while (this.alive() && performance.now() < deadline) await sleep(50)
    this.kill()
  }

  private alive(): boolean {
    try {
      return this.pid > 0 && !readFileSync(`/proc/${this.pid}/stat`, 'latin1').includes(') Z')
    } catch {
      return false
    }
  }

  /** Synchronous last resort. */
  kill(): void {
    if (!this.alive()) return
    try {
      process.kill(this.pid, 'SIGKILL')
    } catch {
      // gone
    }
  }
}

// -------------------------------------------------------------- supervisord

/** supervisord in the foreground (-n) on a generated configuration, driven over its XML-RPC socket. */
export class SupervisordPeer implements Peer {
  readonly name = 'supervisord'
  pid = 0
  private child: ChildProcessWithoutNullStreams | undefined
  private readonly socket: string
  private readonly conf: string
  private readonly programsDir: string

  constructor(
    private readonly dir: string,
    private readonly log: (m: string) => void,
  ) {
    this.socket = join(dir, 's.sock')
    this.conf = join(dir, 'supervisord.conf')
    this.programsDir = join(dir, 'programs')
  }

  static installed(): boolean {
    return existsSync('/usr/bin/supervisord') || existsSync('/usr/local/bin/supervisord')
  }

  async open(): Promise<void> {
    mkdirSync(this.programsDir, { recursive: true })
    mkdirSync(join(this.dir, 'logs'), { recursive: true })
    writeFileSync(
      this.conf,
      [
        '[unix_http_server]',
        `file=${this.socket}`,
        '[supervisord]',
        `logfile=${join(this.dir, 'supervisord.log')}`,
        `pidfile=${join(this.dir, 'supervisord.pid')}`,
        `childlogdir=${join(this.dir, 'logs')}`,
        'nodaemon=true',
        '[rpcinterface:supervisor]',
        'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
        '[include]',
        `files = ${join(this.programsDir, '*.conf')}`,
        '',
      ].join('\n'),
    )
    const bin = existsSync('/usr/bin/supervisord') ? '/usr/bin/supervisord' : '/usr/local/bin/supervisord'
    const child = spawn(bin, ['-n', '-c', this.conf], { stdio: ['pipe', 'pipe', 'pipe'] })
    this.child = child
    this.pid = child.pid!
    child.stdin.on('error', () => {})
    // In the foreground it echoes its log: only errors are worth seeing (the warnings for root apart).
    const relay = (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        if (/ (ERRO|CRIT) /.test(line) && !/running as root|running without any HTTP authentication/.test(line)) this.log(line)
      }
    }
    child.stdout.on('data', relay)
    child.stderr.on('data', relay)
    const deadline = performance.now() + 15_000
    for (;;) {
      if (child.exitCode !== null) throw new Error(`supervisord exited (${child.exitCode})`)
      try {
        await this.rpc('supervisor.getState')
        return
      } catch (err) {
        if (performance.now() > deadline) throw new Error(`supervisord did not answer within 15 s: ${(err as Error).message}`, { cause: err })
        await sleep(50)
      }
    }
  }

  async add(specs: readonly ProgramSpec[]): Promise<void> {
    for (const s of specs) writeFileSync(join(this.programsDir, `${s.name}.conf`), this.section(s))
    // What `supervisorctl update` does: reread, then add each new group (autostart ones start).
    await this.rpc('supervisor.reloadConfig')
    for (const s of specs) await this.rpc('supervisor.addProcessGroup', s.name)
  }

  private section(s: ProgramSpec): string {
    const lines = [
      `[program:${s.name}]`,
      // Arguments here hold no spaces, quotes or %: joined as they are.
      `command=${s.argv.join(' ')}`,
      `autostart=${s.role === 'idle'}`,
      `autorestart=${s.role === 'idle' || s.role === 'restart'}`,
      `stdout_logfile=${this.logFile(s.name)}`,
      `stdout_logfile_maxbytes=${LOG_MAX_BYTES}`,
      `stderr_logfile=${join(this.dir, 'logs', `${s.name}.err`)}`,
    ]
    // Restarted every time: running at once (no startsecs to reach), never given up on.
    if (s.role !== 'idle') lines.push('startsecs=0', 'startretries=1000')
    if (s.role === 'orphansAsGroup') lines.push('stopasgroup=true', 'killasgroup=true')
    return `${lines.join('\n')}\n`
  }

  async start(name: string): Promise<void> {
    await this.rpc('supervisor.startProcess', name, false)
  }

  async stop(name: string): Promise<void> {
    await this.rpc('supervisor.stopProcess', name, true)
  }

  /** supervisorctl stop all: one stopAllProcesses call, waiting for every stop. */
  async stopAll(names: readonly string[]): Promise<void> {
    await this.rpc('supervisor.stopAllProcesses', true)
    void names
  }

  logFile(name: string): string {
    return join(this.dir, 'logs', `${name}.out`)
  }

  async describe(name: string): Promise<string> {
    const info = await this.rpc('supervisor.getProcessInfo', name)
    return /<name>statename<\/name>\s*<value><string>([^<]*)/.exec(info)?.[1] ?? info
  }

  async close(): Promise<void> {
    const child = this.child
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((r) => child.once('exit', () => r()))
    try {
      await this.rpc('supervisor.shutdown')
    } catch (err) {
      this.log(`supervisord shutdown: ${(err as Error).message}`)
    }
    if (!(await settlesWithin(exited, 30_000))) {
      this.log('supervisord did not exit within 30 s of shutdown: KILL')
      child.kill('SIGKILL')
      await exited
    }
  }

  /** Synchronous last resort. */
  kill(): void {
    this.child?.kill('SIGKILL')
  }

  /** One XML-RPC call over the unix socket; a fault is thrown with its message. */
  private rpc(method: string, ...params: Array<string | boolean>): Promise<string> {
    const value = (p: string | boolean) => (typeof p === 'boolean' ? `<boolean>${p ? 1 : 0}</boolean>` : `<string>${xmlEscape(p)}</string>`)
    const body =
      `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>` +
      params.map((p) => `<param><value>${value(p)}</value></param>`).join('') +
      '</params></methodCall>'
    return new Promise((resolve, reject) => {
      const req = request(
        { socketPath: this.socket, path: '/RPC2', method: 'POST', headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (d: string) => (text += d))
          res.on('end', () => {
            if (res.statusCode !== 200) reject(new Error(`${method}: HTTP ${res.statusCode}`))
            else if (text.includes('<fault>')) reject(new Error(`${method}: ${/<name>faultString<\/name>\s*<value><string>([^<]*)/.exec(text)?.[1] ?? text}`))
            else resolve(text)
          })
        },
      )
      req.on('error', reject)
      req.end(body)
    })
  }
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
