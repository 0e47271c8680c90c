import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir as makeTempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'
import { describe, expect, it } from 'vitest'
import { defaultSettings, settingsSchema } from '../../../src/shared/settings'
import { ProctorError } from '../../../src/shared/errors'
import { SETTINGS_FILE, SETTINGS_SCHEMA_VERSION, SettingsStore } from '../../../src/main/core/settings/settingsStore'

const tempDir = () => makeTempDir('proctor-settings-')

describe('settings schema', () => {
  it('has the documented defaults', () => {
    expect(defaultSettings()).toEqual({
      refreshInterval: 1000,
      maxProcessHistory: 100,
      metricsHistorySize: 3600,
      backgroundRefreshInterval: 2000,
      closeToTray: true,
      closeToTrayNoticeShown: false,
      startAtLogin: false,
      monitorSystemMetrics: true,
      platformAdapter: 'auto',
      cpuScale: 'core',
      ui: { theme: 'system', confirmDestructive: true },
      protectedNames: ['systemd', 'init', 'launchd', 'kernel_task', 'WindowServer', 'loginwindow'],
      enableIPC: false,
      enablePooling: false,
      enableHealthChecks: false,
      enableAutoRestart: false,
      ipcConfig: { maxConnections: 100, messageTimeout: 5000, reconnectInterval: 1000, maxReconnectAttempts: 3 },
      poolConfig: {
        defaultMinWorkers: 1,
        defaultMaxWorkers: 4,
        poolScalingStrategy: 'dynamic',
        poolHealthCheckInterval: 30000,
        poolWorkerTimeout: 60000,
        poolTaskTimeout: 30000,
        poolMaxQueueSize: 1000,
        poolLoadBalancing: 'least_busy',
      },
      healthConfig: {
        checkInterval: 30000,
        unhealthyThreshold: 3,
        healthyThreshold: 2,
        restartDelay: 5000,
        maxRestartAttempts: 3,
        restartBackoffMultiplier: 2,
      },
      metricsEndpoint: { enabled: false, address: '127.0.0.1', port: 9464 },
    })
  })

  it('refuses a metricsEndpoint address that is not an IP address, or a port out of range, naming the field', () => {
    for (const [metricsEndpoint, path] of [
      [{ address: 'example.com' }, 'address'],
      [{ address: '127.0.0.1:9464' }, 'address'],
      [{ port: 0 }, 'port'],
      [{ port: 65_536 }, 'port'],
      [{ port: 9464.5 }, 'port'],
    ] as const) {
      const parsed = settingsSchema.safeParse({ metricsEndpoint })
      expect(parsed.success).toBe(false)
      expect(parsed.error?.issues[0]?.path).toEqual(['metricsEndpoint', path])
    }
    expect(settingsSchema.parse({ metricsEndpoint: { address: '::1', enabled: true } }).metricsEndpoint).toEqual({ enabled: true, address: '::1', port: 9464 })
  })

  it('bounds refreshInterval to 250..60000', () => {
    expect(settingsSchema.safeParse({ refreshInterval: 249 }).success).toBe(false)
    expect(settingsSchema.safeParse({ refreshInterval: 250 }).success).toBe(true)
    expect(settingsSchema.safeParse({ refreshInterval: 60000 }).success).toBe(true)
    expect(settingsSchema.safeParse({ refreshInterval: 60001 }).success).toBe(false)
  })

  it('never puts the broker socket in a shared temporary folder', () => {
    expect(settingsSchema.safeParse({ ipcConfig: { socketDir: '/tmp/proctor' } }).success).toBe(false)
    expect(settingsSchema.safeParse({ ipcConfig: { socketDir: '/var/tmp/x' } }).success).toBe(false)
    expect(settingsSchema.safeParse({ ipcConfig: { socketDir: 'relative/dir' } }).success).toBe(false)
    expect(settingsSchema.safeParse({ ipcConfig: { socketDir: '/run/user/1000/proctor' } }).success).toBe(true)
  })
})

