import type { ActionReport, ActionResult, AuditEntry } from '../../shared/types/control'
import { describeCaller } from '../../shared/types/caller'
import { ProctorError } from '../../shared/errors'
import { parseArgs } from 'node:util'
import { cliApi, COMMON, engineFor, intArg, numbersAsValues, parse, UsageError } from './args'

/**
 * `proctor kill|terminate|suspend|resume|renice PID ...`: the engine's
 * process actions. Exit 0 when every target succeeded, 1 when one was
 * refused or failed (the reason and its code on stderr).
 */

export const CONTROL_COMMANDS = ['kill', 'terminate', 'suspend', 'resume', 'renice'] as const
export type ControlCommand = (typeof CONTROL_COMMANDS)[number]

const common = {
  ...COMMON,
  'start-time': { type: 'string' },
  tree: { type: 'boolean' },
  elevate: { type: 'boolean' },
  json: { type: 'boolean' },
} as const

export async function control(command: ControlCommand, args: string[]): Promise<number> {
  // Each verb takes only its own flags: --signal is kill's, --grace is terminate's.
  const options =
    command === 'kill'
      ? { ...common, signal: { type: 'string' } as const }
      : command === 'terminate'
        ? { ...common, grace: { type: 'string' } as const }
        : common
  if (command === 'kill') {
    // kill(1)'s habit, `kill -9 PID`: say how it is written here rather than "unexpected argument".
    const habit = args.find((a, i) => /^-(\d+|[A-Z][A-Z0-9+-]*)$/.test(a) && args[i - 1] !== '--signal')
    if (habit !== undefined) throw new UsageError(`kill: give the signal as --signal NAME (such as --signal KILL or --signal HUP), not ${habit}`)
  }
  const { values, positionals } = parse(
    () =>
      parseArgs({
        // `renice 4242 -5`: a negative number is a value, not an option.
        args: numbersAsValues(args, options),
        strict: true,
        allowPositionals: true,
        options: options as typeof common & { signal: { type: 'string' }; grace: { type: 'string' } },
      }),
    command === 'renice' ? 2 : 1,
  )
  if (positionals.length === 0) throw new UsageError(`${command}: which process? give its PID`)
  if (values.signal?.startsWith('-')) {
    throw new UsageError(`--signal takes a signal name such as KILL, TERM or HUP, not ${JSON.stringify(values.signal)}`)
  }
  const pid = intArg(positionals[0], 'PID', 1, 2 ** 31)
  const base = {
    pid,
    ...(values['start-time'] !== undefined ? { startTime: intArg(values['start-time'], '--start-time', 0, Number.MAX_SAFE_INTEGER) } : {}),
    ...(values.tree ? { tree: true } : {}),
    ...(values.elevate ? { elevate: true } : {}),
  }
  const engine = engineFor(values['data-dir'], { collector: 'inline', backgroundMetrics: false })
  try {
    const api = cliApi(engine)
    let report: ActionReport
    switch (command) {
      case 'kill': {
        const signal = values.signal
        report = await api.killProcess({ ...base, ...(signal !== undefined ? { signal } : {}) })
        break
      }
      case 'terminate': {
        const grace = values.grace
        report = await api.terminateProcess({ ...base, ...(grace !== undefined ? { graceMs: intArg(grace, '--grace', 0, 600_000) } : {}) })
        break
      }
      case 'suspend':
        report = await api.suspendProcess(base)
        break
      case 'resume':
        report = await api.resumeProcess(base)
        break
      case 'renice':
        if (positionals.length < 2) throw new UsageError('renice: give the new nice value, -20..19, after the PID')
        report = await api.reniceProcess({ ...base, priority: intArg(positionals[1], 'nice value', -20, 19) })
        break
    }
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`)
    let failed = false
    for (const r of report.results) {
      if (r.ok) {
        if (!values.json) process.stdout.write(`${describe(r)}\n`)
      } else {
        failed = true
        process.stderr.write(`proctor: ${r.error?.code ?? 'FAILED'}: ${r.error?.message ?? 'failed'}\n`)
      }
    }
    return failed ? 1 : 0
  } catch (err) {
    // The engine refused the arguments (an unknown signal name, say): that is a usage error.
    if (err instanceof ProctorError && err.code === 'INVALID_ARGUMENT') throw new UsageError(err.message)
    throw err
  } finally {
    engine.close()
  }
}

function describe(r: ActionResult): string {
  const who = `${r.pid}${r.name ? ` (${r.name})` : ''}`
  const tree = r.affected && r.affected.length > 1 ? ` and ${r.affected.length - 1} descendants` : ''
  switch (r.action) {
    case 'signal':
      return `sent ${r.signal} to ${who}${tree}`
    case 'terminate':
      return r.endedBy === 'gone' ? `${who} had already exited` : `terminated ${who}${tree}: ended by ${r.endedBy}`
    case 'suspend':
      return `suspended ${who}${tree}`
    case 'resume':
      return `resumed ${who}${tree}`
    case 'renice':
      return `reniced ${who}${tree}: nice ${r.nice}`
  }
}

/** `proctor audit`: the action log. */
export async function audit(args: string[]): Promise<number> {
  const options = { ...COMMON, json: { type: 'boolean' }, limit: { type: 'string' } } as const
  const { values } = parse(() => parseArgs({ args: numbersAsValues(args, options), strict: true, options }))
  const limit = values.limit !== undefined ? intArg(values.limit, '--limit', 1, 10_000) : 50
  const engine = engineFor(values['data-dir'], { collector: 'inline', backgroundMetrics: false })
  try {
    const entries = await cliApi(engine).getAuditLog({ limit })
    if (values.json) {
      process.stdout.write(`${JSON.stringify(entries)}\n`)
    } else {
      for (const e of entries) process.stdout.write(`${formatAuditEntry(e)}\n`)
    }
    return 0
  } finally {
    engine.close()
  }
}

/** One line of `proctor audit`: when, the result, what was done, and who did it. */
export function formatAuditEntry(e: AuditEntry): string {
  const when = new Date(e.timestamp).toISOString()
  const by = `  [by ${describeCaller(e.caller)}]`
  if (e.action === 'settings') return `${when}  ok      settings: ${e.outcome}${by}`
  if (e.action === 'program') return `${when}  ${e.ok ? 'ok    ' : 'FAILED'}  program ${e.verb} ${e.name}: ${e.outcome}${by}`
  if (e.action === 'ipc') return `${when}  ${e.ok ? 'ok    ' : 'FAILED'}  ipc ${e.verb} ${e.target}: ${e.outcome}${by}`
  if (e.action === 'pool') return `${when}  ${e.ok ? 'ok    ' : 'FAILED'}  pool ${e.verb} ${e.target}: ${e.outcome}${by}`
  const opts = Object.entries(e.options).map(([k, v]) => `${k}=${v}`).join(' ')
  const what = `${e.action} ${e.pid}${e.name ? ` (${e.name})` : ''}${opts ? ` ${opts}` : ''}`
  return `${when}  ${e.ok ? 'ok    ' : 'FAILED'}  ${what}: ${e.outcome}${by}`
}
