import { readFile, readlink } from 'node:fs/promises'
import { ProctorError } from '../../../shared/errors'
import { parseProgram, type ProgramInput } from '../../../shared/supervisor/program'
import type { AdoptionDraft } from '../../../shared/supervisor/status'
import { checkIdentity, type NamedProcess } from '../processes/identity'
import type { ProcessInspector } from '../processes/inspector'
import { MARKER_VAR } from './runner'

/**
 * "Supervise this…": a program definition read from a running process,
 * for the add form to show before anything is done to it. Linux gives the
 * argv, cwd and environment (/proc); elsewhere the command line as one
 * string, run through the shell, and what could not be read is listed.
 */
export async function draftAdoption(inspector: ProcessInspector, named: NamedProcess, taken: (name: string) => boolean): Promise<AdoptionDraft> {
  const p = checkIdentity(named, await inspector.inspect(named.pid))
  if (p.kernelThread) throw new ProctorError('INVALID_ARGUMENT', `pid ${p.pid} (${p.name}) is a kernel thread: only programs can be supervised`)
  const unreadable: string[] = []
  const argv = await readArgv(named.pid)
  const input: ProgramInput = argv
    ? { name: '', command: argv[0] ?? p.command, args: argv.slice(1) }
    : { name: '', command: p.command, shell: true }
  if (!argv) unreadable.push('the argument list (the command line is run through the shell)')
  const cwd = await readlink(`/proc/${named.pid}/cwd`).catch(() => undefined)
  if (cwd?.startsWith('/')) input.cwd = cwd
  else unreadable.push('the working folder')
  const env = await readEnvironment(named.pid)
  if (env) input.env = { mode: 'add', vars: differences(env, process.env) }
  else unreadable.push('the environment')
  input.name = uniqueName(p.name, taken)
  return { pid: p.pid, startTime: p.startTime, program: parseProgram(input, `adopt pid ${named.pid}`), unreadable }
}

async function readArgv(pid: number): Promise<string[] | undefined> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined)
  if (!raw) return undefined
  const argv = raw.split('\0')
  if (argv.at(-1) === '') argv.pop()
  return argv.length > 0 && argv[0] !== '' ? argv : undefined
}

async function readEnvironment(pid: number): Promise<Map<string, string> | undefined> {
  const raw = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => undefined)
  if (raw === undefined) return undefined
  const env = new Map<string, string>()
  for (const entry of raw.split('\0')) {
    const eq = entry.indexOf('=')
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1))
  }
  return env
}

/** What the process has that Proctor's own environment lacks or sets otherwise: what env mode 'add' must give it. */
function differences(env: Map<string, string>, base: NodeJS.ProcessEnv): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const [k, v] of env) if (base[k] !== v && k !== MARKER_VAR) vars[k] = v
  return vars
}

/** A valid program name from a process name, made unique with -2, -3, ... */
function uniqueName(processName: string, taken: (name: string) => boolean): string {
  const base = processName.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^\.+/, '').slice(0, 60) || 'program'
  let name = base
  for (let i = 2; taken(name); i++) name = `${base}-${i}`
  return name
}
