import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { detectElevation, elevatedArgv } from '../../../src/main/core/control/elevation'
import { tempDir } from '../../helpers/tempDir'

function pathWithPkexec(): string {
  const dir = tempDir('proctor-bin-')
  const file = join(dir, 'pkexec')
  writeFileSync(file, '#!/bin/sh\n')
  chmodSync(file, 0o755)
  return dir
}

describe('detectElevation', () => {
  it('needs pkexec and a graphical session for the polkit prompt on Linux', () => {
    expect(detectElevation('linux', { PATH: tempDir() })).toEqual({ possible: false, reason: 'pkexec is not installed' })
    const withPkexec = pathWithPkexec()
    expect(detectElevation('linux', { PATH: withPkexec })).toMatchObject({ possible: false, method: 'pkexec', reason: /graphical session/ })
    expect(detectElevation('linux', { PATH: withPkexec, DISPLAY: ':0' })).toEqual({ possible: true, method: 'pkexec' })
    expect(detectElevation('linux', { PATH: withPkexec, WAYLAND_DISPLAY: 'wayland-0' })).toEqual({ possible: true, method: 'pkexec' })
  })

  it('uses the administrator prompt on macOS and nothing elsewhere', () => {
    expect(detectElevation('darwin', {})).toEqual({ possible: true, method: 'osascript' })
    expect(detectElevation('freebsd', {}).possible).toBe(false)
  })
})

describe('elevatedArgv', () => {
  it('is an argv for pkexec, never a shell string', () => {
    expect(elevatedArgv('pkexec', { kind: 'signal', signal: 'TERM', pid: 42 })).toEqual(['pkexec', '/bin/kill', '-s', 'TERM', '42'])
    expect(elevatedArgv('pkexec', { kind: 'renice', priority: -5, pid: 42 })).toEqual(['pkexec', '/usr/bin/renice', '-n', '-5', '-p', '42'])
  })

  it('on macOS passes the values as arguments to a constant script that quotes them', () => {
    const argv = elevatedArgv('osascript', { kind: 'signal', signal: 'KILL', pid: 7 })
    expect(argv.slice(-4)).toEqual(['/bin/kill', '-s', 'KILL', '7'])
    const script = argv.slice(1, -4).filter((_, i) => i % 2 === 1)
    expect(script.join('\n')).toContain('quoted form of')
    expect(script.join('\n')).not.toContain('7')
    expect(argv.slice(1, -4).filter((_, i) => i % 2 === 0).every((flag) => flag === '-e')).toBe(true)
  })
})
