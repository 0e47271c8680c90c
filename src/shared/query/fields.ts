/** The fields a query can name, their aliases, and how values are read. */
import { PROCESS_STATES, type ProcessInfo, type ProcessState } from '../types/process'
import { QueryError, type FieldName, type NumericField, type PortField, type TextField } from './ast'

interface FieldBase {
  /** Lower-case spellings accepted besides the name itself. */
  aliases: readonly string[]
  description: string
}
export interface NumericFieldDef extends FieldBase {
  kind: 'numeric'
  name: NumericField
  /** `bytes` values may carry units, `percent` values a trailing '%'. */
  unit: 'bytes' | 'percent' | 'none'
  get: (p: ProcessInfo) => number | undefined
}
export interface TextFieldDef extends FieldBase {
  kind: 'text'
  name: TextField
  get: (p: ProcessInfo) => string | undefined
}
export type FieldDef = NumericFieldDef | TextFieldDef

export const QUERY_FIELDS: readonly FieldDef[] = [
  { kind: 'text', name: 'name', aliases: [], description: 'process name', get: (p) => p.name },
  { kind: 'numeric', name: 'pid', aliases: [], unit: 'none', description: 'process id', get: (p) => p.pid },
  { kind: 'numeric', name: 'ppid', aliases: ['parent'], unit: 'none', description: 'parent process id', get: (p) => p.ppid },
  { kind: 'text', name: 'user', aliases: ['owner'], description: 'user name', get: (p) => p.user },
  { kind: 'numeric', name: 'uid', aliases: [], unit: 'none', description: 'user id', get: (p) => p.uid },
  { kind: 'text', name: 'state', aliases: ['status'], description: 'running, sleeping, ... or R S D Z T I', get: (p) => p.state },
  { kind: 'numeric', name: 'cpu', aliases: ['cpu%'], unit: 'percent', description: 'CPU %, 100 = one core', get: (p) => p.cpuPercent },
  { kind: 'numeric', name: 'mem', aliases: ['memory', 'rss'], unit: 'bytes', description: 'resident memory, bytes (units: KB MB GB KiB MiB GiB)', get: (p) => p.memoryBytes },
  { kind: 'numeric', name: 'memp', aliases: ['mem%', 'memory%'], unit: 'percent', description: 'resident memory, % of RAM', get: (p) => p.memoryPercent },
  { kind: 'numeric', name: 'virt', aliases: ['virtual', 'vsz'], unit: 'bytes', description: 'virtual size, bytes (units as mem)', get: (p) => p.virtualBytes },
  { kind: 'numeric', name: 'threads', aliases: [], unit: 'none', description: 'thread count', get: (p) => p.threads },
  { kind: 'numeric', name: 'nice', aliases: ['ni'], unit: 'none', description: 'nice value', get: (p) => p.nice },
  { kind: 'numeric', name: 'priority', aliases: ['pri', 'prio'], unit: 'none', description: 'scheduling priority', get: (p) => p.priority },
  { kind: 'text', name: 'command', aliases: ['cmd', 'args'], description: 'full command line', get: (p) => p.command },
  { kind: 'text', name: 'exe', aliases: ['path'], description: 'executable path, where readable', get: (p) => p.exe },
  { kind: 'numeric', name: 'files', aliases: ['fds', 'openfiles'], unit: 'none', description: 'open file descriptors, where readable', get: (p) => p.openFiles },
]

/** Fields over a process's sockets: the engine reads sockets only for a query naming one (usesPorts). */
export interface PortFieldDef extends FieldBase {
  kind: 'ports'
  name: PortField
}
export const PORT_FIELDS: readonly PortFieldDef[] = [
  { kind: 'ports', name: 'port', aliases: ['ports'], description: 'a local TCP/UDP port the process listens on or is connected from' },
  { kind: 'ports', name: 'listen', aliases: ['listening'], description: 'a port the process listens on; alone, `listen`: listens on some port' },
]

const portByName = new Map<string, PortFieldDef>()
for (const def of PORT_FIELDS) for (const word of [def.name, ...def.aliases]) portByName.set(word, def)

export function lookupPortField(word: string): PortFieldDef | undefined {
  return portByName.get(word.toLowerCase())
}

const PORT_NUMBER = /^\d{1,5}$/

