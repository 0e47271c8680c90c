import { spawnSync } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { removeStaleTemps } from '../../src/main/core/store/atomicFile'
import { loadOrSetAside } from '../../src/main/core/store/versionedFile'
import { tempDir } from '../helpers/tempDir'

/** The pid of a process that has ended (and been reaped). */
function deadPid(): number {
  return spawnSync('true').pid!
}

describe('temp files a writer left when it died mid-write', () => {
  it("are removed when the file is next loaded, only the dead writers' and only the file's own", () => {
    const dir = tempDir()
    const path = join(dir, 'programs.json')
    writeFileSync(path, JSON.stringify({ schemaVersion: 1, programs: [] }))
    const dead = deadPid()
    const names = [
      `programs.json.${dead}.1796193546546.tmp`, // writeFileAtomic's
      `programs.json.${dead}.1796193546547.k3j2h1.tmp`, // writeFileAtomicAsync's
      `programs.json.${process.pid}.1796193546548.tmp`, // a live writer's: may still rename it
      `settings.json.${dead}.1796193546549.tmp`, // another file's
      `programs.json.notes.tmp`, // not a writer's name
    ]
    for (const n of names) writeFileSync(join(dir, n), '{"torn')
    const loaded = loadOrSetAside(path, (doc) => ({ ok: true, value: doc }), 'Programs file', 'none')
    expect(loaded.notice).toBeUndefined()
    expect(readdirSync(dir).sort()).toEqual(['programs.json', ...names.slice(2)].sort())
    expect(removeStaleTemps(path)).toEqual([])
  })
})
