import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ProgramLogs } from '../../src/main/core/supervisor/logs'
import { SettingsStore } from '../../src/main/core/settings/settingsStore'
import { ProctorError } from '../../src/shared/errors'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'
import { figure } from './figures'

/*
 * A full disk under the data folder: a real 1 MiB tmpfs mounted for the
 * test (which needs root: mount(2)). A program's log lines and a settings
 * change meet ENOSPC; both are reported, nothing already written is lost
 * or torn, no temp file stays, and writing resumes once there is room.
 */

const MOUNT = join(tempDir('full-'), 'disk')

/** Why a tmpfs cannot be mounted here, or undefined when it was. */
function mountSmallDisk(): string | undefined {
  if (process.getuid?.() !== 0) return 'mounting a small tmpfs needs root'
  mkdirSync(MOUNT, { recursive: true })
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', MOUNT], { stdio: 'pipe' })
    return undefined
  } catch (err) {
    return `mount -t tmpfs failed: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`
  }
}

const unavailable = mountSmallDisk()
const children: ChildProcess[] = []

afterAll(() => {
  for (const c of children) c.kill('SIGKILL')
  if (!unavailable) execFileSync('umount', ['-l', MOUNT])
})

const LINE = /^\S+ stdout line (\d+) x{100}$/
const MARKER = /^\S+ proctor (\d+) lines? dropped here: (.*)$/

describe(`a full disk${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it.skipIf(unavailable)('log lines and settings meet ENOSPC: reported, nothing written lost or torn, writing resumes with room', async () => {
    const settings = new SettingsStore(MOUNT)
    settings.update({ refreshInterval: 1200 })
    const settingsBefore = readFileSync(join(MOUNT, 'settings.json'), 'utf8')
    // Room to free later.
    writeFileSync(join(MOUNT, 'filler'), Buffer.alloc(256 * 1024))

    const logs = new ProgramLogs({ dir: join(MOUNT, 'logs'), name: 'chatty', maxBytes: 64 * 1024 * 1024, files: 2 })
    const child = spawn(
      process.execPath,
      ['-e', `let n = 0; setInterval(() => { let s = ''; for (let i = 0; i < 50; i++) s += 'line ' + ++n + ' ' + 'x'.repeat(100) + '\\n'; process.stdout.write(s) }, 5)`],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    )
    children.push(child)
    logs.capture(child.stdout!, 'stdout')

    await waitFor(() => logs.fileError, 20_000, 'the log file to meet a full disk')
    expect(logs.fileError).toMatch(/ENOSPC/)
    await waitFor(() => logs.dropped > 0, 10_000, 'lines to be dropped')

    // A settings change on the full disk: refused, naming the file and why; nothing changed.
    let refused: unknown
    try {
      settings.update({ refreshInterval: 1500 })
    } catch (err) {
      refused = err
    }
    expect(refused).toBeInstanceOf(ProctorError)
    expect((refused as ProctorError).code).toBe('UNAVAILABLE')
    expect((refused as ProctorError).message).toBe(`could not save ${join(MOUNT, 'settings.json')}: ENOSPC (the disk is full); nothing was changed`)
    expect(settings.get().refreshInterval).toBe(1200)
    expect(readFileSync(join(MOUNT, 'settings.json'), 'utf8')).toBe(settingsBefore)
    expect(readdirSync(MOUNT).filter((f) => f.endsWith('.tmp'))).toEqual([])

    // Room again: the file takes lines again, after a marker saying how many were lost and why.
    const droppedWhileFull = logs.dropped
    rmSync(join(MOUNT, 'filler'))
    await waitFor(() => logs.fileError === undefined, 10_000, 'writing to succeed again')
    await waitFor(() => readFileSync(logs.file.path, 'utf8').split('\n').some((l) => MARKER.test(l)), 10_000, 'the marker line')
    child.kill('SIGKILL')
    await logs.flush()
    expect(settings.update({ refreshInterval: 1500 }).refreshInterval).toBe(1500)

    // Every line whole; numbered lines in order with no gap except where a marker stands.
    const lines = readFileSync(logs.file.path, 'utf8').split('\n').slice(0, -1)
    let last = 0
    let markers = 0
    let gapAtMarker = false
    for (const line of lines) {
      const m = LINE.exec(line)
      const marker = MARKER.exec(line)
      expect(m ?? marker, `a torn or unknown line: ${line.slice(0, 80)}`).not.toBeNull()
      if (marker) {
        markers++
        expect(marker[2]).toBe('writing the log file failed (ENOSPC)')
        gapAtMarker = true
        continue
      }
      const n = Number(m![1])
      if (!gapAtMarker) expect(n, 'a line missing where no marker says so').toBe(last + 1)
      expect(n).toBeGreaterThan(last)
      last = n
      gapAtMarker = false
    }
    figure('full disk', { lines_in_file: lines.length - markers, markers, lines_dropped: logs.dropped, dropped_while_full: droppedWhileFull, settings_refused: true })
    expect(markers).toBeGreaterThanOrEqual(1)
    await logs.close()
  })
})
