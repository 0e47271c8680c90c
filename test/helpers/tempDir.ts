import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const made: string[] = []

/** A fresh folder under the system temp dir, removed when the test process exits. */
export function tempDir(prefix = 'proctor-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  made.push(dir)
  return dir
}

process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})
