import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { ProctorApi } from '../../shared/contract'
import { ProctorError } from '../../shared/errors'
import { RESTART_POLICIES, type ProgramInput, type RestartPolicy } from '../../shared/supervisor/program'
import type { ProgramLogLine } from '../../shared/supervisor/status'
import { COMMON, intArg, parse, UsageError } from './args'
import { exportProgram, importPrograms } from './ecosystem'
import { dataDirOf, ownerFor } from './owner'
import { formatDraft, formatLogLine, formatProgramDetail, formatProgramTable, formatStatusLine, formatStop } from './programsFormat'

/**
 * `proctor programs ...`, `proctor logs NAME`, `proctor adopt PID`: the
 * supervisor, always through the owner (the desktop app or `proctor
 * daemon`) over its control socket. Exit 0 done, 1 refused or failed (the
 * code and the reason on stderr; no owner says how to start one), 2 usage.
 */

export const PROGRAM_VERBS = ['list', 'show', 'add', 'edit', 'start', 'stop', 'restart', 'remove', 'enable', 'disable', 'export', 'import'] as const

/** The owner's global switches, by the names `programs enable|disable` takes. */
const SWITCHES = { 'health-checks': 'enableHealthChecks', 'auto-restart': 'enableAutoRestart' } as const
type Verb = (typeof PROGRAM_VERBS)[number]

export const OWNER_FLAGS = { ...COMMON, json: { type: 'boolean' }, 'start-daemon': { type: 'boolean' } } as const

/** Runs `body` against the owner; the owner's refusals become exit codes. */
export async function withOwner(values: { 'data-dir'?: string; 'start-daemon'?: boolean }, command: string, body: (api: ProctorApi) => Promise<number>): Promise<number> {
  let connection
  try {
    connection = await ownerFor(dataDirOf(values['data-dir']), { startDaemon: values['start-daemon'] === true, command })
    return await body(connection.api)
  } catch (err) {
    if (!(err instanceof ProctorError)) throw err
    process.stderr.write(`proctor: ${err.code}: ${err.message}\n`)
    // The owner refused the arguments (a field of a program, a name): the user's input, as a usage error is.
    return err.code === 'INVALID_ARGUMENT' ? 2 : 1
  } finally {
    connection?.close()
  }
}

export function out(json: boolean | undefined, value: unknown, text: () => string): void {
  process.stdout.write(`${json ? JSON.stringify(value) : text()}\n`)
}

function nameArg(positionals: string[], verb: string): string {
  const name = positionals[0]
  if (name === undefined) throw new UsageError(`programs ${verb}: which program? give its NAME`)
  return name
}

export async function programs(args: string[]): Promise<number> {
  const [verb, ...rest] = args
  if (verb === undefined) throw new UsageError('programs: give a verb: list, show, add, edit, start, stop, restart, remove, enable, disable, export or import')
  if (!(PROGRAM_VERBS as readonly string[]).includes(verb)) throw new UsageError(`programs: unknown verb ${JSON.stringify(verb)}`)
  switch (verb as Verb) {
    case 'list': {
      const { values } = parse(() => parseArgs({ args: rest, strict: true, options: OWNER_FLAGS }))
      return withOwner(values, 'programs list', async (api) => {
        const overview = await api.listPrograms()
        out(values.json, overview, () => formatProgramTable(overview))
        return 0
      })
    }
    case 'show': {
      const { values, positionals } = parse(() => parseArgs({ args: rest, strict: true, allowPositionals: true, options: OWNER_FLAGS }), 1)
      const name = nameArg(positionals, 'show')
      return withOwner(values, 'programs show', async (api) => {
        const detail = await api.getProgram({ name })
        out(values.json, detail, () => formatProgramDetail(detail))
        return 0
      })
    }
    case 'enable':
    case 'disable': {
      const { values, positionals } = parse(() => parseArgs({ args: rest, strict: true, allowPositionals: true, options: OWNER_FLAGS }), 1)
      const which = positionals[0]
      if (which !== 'health-checks' && which !== 'auto-restart') {
        throw new UsageError(`programs ${verb}: give health-checks or auto-restart${which === undefined ? '' : `, not ${JSON.stringify(which)}`}`)
      }
      const on = verb === 'enable'
      return withOwner(values, `programs ${verb}`, async (api) => {
        const settings = await api.updateSettings({ [SWITCHES[which]]: on })
        out(values.json, { [SWITCHES[which]]: settings[SWITCHES[which]] }, () => `${which === 'health-checks' ? 'health checks' : 'automatic restarts'} are ${on ? 'on' : 'off'}`)
        return 0
      })
    }
    case 'add':
      return add(rest)
    case 'export':
      return exportProgram(rest)
    case 'import':
      return importPrograms(rest)
    case 'edit':
      return edit(rest)
    case 'start': {
      const options = { ...OWNER_FLAGS, wait: { type: 'boolean' } } as const
      const { values, positionals } = parse(() => parseArgs({ args: rest, strict: true, allowPositionals: true, options }), 1)
      const name = nameArg(positionals, 'start')
      return withOwner(values, 'programs start', async (api) => {
        const status = await api.startProgram({ name, wait: values.wait ? 'ready' : 'spawned' })
        out(values.json, status, () => formatStatusLine('started', status))
        return 0
      })
    }
    case 'stop':
    case 'restart':
    case 'remove': {
      const { values, positionals } = parse(() => parseArgs({ args: rest, strict: true, allowPositionals: true, options: OWNER_FLAGS }), 1)
      const name = nameArg(positionals, verb)
      return withOwner(values, `programs ${verb}`, async (api) => {
        if (verb === 'stop') {
          const report = await api.stopProgram({ name })
          out(values.json, report, () => formatStop(report))
        } else if (verb === 'restart') {
          const status = await api.restartProgram({ name })
          out(values.json, status, () => formatStatusLine('restarted', status))
        } else {
          const removed = await api.removeProgram({ name })
          out(values.json, removed, () => `removed ${removed.removed}${removed.stop ? `; ${formatStop(removed.stop)}` : ''}`)
        }
        return 0
      })
    }
  }
}

