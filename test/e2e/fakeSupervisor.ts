import { spawn, type ChildProcess } from 'node:child_process'
import { ProctorError } from '../../src/shared/errors'
import { parseProgram, type Program } from '../../src/shared/supervisor/program'
import type { ProgramLogLine, ProgramsOverview, ProgramStatus } from '../../src/shared/supervisor/status'
import type { SupervisorSlice } from '../../src/main/core/supervisor/slice'

/**
 * A stand-in supervisor for the screenshots: programs in every state worth
 * seeing (running with real `sleep` processes, so the process page shows
 * its managed badge; backoff counting down; fatal), with log lines. Not a
 * supervisor: starting and stopping only flip states. Lives under test/,
 * never in shipped code.
 */
export class FakeSupervisor implements SupervisorSlice {
  private readonly programs = new Map<string, ProgramStatus>()
  private readonly logs = new Map<string, ProgramLogLine[]>()
  private readonly children: ChildProcess[] = []
  private readonly timers: Array<ReturnType<typeof setInterval>> = []
  private readonly listeners = new Set<(o: ProgramsOverview) => void>()
  private readonly logListeners = new Map<string, Set<(lines: ProgramLogLine[]) => void>>()
  private readonly since = Date.now()

  constructor() {
    const now = Date.now()
    const web = this.sleeper()
    const db = this.sleeper()
    this.put(program({ name: 'web', command: 'node', args: ['server.js', '--port', '8080'], cwd: '/srv/web', restart: 'always', tags: ['web'], health: { checks: [{ kind: 'http', url: 'http://127.0.0.1:8080/health' }] } }), {
      state: 'running', since: now - 3_723_000, pid: web.pid!, pids: [web.pid!], cpu: 2.4, memory: 87 * 2 ** 20, lastStartAt: now - 3_725_000,
      health: { status: 'off', results: [] },
    })
    this.put(program({ name: 'db-backup', command: 'pg_dump', args: ['app'], restart: 'on-failure' }), {
      state: 'running', since: now - 42_000, pid: db.pid!, pids: [db.pid!], cpu: 31.5, memory: 412 * 2 ** 20, restarts: 1, totalRestarts: 3, lastStartAt: now - 43_000,
      health: { status: 'none', results: [] },
    })
    this.put(program({ name: 'worker', command: 'python3', args: ['-m', 'worker'], restart: 'on-failure', tags: ['queue'] }), {
      state: 'backoff', since: now - 2_000, reason: 'exited with code 1 after 0.4 s; restart 3 of 3', restarts: 3, totalRestarts: 7, nextRestartAt: now + 40_000,
      lastExit: { code: 1, signal: null, uptimeMs: 400, at: now - 2_000 }, health: { status: 'none', results: [] },
    })
    this.put(program({ name: 'api', command: '/opt/api/bin/api', restart: 'always', health: { checks: [{ kind: 'tcp', port: 9000 }, { kind: 'memory', maxBytes: 2 ** 30 }] } }), {
      state: 'fatal', since: now - 600_000, reason: 'exited 4 times within 30 s (crash loop): gave up; start it again once fixed', restarts: 4, totalRestarts: 4,
      lastExit: { code: 2, signal: null, uptimeMs: 150, at: now - 600_000 }, health: { status: 'off', results: [] },
    })
    this.put(program({ name: 'nightly-report', command: './report.sh', shell: true, restart: 'never' }), { state: 'stopped', since: now - 7_200_000, reason: 'stopped by the user' })

    for (const name of this.programs.keys()) this.logs.set(name, [])
    const start = now - 60_000
    for (let i = 0; i < 300; i++) {
      const at = start + i * 200
      if (i === 150) this.log('web', { at, stream: 'stdout', text: '[proctor] started: node server.js --port 8080' })
      this.log('web', { at, stream: i % 17 === 5 ? 'stderr' : 'stdout', text: i % 17 === 5 ? `warn: slow query (${120 + i} ms) GET /api/items?page=${i}` : `GET /api/items?page=${i} 200 ${3 + (i % 9)} ms` })
    }
    for (let i = 0; i < 12; i++) this.log('api', { at: start + i * 1000, stream: 'stderr', text: i % 3 === 2 ? 'Error: listen EADDRINUSE: address already in use :::9000' : `api v2.3.1 starting (attempt ${Math.floor(i / 3) + 1})` })
    for (let i = 0; i < 8; i++) this.log('worker', { at: start + i * 5000, stream: i % 2 ? 'stderr' : 'stdout', text: i % 2 ? 'Traceback (most recent call last): ConnectionRefusedError: [Errno 111]' : 'worker: connecting to redis://127.0.0.1:6379' })
    this.timers.push(
      setInterval(() => {
        const at = Date.now()
        this.log('web', { at, stream: 'stdout', text: `GET /api/items?page=${at % 1000} 200 4 ms` })
        this.emit()
      }, 1000),
    )
  }

