import { constants } from 'node:os'
import { ProctorError } from '../../../shared/errors'

/** The platform's signals by short name (TERM, KILL, ...), from Node's own table. */
const SIGNALS: ReadonlyMap<string, number> = new Map(
  Object.entries(constants.signals).map(([name, number]) => [name.replace(/^SIG/, ''), number as number]),
)

export function signalNames(): string[] {
  return [...SIGNALS.keys()]
}

/** 'sigterm', 'SIGTERM' or 'TERM' -> 'TERM'; anything else is INVALID_ARGUMENT naming the choices. */
export function normalizeSignal(name: string): string {
  const short = name.toUpperCase().replace(/^SIG/, '')
  if (!SIGNALS.has(short)) {
    throw new ProctorError('INVALID_ARGUMENT', `signal: unknown signal ${JSON.stringify(name)}; known: ${signalNames().join(', ')}`, {
      field: 'signal',
    })
  }
  return short
}