/** `programs add NAME [options] -- COMMAND ARGS...`: the program's own arguments after `--`, never read as Proctor's. */
async function add(args: string[]): Promise<number> {
  const dash = args.indexOf('--')
  const own = dash < 0 ? args : args.slice(0, dash)
  const argv = dash < 0 ? [] : args.slice(dash + 1)
  const options = {
    ...OWNER_FLAGS,
    cwd: { type: 'string' },
    env: { type: 'string', multiple: true },
    autostart: { type: 'boolean' },
    restart: { type: 'string' },
    shell: { type: 'boolean' },
    start: { type: 'boolean' },
  } as const
  const { values, positionals } = parse(() => parseArgs({ args: own, strict: true, allowPositionals: true, options }), 1)
  const name = nameArg(positionals, 'add')
  const [command, ...programArgs] = argv
  if (command === undefined) throw new UsageError('programs add: give the command after `--`, e.g. programs add web -- node server.js --port 8080')
  const restart = values.restart
  if (restart !== undefined && !(RESTART_POLICIES as readonly string[]).includes(restart)) {
    throw new UsageError(`--restart takes ${RESTART_POLICIES.join(', ')}, got ${JSON.stringify(restart)}`)
  }
  const vars: Record<string, string> = {}
  for (const pair of values.env ?? []) {
    const at = pair.indexOf('=')
    if (at <= 0) throw new UsageError(`--env takes NAME=VALUE, got ${JSON.stringify(pair)}`)
    vars[pair.slice(0, at)] = pair.slice(at + 1)
  }
  const program: ProgramInput = {
    name,
    command,
    args: programArgs,
    // Relative to where the command is typed, as a user means it; the owner needs an absolute path.
    cwd: resolve(values.cwd ?? process.cwd()),
    ...(Object.keys(vars).length > 0 ? { env: { vars } } : {}),
    ...(values.autostart ? { autostart: true } : {}),
    ...(restart !== undefined ? { restart: restart as RestartPolicy } : {}),
    ...(values.shell ? { shell: true } : {}),
  }
  return withOwner(values, 'programs add', async (api) => {
    const status = await api.addProgram({ program, start: values.start === true })
    out(values.json, status, () => formatStatusLine('added', status))
    return 0
  })
}

/** `programs edit NAME --set field=JSON ...`: a value that is not JSON is taken as a string (`--set cwd=/srv/app`). */
async function edit(args: string[]): Promise<number> {
  const options = { ...OWNER_FLAGS, set: { type: 'string', multiple: true } } as const
  const { values, positionals } = parse(() => parseArgs({ args, strict: true, allowPositionals: true, options }), 1)
  const name = nameArg(positionals, 'edit')
  const changes: Record<string, unknown> = {}
  for (const pair of values.set ?? []) {
    const at = pair.indexOf('=')
    if (at <= 0) throw new UsageError(`--set takes field=VALUE (VALUE as JSON, or a plain string), got ${JSON.stringify(pair)}`)
    const text = pair.slice(at + 1)
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      value = text
    }
    changes[pair.slice(0, at)] = value
  }
  if (Object.keys(changes).length === 0) throw new UsageError('programs edit: say what changes with --set field=VALUE (e.g. --set restart=always --set \'args=["-v"]\')')
  return withOwner(values, 'programs edit', async (api) => {
    const status = await api.editProgram({ name, changes })
    out(values.json, status, () => formatStatusLine('edited', status))
    return 0
  })
}