  readonly handlers: SupervisorSlice['handlers'] = {
    listPrograms: () => this.overview(),
    getProgram: ({ name }) => ({ ...this.get(name), transitions: [] }),
    addProgram: ({ program: input, start }) => {
      const p = parseProgram(input)
      if (this.programs.has(p.name)) throw new ProctorError('INVALID_ARGUMENT', `program: name: "${p.name}" exists`, { issues: [{ path: ['program', 'name'], message: `a program named "${p.name}" exists` }] })
      this.put(p, start ? { state: 'running', since: Date.now(), lastStartAt: Date.now() } : {})
      this.logs.set(p.name, [])
      this.emit()
      return this.get(p.name)
    },
    editProgram: ({ name, changes }) => {
      const s = this.get(name)
      s.program = parseProgram({ ...s.program, ...changes })
      this.emit()
      return s
    },
    removeProgram: ({ name }) => {
      this.get(name)
      this.programs.delete(name)
      this.emit()
      return { removed: name }
    },
    startProgram: ({ name }) => this.move(name, { state: 'running', since: Date.now(), lastStartAt: Date.now(), reason: 'started by the user' }),
    stopProgram: ({ name }) => {
      this.move(name, { state: 'stopped', since: Date.now(), reason: 'stopped by the user', pids: [] })
      return { name, graceful: true, outsideGroup: [], durationMs: 12, dependents: [] }
    },
    restartProgram: ({ name }) => this.move(name, { state: 'running', since: Date.now(), lastStartAt: Date.now(), reason: 'restarted by the user' }),
    getProgramLogs: ({ name, lines }) => {
      const { lastStartAt } = this.get(name)
      return { name, lines: (this.logs.get(name) ?? []).slice(-lines), file: `/var/lib/proctor/logs/${name}.log`, dropped: 0, ...(lastStartAt !== undefined ? { lastStartAt } : {}) }
    },
    draftAdoption: ({ pid, startTime }) => ({ pid, startTime: startTime ?? 0, program: program({ name: `adopted-${pid}`, command: 'sleep', args: ['1000'] }), unreadable: [] }),
    adoptProcess: ({ program: input }) => this.handlers.addProgram({ program: input, start: true }, undefined as never) as ProgramStatus,
  }

  readonly streams: SupervisorSlice['streams'] = {
    subscribeToPrograms: (_params, sink) => {
      const listener = (o: ProgramsOverview) => sink.next(o)
      this.listeners.add(listener)
      listener(this.overview())
      return () => this.listeners.delete(listener)
    },
    subscribeToProgramLogs: ({ name }, sink) => {
      const set = this.logListeners.get(name) ?? new Set()
      this.logListeners.set(name, set)
      const listener = (lines: ProgramLogLine[]) => sink.next(lines)
      set.add(listener)
      return () => set.delete(listener)
    },
  }

  close(): void {
    for (const t of this.timers) clearInterval(t)
    for (const c of this.children) c.kill('SIGKILL')
  }

  private sleeper(): ChildProcess {
    const child = spawn('sleep', ['1000'], { stdio: 'ignore' })
    this.children.push(child)
    return child
  }

  private put(p: Program, over: Partial<ProgramStatus>): void {
    this.programs.set(p.name, {
      name: p.name, program: p, state: 'stopped', since: Date.now(), reason: '', descendants: 0, pids: [], restarts: 0, totalRestarts: 0,
      health: { status: p.health.checks.length ? 'off' : 'none', results: [] }, ...over,
    })
  }

  private get(name: string): ProgramStatus {
    const s = this.programs.get(name)
    if (!s) throw new ProctorError('NOT_FOUND', `no program named "${name}"`)
    return s
  }

  private move(name: string, over: Partial<ProgramStatus>): ProgramStatus {
    Object.assign(this.get(name), over)
    this.emit()
    return this.get(name)
  }

  private log(name: string, line: ProgramLogLine): void {
    this.logs.get(name)?.push(line)
    for (const l of this.logListeners.get(name) ?? []) l([line])
  }

  private overview(): ProgramsOverview {
    return {
      programs: [...this.programs.values()],
      owner: { kind: 'daemon', pid: process.pid, since: this.since, socket: '/run/user/1000/proctor/control.sock', local: true },
      healthChecks: false,
      autoRestart: false,
      ipc: false,
      notices: [],
    }
  }

  private emit(): void {
    const o = this.overview()
    for (const l of this.listeners) l(o)
  }
}

function program(input: Record<string, unknown>): Program {
  return parseProgram(input)
}
