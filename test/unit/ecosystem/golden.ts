import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect } from 'vitest'

const GOLDEN = resolve(__dirname, '../../fixtures/ecosystem/golden')

/** Compares with a golden file; UPDATE_GOLDEN=1 (or a missing file) writes it instead: then read the diff. */
export function golden(name: string, text: string): void {
  const file = join(GOLDEN, name)
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, text)
  expect(text).toBe(readFileSync(file, 'utf8'))
}
