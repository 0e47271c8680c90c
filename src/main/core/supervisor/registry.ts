import { join } from 'node:path'
import { ProctorError } from '../../../shared/errors'
import { WORKER_PREFIX } from '../../../shared/pools/pool'
import { isPlainObject } from '../../../shared/schemaVersion'
import { parseProgram, type Program } from '../../../shared/supervisor/program'
import { programSetProblem, readRegistryFile, REGISTRY_SCHEMA_VERSION, setProblemError } from '../../../shared/supervisor/programSet'
import { loadOrSetAside, saveVersioned } from '../store/versionedFile'

export const REGISTRY_FILE = 'programs.json'

/**
 * The programs the user asked Proctor to run, persisted in the data folder.
 * Every change is validated as a whole set (unique names, known
 * dependencies, no cycle) and written atomically before it is kept; a file
 * that cannot be used is set aside with a notice, as settings are.
 */
export class ProgramRegistry {
  private programs: Program[]
  private readonly listeners = new Set<(programs: readonly Program[]) => void>()
  readonly notices: string[] = []
  readonly path: string

  constructor(dataDir: string) {
    this.path = join(dataDir, REGISTRY_FILE)
    const loaded = loadOrSetAside(this.path, readRegistryFile, 'Programs file', 'no programs are loaded until they are added again')
    if (loaded.notice) this.notices.push(loaded.notice)
    this.programs = loaded.value ?? []
  }

  list(): readonly Program[] {
    return this.programs
  }

  get(name: string): Program | undefined {
    return this.programs.find((p) => p.name === name)
  }

  /** The program named `name`, or NOT_FOUND. */
  require(name: string): Program {
    const found = this.get(name)
    if (!found) throw new ProctorError('NOT_FOUND', `no program is named "${name}"`, { name })
    return found
  }

  onChange(listener: (programs: readonly Program[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  add(input: unknown): Program {
    const program = parseProgram(input, 'add program')
    refuseWorkerName(program.name, 'add program')
    this.save([...this.programs, program], 'add program')
    return program
  }

  /**
   * Changes the fields `patch` names (env and logs merged field by field,
   * env.vars replaced whole so a variable can be dropped);
   * a rename is refused while other programs depend on the old name.
   */
  edit(name: string, patch: unknown): Program {
    const current = this.require(name)
    if (!isPlainObject(patch)) throw new ProctorError('INVALID_ARGUMENT', 'edit program: the changes must be an object of fields')
    // Objects merge field by field; null takes a field away, so its default applies again.
    const merged: Record<string, unknown> = { ...current }
    for (const [key, value] of Object.entries(patch)) {
      const base = merged[key]
      if (value === null) delete merged[key]
      else merged[key] = isPlainObject(base) && isPlainObject(value) ? withoutNulls({ ...base, ...value }) : value
    }
    const program = parseProgram(merged, `edit program "${name}"`)
    if (program.name !== name) {
      refuseWorkerName(program.name, `edit program "${name}"`)
      const dependents = this.programs.filter((p) => p.dependsOn.some((d) => d.name === name)).map((p) => p.name)
      if (dependents.length > 0) {
        throw setProblemError(`edit program "${name}"`, { program: name, path: ['name'], message: `cannot rename: ${dependOn(dependents)} "${name}"` })
      }
    }
    this.save(
      this.programs.map((p) => (p.name === name ? program : p)),
      `edit program "${name}"`,
    )
    return program
  }

  /** NOT_FOUND, or INVALID_ARGUMENT naming the programs that depend on it: what remove() would refuse. */
  assertRemovable(name: string): Program {
    const program = this.require(name)
    const dependents = this.programs.filter((p) => p.dependsOn.some((d) => d.name === name)).map((p) => p.name)
    if (dependents.length > 0) {
      throw new ProctorError('INVALID_ARGUMENT', `remove program "${name}": ${dependOn(dependents)} it; remove them or their dependency first`, {
        dependents,
      })
    }
    return program
  }

  /** Removes a program; refused while others depend on it, naming them. */
  remove(name: string): Program {
    const program = this.assertRemovable(name)
    this.save(
      this.programs.filter((p) => p.name !== name),
      `remove program "${name}"`,
    )
    return program
  }

  private save(next: Program[], what: string): void {
    const problem = programSetProblem(next)
    if (problem) throw setProblemError(what, problem)
    saveVersioned(this.path, REGISTRY_SCHEMA_VERSION, 'programs', next)
    this.programs = next
    for (const listener of this.listeners) listener(this.programs)
  }
}

/** "web depends on", "web, api depend on" */
function dependOn(names: string[]): string {
  return `${names.join(', ')} ${names.length === 1 ? 'depends' : 'depend'} on`
}

function withoutNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null))
}

/** Pool workers run as programs named `pool.<poolId>.<n>` (outside the registry): a program of the user's may not take such a name. */
function refuseWorkerName(name: string, what: string): void {
  if (!name.startsWith(WORKER_PREFIX)) return
  const message = `names starting with "${WORKER_PREFIX}" are kept for the workers of pools`
  throw new ProctorError('INVALID_ARGUMENT', `${what}: name: ${message}`, { issues: [{ path: ['name'], message }] })
}
