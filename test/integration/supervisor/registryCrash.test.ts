import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ProgramRegistry } from '../../../src/main/core/supervisor/registry'
import { tempDir } from '../../helpers/tempDir'

const ROOT = resolve(__dirname, '../../..')

describe('the program registry', () => {
  it('survives kill -9 of its writer in the middle of writes: a whole file, never a torn one', async () => {
    for (let round = 0; round < 2; round++) {
      const dataDir = tempDir()
      // Node itself runs the writer (tsx as a loader, not its wrapper process): the kill reaches the writer.
      const writer = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'test/fixtures/scripts/registryWriter.ts'), dataDir], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      await new Promise<void>((ready) => writer.stdout.once('data', () => ready()))
      // Some hundreds of writes in, at a moment nobody chose.
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 300))
      const exited = new Promise((r) => writer.once('exit', r))
      writer.kill('SIGKILL')
      await exited
      const registry = new ProgramRegistry(dataDir)
      expect(registry.notices).toEqual([])
      expect(registry.list().length).toBeGreaterThan(0)
      // Nothing set aside, and at most a temporary file the next write replaces.
      expect(readdirSync(dataDir).filter((f) => f.includes('corrupt'))).toEqual([])
    }
  })
})