/** `proctor logs NAME [--follow] [--lines N] [--stream stdout|stderr]`. */
export async function logs(args: string[]): Promise<number> {
  const options = { ...OWNER_FLAGS, follow: { type: 'boolean' }, lines: { type: 'string' }, stream: { type: 'string' } } as const
  const { values, positionals } = parse(() => parseArgs({ args, strict: true, allowPositionals: true, options }), 1)
  const name = positionals[0]
  if (name === undefined) throw new UsageError('logs: whose? give the program NAME')
  const lines = values.lines === undefined ? 200 : intArg(values.lines, '--lines', 1, 100_000)
  const stream = values.stream ?? 'both'
  if (stream !== 'stdout' && stream !== 'stderr' && stream !== 'both') throw new UsageError(`--stream takes stdout or stderr, got ${JSON.stringify(stream)}`)
  const wanted = (l: ProgramLogLine) => stream === 'both' || l.stream === stream
  return withOwner(values, 'logs', async (api) => {
    const recent = await api.getProgramLogs({ name, lines, stream })
    if (values.json && !values.follow) {
      out(true, recent, () => '')
      return 0
    }
    const print = (l: ProgramLogLine) => process.stdout.write(`${values.json ? JSON.stringify(l) : formatLogLine(l)}\n`)
    recent.lines.forEach(print)
    if (recent.fileError) process.stderr.write(`proctor: the log file ${recent.file} cannot be written: ${recent.fileError}\n`)
    if (recent.dropped > 0) process.stderr.write(`proctor: ${recent.dropped} lines did not reach the log files\n`)
    if (!values.follow) return 0
    // Until interrupted, or until the owner goes away or the program is removed.
    return new Promise<number>((done) => {
      const stop = api.subscribeToProgramLogs(
        { name },
        (batch) => batch.filter(wanted).forEach(print),
        (err) => {
          process.stderr.write(`proctor: ${err instanceof ProctorError ? `${err.code}: ` : ''}${err.message}\n`)
          done(1)
        },
      )
      const end = () => {
        stop()
        done(0)
      }
      process.once('SIGINT', end)
      process.once('SIGTERM', end)
    })
  })
}

/** `proctor adopt PID [--name N] [--yes]`: a running process made a program (stopped, then started under Proctor). */
export async function adopt(args: string[]): Promise<number> {
  const options = { ...OWNER_FLAGS, name: { type: 'string' }, yes: { type: 'boolean' }, 'start-time': { type: 'string' } } as const
  const { values, positionals } = parse(() => parseArgs({ args, strict: true, allowPositionals: true, options }), 1)
  if (positionals[0] === undefined) throw new UsageError('adopt: which process? give its PID')
  const pid = intArg(positionals[0], 'PID', 1, 2 ** 31)
  const startTime = values['start-time'] === undefined ? undefined : intArg(values['start-time'], '--start-time', 0, Number.MAX_SAFE_INTEGER)
  return withOwner(values, 'adopt', async (api) => {
    const draft = await api.draftAdoption(startTime === undefined ? { pid } : { pid, startTime })
    if (values.name !== undefined) draft.program = { ...draft.program, name: values.name }
    if (!values.yes) {
      out(values.json, { draft, adopted: false }, () =>
        [
          formatDraft(draft),
          `Adopting stops pid ${draft.pid} (TERM, then KILL after 5 s) and starts this command as program ${draft.program.name} under Proctor.`,
          `Nothing was done: run again with --yes to adopt it (proctor adopt ${draft.pid} --start-time ${draft.startTime}${values.name !== undefined ? ` --name ${values.name}` : ''} --yes).`,
        ].join('\n'),
      )
      return 0
    }
    const status = await api.adoptProcess({ pid: draft.pid, startTime: draft.startTime, program: draft.program })
    out(values.json, { draft, adopted: true, status }, () => `${formatDraft(draft)}\n${formatStatusLine('adopted', status)}`)
    return 0
  })
}
