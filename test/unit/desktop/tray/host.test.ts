import { describe, expect, it } from 'vitest'
import {
  hasSessionBus,
  parseNameHasOwner,
  planTray,
  probeStatusNotifierHost,
  PROBE_COMMANDS,
  trayModeFromEnv,
  type CommandRunner,
} from '../../../../src/main/desktop/tray/host'

describe('planTray', () => {
  it('always makes a tray on macOS and Windows, and trusts it', () => {
    expect(planTray('darwin', {})).toMatchObject({ create: true, hostPresent: true })
    expect(planTray('win32', {})).toMatchObject({ create: true, hostPresent: true })
  })

  it('on Linux makes one but leaves whether anything shows it to the session bus', () => {
    expect(planTray('linux', {})).toMatchObject({ create: true, hostPresent: undefined })
    expect(planTray('freebsd', {})).toMatchObject({ create: true, hostPresent: undefined })
  })

  it('PROCTOR_TRAY=off makes none, =on makes one and trusts it, anywhere', () => {
    for (const platform of ['linux', 'darwin'] as const) {
      expect(planTray(platform, { PROCTOR_TRAY: 'off' })).toMatchObject({ create: false, hostPresent: false })
      expect(planTray(platform, { PROCTOR_TRAY: 'on' })).toMatchObject({ create: true, hostPresent: true })
    }
    expect(['0', 'false', 'NO', ' Off '].map((v) => trayModeFromEnv({ PROCTOR_TRAY: v }))).toEqual(['off', 'off', 'off', 'off'])
    expect(['1', 'true', 'yes', 'force'].map((v) => trayModeFromEnv({ PROCTOR_TRAY: v }))).toEqual(['on', 'on', 'on', 'on'])
    expect(['', 'auto', 'maybe'].map((v) => trayModeFromEnv({ PROCTOR_TRAY: v }))).toEqual(['auto', 'auto', 'auto'])
  })
})

describe('parseNameHasOwner', () => {
  it('reads dbus-send and gdbus replies', () => {
    const dbusSend = 'method return time=1714.1 sender=org.freedesktop.DBus -> destination=:1.88 serial=3 reply_serial=2\n   boolean true\n'
    expect(parseNameHasOwner(dbusSend)).toBe(true)
    expect(parseNameHasOwner(dbusSend.replace('true', 'false'))).toBe(false)
    expect(parseNameHasOwner('(true,)\n')).toBe(true)
    expect(parseNameHasOwner('(false,)\n')).toBe(false)
    expect(parseNameHasOwner('Error: org.freedesktop.DBus.Error.ServiceUnknown')).toBeUndefined()
    expect(parseNameHasOwner('')).toBeUndefined()
  })
})

describe('probeStatusNotifierHost', () => {
  const bus = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' }

  it('asks NameHasOwner(org.kde.StatusNotifierWatcher) with dbus-send first', async () => {
    const asked: string[][] = []
    const run: CommandRunner = (file, args) => {
      asked.push([file, ...args])
      return Promise.resolve('method return ...\n   boolean true\n')
    }
    await expect(probeStatusNotifierHost({ env: bus, run })).resolves.toMatchObject({ present: true })
    expect(asked).toEqual([[PROBE_COMMANDS[0]!.file, ...PROBE_COMMANDS[0]!.args]])
    expect(asked[0]).toContain('string:org.kde.StatusNotifierWatcher')
  })

  it('falls back to gdbus when dbus-send is missing, and says no when neither answers', async () => {
    const missing = Object.assign(new Error('spawn dbus-send ENOENT'), { code: 'ENOENT' })
    const gdbus: CommandRunner = (file) => (file === 'gdbus' ? Promise.resolve('(false,)\n') : Promise.reject(missing))
    await expect(probeStatusNotifierHost({ env: bus, run: gdbus })).resolves.toMatchObject({ present: false })
    const nothing: CommandRunner = () => Promise.reject(missing)
    const answer = await probeStatusNotifierHost({ env: bus, run: nothing })
    expect(answer.present).toBe(false)
    expect(answer.how).toContain('dbus-send: spawn dbus-send ENOENT')
  })

  it('does not start a bus where there is none (no address, no $XDG_RUNTIME_DIR/bus)', async () => {
    let ran = false
    const run: CommandRunner = () => {
      ran = true
      return Promise.resolve('(true,)')
    }
    await expect(probeStatusNotifierHost({ env: {}, run })).resolves.toEqual({ present: false, how: 'no D-Bus session bus' })
    expect(ran).toBe(false)
    expect(hasSessionBus({ XDG_RUNTIME_DIR: '/run/user/1000' }, (p) => p === '/run/user/1000/bus')).toBe(true)
    expect(hasSessionBus({ XDG_RUNTIME_DIR: '/run/user/1000' }, () => false)).toBe(false)
  })
})
