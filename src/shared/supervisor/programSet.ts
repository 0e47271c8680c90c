import { describeIssues, ProctorError } from '../errors'
import { describeNonObject, isPlainObject, schemaVersionProblem, type FileReading } from '../schemaVersion'
import { findDependencyCycle, programSchema, type Program } from './program'

/**
 * The rules a set of programs keeps as a whole (each program's own fields
 * are programSchema's): names unique, dependencies on programs that exist,
 * no dependency cycle. Checked when the registry saves and when it loads.
 */

/** A rule broken by a set of programs: the program and field it concerns, in words. */
export interface SetProblem {
  program: string
  path: Array<string | number>
  message: string
}

export function programSetProblem(programs: readonly Program[]): SetProblem | undefined {
  const names = new Set<string>()
  for (const p of programs) {
    if (names.has(p.name)) return { program: p.name, path: ['name'], message: `a program named "${p.name}" already exists` }
    names.add(p.name)
  }
  for (const p of programs) {
    const missing = p.dependsOn.findIndex((d) => !names.has(d.name))
    if (missing >= 0) {
      return { program: p.name, path: ['dependsOn', missing, 'name'], message: `no program is named "${p.dependsOn[missing]?.name}"` }
    }
  }
  const byName = new Map(programs.map((p) => [p.name, p]))
  for (const p of programs) {
    const i = p.dependsOn.findIndex((d) => d.condition === 'healthy' && byName.get(d.name)?.health.checks.length === 0)
    if (i >= 0) {
      return { program: p.name, path: ['dependsOn', i, 'condition'], message: `"${p.dependsOn[i]?.name}" has no health checks, so it is never healthy` }
    }
  }
  const cycle = findDependencyCycle(programs)
  if (cycle) return { program: cycle[0] ?? '', path: ['dependsOn'], message: `dependency cycle: ${cycle.join(' -> ')}` }
  return undefined
}

/** A set problem as INVALID_ARGUMENT, shaped as invalidArgument shapes schema errors. */
export function setProblemError(what: string, problem: SetProblem): ProctorError {
  const path = problem.path.map(String)
  return new ProctorError('INVALID_ARGUMENT', `${what}: ${path.join('.')}: ${problem.message}`, {
    issues: [{ path, message: problem.message }],
  })
}

/** The version of programs.json this Proctor writes. */
export const REGISTRY_SCHEMA_VERSION = 1

/** Reads the parsed JSON of programs.json, `{ schemaVersion, programs: [...] }`; what is wrong, in words. */
export function readRegistryFile(doc: unknown): FileReading<Program[]> {
  if (!isPlainObject(doc)) return { ok: false, problem: `it holds ${describeNonObject(doc)}, not an object with programs` }
  const versionProblem = schemaVersionProblem(doc.schemaVersion, REGISTRY_SCHEMA_VERSION)
  if (versionProblem) return { ok: false, problem: versionProblem }
  if (!Array.isArray(doc.programs)) return { ok: false, problem: 'it has no "programs" list' }
  const programs: Program[] = []
  for (const [i, entry] of doc.programs.entries()) {
    const parsed = programSchema.safeParse(entry)
    if (!parsed.success) {
      const name = isPlainObject(entry) && typeof entry.name === 'string' ? `"${entry.name}"` : `#${i + 1}`
      return { ok: false, problem: `program ${name}: ${describeIssues(parsed.error)}` }
    }
    programs.push(parsed.data)
  }
  const problem = programSetProblem(programs)
  if (problem) return { ok: false, problem: `program "${problem.program}": ${problem.path.join('.')}: ${problem.message}` }
  return { ok: true, value: programs }
}
