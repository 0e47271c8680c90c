import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PoolStore } from '../../src/main/core/pools/poolStore'
import { SettingsStore } from '../../src/main/core/settings/settingsStore'
import { ProgramRegistry } from '../../src/main/core/supervisor/registry'
import { poolConfigSchema, resolvePool, type PoolConfigInput } from '../../src/shared/pools/pool'
import { defaultSettings } from '../../src/shared/settings'
import { tempDir } from '../helpers/tempDir'
import { figure, scaled } from './figures'

/*
 * Random and truncated state files: whatever is in settings.json,
 * programs.json or pools.json at start, the store either reads it or sets
 * it aside (kept as PATH.corrupt-TIME, never overwritten) with a notice
 * naming it, and never throws; what it then holds can be written again.
 */

interface Store {
  name: string
  file: string
  /** A file a working store wrote. */
  valid: (dir: string) => string
  /** Opens the store over `dir`: its notices, and a write through it (which must work whatever was read). */
  open: (dir: string) => { notices: string[]; write: () => void }
}

const stores: Store[] = [
  {
    name: 'settings',
    file: 'settings.json',
    valid: (dir) => {
      new SettingsStore(dir).update({ refreshInterval: 2000, protectedNames: ['init', 'sshd'], healthConfig: { healthyThreshold: 3 } })
      return readFileSync(join(dir, 'settings.json'), 'utf8')
    },
    open: (dir) => {
      const s = new SettingsStore(dir)
      return { notices: s.notices, write: () => s.update({ refreshInterval: 1500 }) }
    },
  },
  {
    name: 'registry',
    file: 'programs.json',
    valid: (dir) => {
      const r = new ProgramRegistry(dir)
      r.add({ name: 'web', command: 'node', args: ['server.js', '--port', '3000'], autostart: true })
      r.add({ name: 'worker', command: 'sleep', args: ['1000'], tags: ['a b'] })
      return readFileSync(join(dir, 'programs.json'), 'utf8')
    },
    open: (dir) => {
      const r = new ProgramRegistry(dir)
      const name = `added${r.list().length}`
      return { notices: r.notices, write: () => r.add({ name, command: 'sleep', args: ['1'] }) }
    },
  },
  {
    name: 'pools',
    file: 'pools.json',
    valid: (dir) => {
      const p = new PoolStore(dir)
      p.add(pool('a', { workerCommand: 'node', workerArgs: ['w.js'] }))
      p.add(pool('b', { workerCommand: 'python3', minWorkers: 1, maxWorkers: 4, scalingStrategy: 'dynamic' }))
      return readFileSync(join(dir, 'pools.json'), 'utf8')
    },
    open: (dir) => {
      const p = new PoolStore(dir)
      const id = `added${p.list().length}`
      return { notices: p.notices, write: () => p.add(pool(id, { workerCommand: 'sleep' })) }
    },
  },
]

function pool(id: string, config: PoolConfigInput) {
  return resolvePool(id, poolConfigSchema.parse(config), defaultSettings().poolConfig)
}

/** Contents: the valid file (as written, or compact), truncations of it, random JSON, valid JSON with a value replaced, random bytes. */
function contents(valid: string): fc.Arbitrary<string | Uint8Array> {
  const doc = JSON.parse(valid) as Record<string, unknown>
  return fc.oneof(
    fc.constantFrom(valid, JSON.stringify(doc)),
    fc.nat({ max: valid.length - 1 }).map((n) => valid.slice(0, n)),
    fc.json({ maxDepth: 3 }),
    fc
      .tuple(fc.constantFrom(...paths(doc)), fc.jsonValue({ maxDepth: 2 }))
      .map(([path, v]) => JSON.stringify(replaced(doc, path, v))),
    fc.uint8Array({ maxLength: 200 }),
  )
}

/** Every path to a value in `doc`. */
function paths(doc: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (doc === null || typeof doc !== 'object') return [prefix]
  const entries = Array.isArray(doc) ? doc.map((v, i) => [i, v] as const) : Object.entries(doc)
  return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))]
}

function replaced(doc: unknown, path: Array<string | number>, v: unknown): unknown {
  if (path.length === 0) return v
  const copy = structuredClone(doc) as Record<string | number, unknown>
  let at = copy
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>
  at[path.at(-1)!] = v
  return copy
}

const RUNS = scaled(60, 3000)

describe(`state files at start: ${RUNS} random and truncated files per store`, () => {
  for (const store of stores) {
    it(`${store.name}: read or set aside with a notice naming it, never a throw, and writable after`, () => {
      const valid = store.valid(tempDir())
      let read = 0
      let setAside = 0
      fc.assert(
        fc.property(contents(valid), (content) => {
          const dir = tempDir()
          const path = join(dir, store.file)
          writeFileSync(path, content)
          const opened = store.open(dir)
          const aside = readdirSync(dir).filter((f) => f.startsWith(`${store.file}.corrupt-`))
          if (opened.notices.length === 0) {
            read++
            expect(aside).toEqual([])
            expect(readFileSync(path)).toEqual(Buffer.from(content))
          } else {
            setAside++
            expect(opened.notices).toHaveLength(1)
            expect(opened.notices[0]).toContain(path)
            expect(opened.notices[0]).toContain(join(dir, aside[0]!))
            expect(aside).toHaveLength(1)
            expect(readFileSync(join(dir, aside[0]!))).toEqual(Buffer.from(content))
            expect(existsSync(path)).toBe(false)
          }
          opened.write()
          expect(store.open(dir).notices).toEqual([])
          rmSync(dir, { recursive: true, force: true })
        }),
        { numRuns: RUNS, seed: 20261202 },
      )
      figure(`state files, ${store.name}`, { files: RUNS, read, set_aside_with_notice: setAside, throws: 0 })
      expect(read).toBeGreaterThan(0)
      expect(setAside).toBeGreaterThan(0)
    })
  }
})
