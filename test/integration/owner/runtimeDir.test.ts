import { chmodSync, chownSync, mkdirSync, statSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { controlSocketPath, ensureRuntimeDir, MAX_SOCKET_PATH_BYTES, runtimeDirFor } from '../../../src/main/core/owner/runtimeDir'
import { NOBODY } from '../../helpers/asUser'
import { tempDir } from '../../helpers/tempDir'

const root = process.getuid?.() === 0

describe('the runtime folder of the control socket', () => {
  it('is PROCTOR_RUNTIME_DIR when set, else $XDG_RUNTIME_DIR/proctor/<hash of the data folder> when usable, else <dataDir>/run', () => {
    const data = tempDir()
    expect(runtimeDirFor(data, { PROCTOR_RUNTIME_DIR: '/run/x' })).toBe('/run/x')
    const xdg = tempDir()
    chmodSync(xdg, 0o700)
    const a = runtimeDirFor(data, { XDG_RUNTIME_DIR: xdg })
    expect(a).toMatch(new RegExp(`^${xdg}/proctor/[0-9a-f]{12}$`))
    // Another data folder, another owner: never the same socket.
    expect(runtimeDirFor(tempDir(), { XDG_RUNTIME_DIR: xdg })).not.toBe(a)
    // Not usable: open to others, relative, missing.
    chmodSync(xdg, 0o755)
    expect(runtimeDirFor(data, { XDG_RUNTIME_DIR: xdg })).toBe(join(data, 'run'))
    expect(runtimeDirFor(data, { XDG_RUNTIME_DIR: 'relative' })).toBe(join(data, 'run'))
    expect(runtimeDirFor(data, { XDG_RUNTIME_DIR: join(xdg, 'missing') })).toBe(join(data, 'run'))
    expect(runtimeDirFor(data, {})).toBe(join(data, 'run'))
  })

  it('is created mode 0700, and a folder of ours open to others is made 0700', () => {
    const dir = join(tempDir(), 'a', 'rt')
    ensureRuntimeDir(dir)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    chmodSync(dir, 0o755)
    expect(ensureRuntimeDir(dir)).toBe(join(dir, 'control.sock'))
    expect(statSync(dir).mode & 0o777).toBe(0o700)
  })

  it('refuses a symbolic link and a file in its place', () => {
    const base = tempDir()
    const target = join(base, 'target')
    mkdirSync(target, { mode: 0o700 })
    symlinkSync(target, join(base, 'link'))
    expect(() => ensureRuntimeDir(join(base, 'link'))).toThrow(/is not a folder \(it is a symbolic link\)/)
  })

  // Only root can make a folder another user's; as anyone else there is no such folder to try.
  it.skipIf(!root)("refuses a folder that belongs to another user (needs root to make one), naming the way out", () => {
    const dir = join(tempDir(), 'rt')
    mkdirSync(dir, { mode: 0o700 })
    chownSync(dir, NOBODY, NOBODY)
    expect(() => ensureRuntimeDir(dir)).toThrow(new RegExp(`belongs to uid ${NOBODY}, not to this user.*PROCTOR_RUNTIME_DIR`))
  })

  it(`refuses a socket path over ${MAX_SOCKET_PATH_BYTES} bytes (macOS's limit), naming the path and PROCTOR_RUNTIME_DIR`, () => {
    const long = join('/tmp', 'x'.repeat(MAX_SOCKET_PATH_BYTES - '/tmp/'.length - '/control.sock'.length + 1))
    expect(() => controlSocketPath(long)).toThrow(new RegExp(`${long}/control.sock is 104 bytes.*set PROCTOR_RUNTIME_DIR`))
    expect(() => ensureRuntimeDir(long)).toThrow(/PROCTOR_RUNTIME_DIR/)
    expect(controlSocketPath(long.slice(0, -1))).toHaveLength(MAX_SOCKET_PATH_BYTES)
  })
})
