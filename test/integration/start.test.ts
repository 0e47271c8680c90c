import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(__dirname, '../..')

/** Whether this machine has Electron's binary (npm could download it). */
function hasElectron(): boolean {
  try {
    return existsSync(createRequire(resolve(ROOT, 'package.json'))('electron') as string)
  } catch {
    return false
  }
}

describe('npm start', () => {
  it.skipIf(hasElectron())('without the Electron binary says so and what to do instead, and exits 1 (skipped where the binary is installed: it would start the app)', () => {
    const res = spawnSync(process.execPath, [resolve(ROOT, 'scripts/start.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 })
    expect(res.status).toBe(1)
    expect(res.stderr).toContain('the Electron binary is not installed, so the desktop app cannot start')
    expect(res.stderr).toContain('node node_modules/electron/install.js')
    expect(res.stderr).toContain('npm run serve')
    // It fails before building: nothing of electron-vite's output.
    expect(res.stdout).toBe('')
  })
})