/** A port: a whole number from 0 to 65535. */
export function parsePortValue(def: PortFieldDef, raw: string, position: number): number {
  const n = PORT_NUMBER.test(raw.trim()) ? Number(raw.trim()) : NaN
  if (!(n >= 0 && n <= 65535)) {
    throw new QueryError(`'${def.name}' needs a port number from 0 to 65535, got '${raw}' at position ${position}`, position)
  }
  return n
}

const byName = new Map<string, FieldDef>()
for (const def of QUERY_FIELDS) {
  byName.set(def.name, def)
  for (const alias of def.aliases) byName.set(alias, def)
}

/** Field names and aliases are case-insensitive. */
export function lookupField(word: string): FieldDef | undefined {
  return byName.get(word.toLowerCase())
}

export function fieldDef(name: FieldName): FieldDef {
  const def = byName.get(name)
  if (def === undefined) throw new QueryError(`unknown field '${name}'`, 0)
  return def
}

export function numericFieldDef(name: NumericField): NumericFieldDef {
  const def = fieldDef(name)
  if (def.kind !== 'numeric') throw new QueryError(`'${name}' is not a numeric field`, 0)
  return def
}

export function textFieldDef(name: TextField): TextFieldDef {
  const def = fieldDef(name)
  if (def.kind !== 'text') throw new QueryError(`'${name}' is not a text field`, 0)
  return def
}

/** Decimal units are powers of 1000; binary units and bare K/M/G/T are powers of 1024. */
const BYTE_UNITS: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['b', 1],
  ['kb', 1e3],
  ['mb', 1e6],
  ['gb', 1e9],
  ['tb', 1e12],
  ['kib', 1024],
  ['mib', 1024 ** 2],
  ['gib', 1024 ** 3],
  ['tib', 1024 ** 4],
  ['k', 1024],
  ['m', 1024 ** 2],
  ['g', 1024 ** 3],
  ['t', 1024 ** 4],
])
/** A unit written apart from its number (`mem > 1.5 GB`). */
export function isByteUnit(word: string): boolean {
  return word !== '' && BYTE_UNITS.has(word.toLowerCase())
}
const UNIT_LIST = 'B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, K, M, G, T'

const NUMBER = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([a-z%]*)$/i

/** Parses a numeric field's value; `position` locates errors in the query text. */
export function parseNumericValue(def: NumericFieldDef, raw: string, position: number): number {
  const m = NUMBER.exec(raw.trim())
  const digits = m?.[1]
  const suffix = (m?.[2] ?? '').toLowerCase()
  if (m === null || digits === undefined) {
    throw new QueryError(`'${def.name}' needs a number, got '${raw}' at position ${position}`, position)
  }
  const n = Number(digits)
  if (def.unit === 'bytes') {
    const scale = BYTE_UNITS.get(suffix)
    if (scale === undefined) {
      throw new QueryError(`unknown unit '${m[2] ?? ''}' in '${raw}' at position ${position} (units: ${UNIT_LIST})`, position)
    }
    return n * scale
  }
  if (suffix === '' || (suffix === '%' && def.unit === 'percent')) return n
  throw new QueryError(`'${def.name}' takes a plain number, got '${raw}' at position ${position}`, position)
}

const STATE_ALIASES: ReadonlyMap<string, ProcessState> = new Map<string, ProcessState>([
  ...PROCESS_STATES.map((s): [string, ProcessState] => [s, s]),
  ['r', 'running'],
  ['run', 'running'],
  ['s', 'sleeping'],
  ['sleep', 'sleeping'],
  ['d', 'disk-wait'],
  ['disk', 'disk-wait'],
  ['diskwait', 'disk-wait'],
  ['z', 'zombie'],
  ['defunct', 'zombie'],
  ['t', 'stopped'],
  ['stop', 'stopped'],
  ['trace', 'tracing'],
  ['traced', 'tracing'],
  ['i', 'idle'],
  ['x', 'dead'],
])

/** Resolves a state name, ps letter (R S D Z T I X) or alias, case-insensitively. */
export function lookupState(word: string): ProcessState | undefined {
  return STATE_ALIASES.get(word.trim().toLowerCase())
}

export function parseStateValue(raw: string, position: number): ProcessState {
  const state = lookupState(raw)
  if (state === undefined) {
    throw new QueryError(
      `unknown state '${raw}' at position ${position} (states: ${PROCESS_STATES.join(', ')}, or R S D Z T I X)`,
      position,
    )
  }
  return state
}
