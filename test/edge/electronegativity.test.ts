import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/tempDir'

/*
 * Electronegativity (Doyensec's checker of Electron misconfigurations and
 * security anti-patterns) over the app's sources. Every finding must be
 * fixed or justified where it is flagged: a comment
 * `electronegativity: CHECK_NAME: why` on one of the four lines above.
 * It runs offline (it only warns that it cannot fetch Electron's releases).
 */

const ROOT = resolve(__dirname, '../..')
const JUSTIFIED_WITHIN = 4

interface Finding {
  check: string
  file: string
  line: number
}

function findings(): Finding[] {
  const out = join(tempDir(), 'findings.sarif')
  const electron = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.electron!
  execFileSync(process.execPath, [join(ROOT, 'node_modules/@doyensec/electronegativity/dist/index.js'), '-i', join(ROOT, 'src'), '-e', electron, '-r', '-o', out], {
    stdio: 'pipe',
    timeout: 120_000,
  })
  const sarif = JSON.parse(readFileSync(out, 'utf8')) as {
    runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }>
  }
  return sarif.runs.flatMap((run) =>
    run.results.map((r) => ({ check: r.ruleId, file: r.locations[0]!.physicalLocation.artifactLocation.uri, line: r.locations[0]!.physicalLocation.region.startLine })),
  )
}

describe('electronegativity over the app', () => {
  it('finds nothing that is not justified next to the code it flags', () => {
    const all = findings()
    const unjustified = all.filter((f) => {
      const lines = readFileSync(join(ROOT, 'src', f.file), 'utf8').split('\n')
      const near = lines.slice(Math.max(0, f.line - 1 - JUSTIFIED_WITHIN), f.line).join('\n')
      return !near.includes(`electronegativity: ${f.check}:`)
    })
    expect(unjustified.map((f) => `${f.check} at src/${f.file}:${f.line}`)).toEqual([])
    // The checker ran and read the app: the preload of the main window is always among what it flags.
    expect(all.some((f) => f.check === 'PRELOAD_JS_CHECK' && f.file === 'main/desktop/window.ts')).toBe(true)
  }, 180_000)
})
