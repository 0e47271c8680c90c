import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { START_HIDDEN_FLAG } from '../../../src/shared/ecosystem/desktopEntry'
import { autostartPath, disableAutostart, enableAutostart } from '../../../src/main/ecosystem/autostart'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'

/*
 * The autostart entry on disk, in a temporary XDG_CONFIG_HOME, and read
 * back by GLib: `gio launch` (Debian's libglib2.0-bin) starts the entry the
 * way a desktop session starts autostart entries, so the argv the program
 * gets proves the Exec line's quoting.
 */

function xdg(): NodeJS.ProcessEnv {
  return { XDG_CONFIG_HOME: join(tempDir(), 'config') }
}

/** Node, printing the arguments it was given to OUT: a command line with characters to quote in its own code. */
const ECHO = [process.execPath, '-e', "require('fs').writeFileSync(process.env.OUT, JSON.stringify(process.argv.slice(1)))"]

/** Starts the entry as a session would; answers the argv the program got. */
async function launched(entry: string): Promise<string[]> {
  const out = join(tempDir(), 'argv.json')
  const res = spawnSync('gio', ['launch', entry], { env: { ...process.env, OUT: out }, encoding: 'utf8', timeout: 10_000 })
  if (res.error) throw new Error(`gio (Debian's libglib2.0-bin) is needed to read the entry back: ${res.error.message}`)
  expect(res.status, res.stderr).toBe(0)
  const text = await waitFor(() => existsSync(out) && readFileSync(out, 'utf8'), 10_000, 'the launched program’s argv')
  return JSON.parse(text) as string[]
}

describe('the XDG autostart entry', () => {
  it('is written atomically to $XDG_CONFIG_HOME/autostart/proctor.desktop, readable by the session, and removed', () => {
    const env = xdg()
    const path = autostartPath(env)
    expect(path).toBe(join(env.XDG_CONFIG_HOME!, 'autostart', 'proctor.desktop'))
    expect(enableAutostart(['/opt/Proctor/proctor', START_HIDDEN_FLAG], env)).toBe(true)
    expect(readFileSync(path, 'utf8')).toContain('\nExec=/opt/Proctor/proctor --hidden\n')
    expect(statSync(path).mode & 0o777).toBe(0o644)
    // Nothing but the entry: the temp file was renamed over it.
    expect(readdirSync(join(env.XDG_CONFIG_HOME!, 'autostart'))).toEqual(['proctor.desktop'])

    // The same entry again writes nothing; another command replaces it.
    const before = statSync(path).mtimeMs
    expect(enableAutostart(['/opt/Proctor/proctor', START_HIDDEN_FLAG], env)).toBe(false)
    expect(statSync(path).mtimeMs).toBe(before)
    expect(enableAutostart(['/home/me/Proctor.AppImage', START_HIDDEN_FLAG], env)).toBe(true)
    expect(readFileSync(path, 'utf8')).toContain('\nExec=/home/me/Proctor.AppImage --hidden\n')

    expect(disableAutostart(env)).toBe(true)
    expect(existsSync(path)).toBe(false)
    expect(disableAutostart(env)).toBe(false)
  })

  it('without XDG_CONFIG_HOME (or with it empty), goes to ~/.config/autostart', () => {
    expect(autostartPath({})).toBe(join(homedir(), '.config', 'autostart', 'proctor.desktop'))
    expect(autostartPath({ XDG_CONFIG_HOME: '' })).toBe(join(homedir(), '.config', 'autostart', 'proctor.desktop'))
  })

  it('a folder that cannot be written fails with the path in the error, and leaves nothing behind', () => {
    const base = tempDir()
    // XDG_CONFIG_HOME is a file: its autostart folder cannot be made.
    writeFileSync(join(base, 'config'), '')
    expect(() => enableAutostart(['/opt/Proctor/proctor'], { XDG_CONFIG_HOME: join(base, 'config') })).toThrow(/config\/autostart/)
    expect(readdirSync(base)).toEqual(['config'])
  })

  it('gio launch starts it with exactly the argv it was written for, --hidden included', async () => {
    const env = xdg()
    const args = ['Proctor 1.0.AppImage', 'say "hi"', "it's", '$HOME', '`id`', 'x\\y', '100%', '%f', 'tab\there', 'two\nlines', '~', 'a;b|c&d', 'é😀', '']
    enableAutostart([...ECHO, ...args, START_HIDDEN_FLAG], env)
    expect(await launched(autostartPath(env))).toEqual([...args, START_HIDDEN_FLAG])
  })

  it('and for any argument made of the characters that need care', async () => {
    const env = xdg()
    const char = fc.constantFrom(...'aZ0 "\'\\$`%;&|<>~*?#()=\t\n\ré😀')
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: char, maxLength: 8 }), { minLength: 1, maxLength: 3 }), async (args) => {
        enableAutostart([...ECHO, ...args], env)
        expect(await launched(autostartPath(env))).toEqual(args)
      }),
      { numRuns: 15 },
    )
  }, 60_000)
})