describe('SettingsStore', () => {
  it('starts from defaults without a file and persists updates atomically', () => {
    const dir = tempDir()
    const store = new SettingsStore(dir)
    expect(store.get()).toEqual(defaultSettings())
    const next = store.update({ refreshInterval: 2000, poolConfig: { defaultMaxWorkers: 8 } })
    expect(next.refreshInterval).toBe(2000)
    expect(next.poolConfig.defaultMaxWorkers).toBe(8)
    expect(next.poolConfig.defaultMinWorkers).toBe(1)
    const file = JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8'))
    expect(file.schemaVersion).toBe(1)
    expect(file.settings.refreshInterval).toBe(2000)
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE])
    expect(new SettingsStore(dir).get().poolConfig.defaultMaxWorkers).toBe(8)
  })

  it('refuses a bad value naming the field, and keeps the old settings', () => {
    const dir = tempDir()
    const store = new SettingsStore(dir)
    const attempt = () => store.update({ refreshInterval: 10 })
    expect(attempt).toThrow(ProctorError)
    expect(attempt).toThrow(/refreshInterval/)
    expect(() => store.update({ healthConfig: { unhealthyThreshold: 'three' as unknown as number } })).toThrow(
      /healthConfig\.unhealthyThreshold/,
    )
    expect(() => store.update({ poolConfig: { defaultMinWorkers: 9 } })).toThrow(/poolConfig\.defaultMinWorkers/)
    expect(() => store.update({ ipcConfig: { bogus: 1 } as never })).toThrow(/ipcConfig.*bogus/)
    try {
      store.update({ refreshInterval: 10 })
    } catch (err) {
      expect((err as ProctorError).code).toBe('INVALID_ARGUMENT')
    }
    expect(store.get()).toEqual(defaultSettings())
    expect(readdirSync(dir)).toEqual([])
  })

  it('tells listeners about changes', () => {
    const store = new SettingsStore(tempDir())
    const seen: number[] = []
    store.onChange((s, prev) => seen.push(prev.refreshInterval, s.refreshInterval))
    store.update({ refreshInterval: 500 })
    expect(seen).toEqual([1000, 500])
  })

  it.each([
    ['a hand-written file of settings alone', { refreshInterval: 2000 }],
    ['settings in the wrapper, without a version', { settings: { refreshInterval: 2000 } }],
    ['a version, the settings beside it', { schemaVersion: 1, refreshInterval: 2000 }],
    ['the usual form', { schemaVersion: 1, settings: { refreshInterval: 2000 } }],
  ])('reads %s as the current version, and leaves the file as it is', (_what, doc) => {
    const dir = tempDir()
    const content = JSON.stringify(doc)
    writeFileSync(join(dir, SETTINGS_FILE), content)
    const store = new SettingsStore(dir)
    expect(store.notices).toEqual([])
    expect(store.get()).toEqual({ ...defaultSettings(), refreshInterval: 2000 })
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE])
    expect(readFileSync(join(dir, SETTINGS_FILE), 'utf8')).toBe(content)
  })

  it('writes a version-less file back in the usual form on the next change, keeping what it said', () => {
    const dir = tempDir()
    writeFileSync(join(dir, SETTINGS_FILE), '{"refreshInterval": 2000, "ui": {"theme": "dark"}}\n')
    const store = new SettingsStore(dir)
    store.update({ cpuScale: 'machine' })
    const file = JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8'))
    expect(file.schemaVersion).toBe(SETTINGS_SCHEMA_VERSION)
    expect(file.settings).toMatchObject({ refreshInterval: 2000, cpuScale: 'machine', ui: { theme: 'dark' } })
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE])
  })

  it('reads an empty object as defaults, without a notice', () => {
    const dir = tempDir()
    writeFileSync(join(dir, SETTINGS_FILE), '{}')
    const store = new SettingsStore(dir)
    expect(store.get()).toEqual(defaultSettings())
    expect(store.notices).toEqual([])
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE])
  })

  it.each([
    ['not JSON', '{ nope', /not valid JSON/],
    ['a bad value', JSON.stringify({ schemaVersion: 1, settings: { refreshInterval: -5 } }), /refreshInterval/],
    ['a bad value and no version', JSON.stringify({ refreshInterval: -5 }), /: refreshInterval: /],
    ['a misspelt key and no version', JSON.stringify({ refreshIntervall: 2000 }), /refreshIntervall/],
    ['a newer version', JSON.stringify({ schemaVersion: 99, settings: {} }), /newer Proctor \(schema 99, this one reads 1\)/],
    ['a version that is not a number', JSON.stringify({ schemaVersion: '1', settings: {} }), /schemaVersion must be a whole number from 1, got "1"/],
    ['settings both wrapped and beside', JSON.stringify({ settings: {}, refreshInterval: 2000 }), /both "settings" and settings beside it \(refreshInterval\)/],
    ['an array', '[1, 2]', /it holds an array, not an object of settings/],
    ['null', 'null', /it holds null, not an object of settings/],
    ['a number', '42', /it holds a number, not an object of settings/],
  ])('keeps a file with %s aside, tells the user, and uses defaults', (_what, content, reason) => {
    const dir = tempDir()
    writeFileSync(join(dir, SETTINGS_FILE), content)
    const store = new SettingsStore(dir)
    expect(store.get()).toEqual(defaultSettings())
    expect(store.notices).toHaveLength(1)
    expect(store.notices[0]).toMatch(reason)
    const files = readdirSync(dir)
    expect(files).toHaveLength(1)
    expect(files[0]).toMatch(/^settings\.json\.corrupt-/)
    expect(readFileSync(join(dir, files[0] ?? ''), 'utf8')).toBe(content)
    expect(store.notices[0]).toContain(files[0])
  })
})

