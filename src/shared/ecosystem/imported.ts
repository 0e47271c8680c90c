import { programSchema, type ProgramInput } from '../supervisor/program'

/**
 * What reading another supervisor's configuration gave: the programs
 * Proctor can run, every field it did not map (with why), where Proctor
 * behaves differently from the source, and what stops a program from
 * being imported at all.
 */

export interface Unmapped {
  /** The source's name for the program (or section); absent for a top-level field. */
  program?: string
  field: string
  value: string
  why: string
}

export interface ImportedProgram {
  /** The name in the source file (a PM2 app, a supervisord [program:x]). */
  source: string
  program: ProgramInput
}

export interface Imported {
  format: 'pm2' | 'supervisord'
  programs: ImportedProgram[]
  unmapped: Unmapped[]
  /** Mapped, but not quite the same: said so the user is not surprised. */
  notes: string[]
  /** A program that cannot be imported (a variable not set, a field Proctor refuses): the reason. */
  problems: Array<{ program: string; message: string }>
}

/** A value as one short line for the unmapped list. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** Letters, digits, `.`, `_`, `-`: anything else in a source's name becomes `-`. */
export function programName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^\.+/, '').slice(0, 64)
  return cleaned === '' ? 'program' : cleaned
}

/** Programs checked as Proctor checks them: a field it refuses makes a problem naming the field, not a crash. */
export function checked(result: Imported): Imported {
  const programs: ImportedProgram[] = []
  const problems = [...result.problems]
  const seen = new Set<string>()
  for (const entry of result.programs) {
    const parsed = programSchema.safeParse(entry.program)
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'program'}: ${i.message}`).join('; ')
      problems.push({ program: entry.source, message: why })
    } else if (seen.has(entry.program.name)) {
      problems.push({ program: entry.source, message: `a second program named ${entry.program.name}` })
    } else {
      seen.add(entry.program.name)
      programs.push(entry)
    }
  }
  return { ...result, programs, problems }
}

/** `10s`, `2m`, `500ms`, `1h`, or a number of ms (PM2's min_uptime, restart_delay...). */
export function durationMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value)
  if (typeof value !== 'string') return undefined
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(value)
  if (!m) return undefined
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms').toLowerCase() as 'ms']
  return Math.round(Number(m[1]) * unit)
}

/** `50MB`, `1G`, `500M`, `1024`, `10KB` as bytes (supervisord's and PM2's sizes; K = 1024). */
export function sizeBytes(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.round(value)
  if (typeof value !== 'string') return undefined
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMG]?)B?\s*$/i.exec(value)
  if (!m) return undefined
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(m[2] ?? '').toUpperCase() as '']
  return Math.round(Number(m[1]) * unit)
}
