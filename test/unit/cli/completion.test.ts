import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bashCompletion, COMMANDS, zshCompletion } from '../../../src/main/cli/completion'
import { PROGRAM_VERBS } from '../../../src/main/cli/programs'
import { POOL_VERBS } from '../../../src/main/cli/pools'
import { tempDir } from '../../helpers/tempDir'

/** The completion scripts are checked by the shells themselves: syntax, then what they offer for a typed line. */

function script(text: string): string {
  const file = join(tempDir(), 'completion')
  writeFileSync(file, text)
  return file
}

/** What bash's completion offers for `words`, the last one being completed. */
function bashOffers(words: string[]): string[] {
  const file = script(bashCompletion())
  const array = words.map((w) => `'${w}'`).join(' ')
  const res = spawnSync('bash', ['-c', `source ${file}; COMP_WORDS=(${array}); COMP_CWORD=${words.length - 1}; _proctor; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' })
  expect(res.status, res.stderr).toBe(0)
  return res.stdout.split('\n').filter(Boolean)
}

const zsh = spawnSync('zsh', ['--version'], { encoding: 'utf8' })

/** zsh's: the function run with compadd and _files standing in, words and CURRENT as completion sets them. */
function zshOffers(words: string[]): string[] {
  const file = script(zshCompletion())
  const array = words.map((w) => `'${w}'`).join(' ')
  const prefix = words[words.length - 1] ?? ''
  const res = spawnSync(
    'zsh',
    ['-c', `compdef() { :; }; compadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }; _files() { print -- FILES; }; source ${file}; words=(${array}); CURRENT=${words.length}; PREFIX='${prefix}'; _proctor`],
    { encoding: 'utf8' },
  )
  expect(res.status, res.stderr).toBe(0)
  return res.stdout.split('\n').filter(Boolean).filter((w) => w.startsWith(prefix) || w === 'FILES')
}

describe('proctor completion', () => {
  it('bash: the script is valid bash (bash -n) and lists every command', () => {
    const res = spawnSync('bash', ['-n', script(bashCompletion())], { encoding: 'utf8' })
    expect(res.status, res.stderr).toBe(0)
    expect(bashOffers(['proctor', ''])).toEqual([...COMMANDS])
    expect(bashOffers(['proctor', 'pro'])).toEqual(['programs'])
  })

  it('offers every command the usage text names, and the verbs and flags of pools', async () => {
    const { USAGE } = await import('../../../src/main/cli/main')
    const named = new Set([...USAGE.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]))
    expect([...named].filter((c) => !(COMMANDS as readonly string[]).includes(c!))).toEqual([])
    expect(bashOffers(['proctor', 'pools', ''])).toEqual([...POOL_VERBS])
    expect(bashOffers(['proctor', 'pools', 'remove', 'compute', '--f'])).toEqual(['--force'])
  })

  it('bash: verbs of programs, flags of a verb, files after programs import', () => {
    expect(bashOffers(['proctor', 'programs', ''])).toEqual([...PROGRAM_VERBS])
    expect(bashOffers(['proctor', 'programs', 'export', 'web', '--'])).toEqual(['--json', '--start-daemon', '--systemd', '--launchd', '--output', '--data-dir'])
    expect(bashOffers(['proctor', 'daemon', '--in'])).toEqual(['--install'])
    expect(bashOffers(['proctor', 'ports', '--'])).toEqual(['--json', '--port', '--listen', '--protocol', '--data-dir'])
    expect(bashOffers(['proctor', 'completion', ''])).toEqual(['bash', 'zsh'])
    const dir = tempDir()
    writeFileSync(join(dir, 'ecosystem.json'), '{}')
    expect(bashOffers(['proctor', 'programs', 'import', `${dir}/eco`])).toEqual([`${dir}/ecosystem.json`])
  })

  it('zsh: the script is valid zsh (zsh -n) and offers the same', (ctx) => {
    if (zsh.status !== 0) return ctx.skip('zsh is not installed here: the zsh script was not checked')
    const res = spawnSync('zsh', ['-n', script(zshCompletion())], { encoding: 'utf8' })
    expect(res.status, res.stderr).toBe(0)
    expect(zshOffers(['proctor', ''])).toEqual([...COMMANDS])
    expect(zshOffers(['proctor', 'programs', ''])).toEqual([...PROGRAM_VERBS])
    expect(zshOffers(['proctor', 'programs', 'import', '--'])).toEqual(['--json', '--start-daemon', '--dry-run', '--yes', '--env', '--start', '--data-dir'])
    expect(zshOffers(['proctor', 'programs', 'import', 'eco'])).toEqual(['FILES'])
  })

  it('the command prints the script, and refuses another shell', async () => {
    const { main } = await import('../../../src/main/cli/main')
    const writes: string[] = []
    const out = process.stdout.write
    const err = process.stderr.write
    process.stdout.write = ((s: string) => writes.push(s) > 0) as typeof process.stdout.write
    process.stderr.write = ((s: string) => writes.push(s) > 0) as typeof process.stderr.write
    try {
      expect(await main(['completion', 'bash'])).toBe(0)
      expect(writes.join('')).toBe(bashCompletion())
      writes.length = 0
      expect(await main(['completion', 'fish'])).toBe(2)
      expect(writes[0]).toMatch(/^proctor: completion: give bash or zsh, not "fish"/)
    } finally {
      process.stdout.write = out
      process.stderr.write = err
    }
  })
})