describe('SettingsStore.follow', () => {
  it('takes a change another writer made, tells listeners, keeps this run’s transient changes, and ignores a file that does not read', async () => {
    const dir = tempDir()
    const mine = new SettingsStore(dir)
    const other = new SettingsStore(dir)
    mine.applyTransient({ cpuScale: 'machine' })
    const logged: string[] = []
    const seen: number[] = []
    mine.onChange((s) => seen.push(s.refreshInterval))
    const stop = mine.follow((m) => logged.push(m))
    try {
      other.update({ refreshInterval: 1700, enableAutoRestart: true })
      await waitFor(() => mine.get().refreshInterval === 1700, 5000, 'the change to be followed')
      expect(mine.get().enableAutoRestart).toBe(true)
      expect(mine.get().cpuScale).toBe('machine')
      expect(seen).toEqual([1700])

      // A hand edit cut short: logged, settings in use unchanged, the file left for its writer.
      writeFileSync(join(dir, SETTINGS_FILE), '{"refreshInterval": 20')
      await waitFor(() => logged.length > 0, 5000, 'the unreadable change to be logged')
      expect(logged[0]).toMatch(/settings\.json changed but cannot be used: it is not valid JSON/)
      expect(mine.get().refreshInterval).toBe(1700)
      expect(readdirSync(dir)).toEqual([SETTINGS_FILE])

      // Then finished by hand, without a version: read as the current version.
      writeFileSync(join(dir, SETTINGS_FILE), '{"refreshInterval": 2500}')
      await waitFor(() => mine.get().refreshInterval === 2500, 5000, 'the finished edit to be taken')
      expect(seen).toEqual([1700, 2500])
    } finally {
      stop()
    }
    // Stopped: later changes are not taken.
    other.update({ refreshInterval: 3000 })
    await new Promise((r) => setTimeout(r, 300))
    expect(mine.get().refreshInterval).toBe(2500)
  })
})
