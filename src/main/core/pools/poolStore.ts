import { join } from 'node:path'
import { z } from 'zod'
import { describeIssues } from '../../../shared/errors'
import { poolDefinitionSchema, type PoolDefinition } from '../../../shared/pools/pool'
import { isPlainObject, schemaVersionProblem, type FileReading } from '../../../shared/schemaVersion'
import { loadOrSetAside, saveVersioned } from '../store/versionedFile'

export const POOLS_FILE = 'pools.json'
export const POOLS_SCHEMA_VERSION = 1

const poolsSchema = z.array(poolDefinitionSchema).superRefine((pools, ctx) => {
  const seen = new Set<string>()
  pools.forEach((p, i) => {
    if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `pool "${p.id}" is defined twice` })
    seen.add(p.id)
  })
})

export function readPoolsFile(doc: unknown): FileReading<PoolDefinition[]> {
  if (!isPlainObject(doc) || !Array.isArray(doc.pools)) return { ok: false, problem: 'it has no "pools" list' }
  const versionProblem = schemaVersionProblem(doc.schemaVersion, POOLS_SCHEMA_VERSION)
  if (versionProblem) return { ok: false, problem: versionProblem }
  const parsed = poolsSchema.safeParse(doc.pools)
  return parsed.success ? { ok: true, value: parsed.data as PoolDefinition[] } : { ok: false, problem: describeIssues(parsed.error, 'pools') }
}

/**
 * Pool definitions in the data folder, as the registry keeps programs:
 * validated on load (a file that cannot be used is set aside with a
 * notice), written atomically on every change, before it is kept.
 */
export class PoolStore {
  readonly path: string
  readonly notices: string[] = []
  private pools: PoolDefinition[]

  constructor(dataDir: string) {
    this.path = join(dataDir, POOLS_FILE)
    const loaded = loadOrSetAside(this.path, readPoolsFile, 'Pools file', 'no pools are loaded until they are created again')
    if (loaded.notice) this.notices.push(loaded.notice)
    this.pools = loaded.value ?? []
  }

  list(): readonly PoolDefinition[] {
    return this.pools
  }

  add(pool: PoolDefinition): void {
    this.save([...this.pools, pool])
  }

  remove(id: string): void {
    this.save(this.pools.filter((p) => p.id !== id))
  }

  private save(next: PoolDefinition[]): void {
    saveVersioned(this.path, POOLS_SCHEMA_VERSION, 'pools', next)
    this.pools = next
  }
}
