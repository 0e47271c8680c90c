import { describe, expect, it } from 'vitest'
import { settingsAuditEntry, settingsChanges } from '../../../src/main/core/settings/settingsAudit'
import { defaultSettings, mergeSettings, settingsSchema, type SettingsPatch } from '../../../src/shared/settings'

const cli = { kind: 'cli', detail: 'pid 1, user ada' } as const
const patched = (patch: SettingsPatch) => settingsSchema.parse(mergeSettings(defaultSettings(), patch))

describe('settings changes in the audit log', () => {
  it('lists each changed setting with its old and new value, nested groups as dotted keys', () => {
    const next = patched({ refreshInterval: 2000, ui: { confirmDestructive: false }, healthConfig: { checkInterval: 5000 } })
    expect(settingsChanges(defaultSettings(), next)).toEqual([
      { key: 'refreshInterval', from: 1000, to: 2000 },
      { key: 'ui.confirmDestructive', from: true, to: false },
      { key: 'healthConfig.checkInterval', from: 30_000, to: 5000 },
    ])
  })

  it('says which names are no longer protected, beside the change itself', () => {
    const prev = defaultSettings()
    const entry = settingsAuditEntry(prev, patched({ protectedNames: ['systemd', 'sshd'] }), cli, 42)
    expect(entry).toEqual({
      timestamp: 42,
      action: 'settings',
      changes: [{ key: 'protectedNames', from: prev.protectedNames, to: ['systemd', 'sshd'] }],
      unprotected: prev.protectedNames.filter((n) => n !== 'systemd'),
      ok: true,
      outcome: `changed protectedNames; no longer protected: ${prev.protectedNames.filter((n) => n !== 'systemd').join(', ')}`,
      caller: cli,
    })
  })

  it('adding protected names is a change but removes nothing; no change at all is no entry', () => {
    const prev = defaultSettings()
    const entry = settingsAuditEntry(prev, patched({ protectedNames: [...prev.protectedNames, 'postgres'] }), cli)
    expect(entry?.unprotected).toBeUndefined()
    expect(entry?.outcome).toBe('changed protectedNames')
    expect(settingsAuditEntry(prev, patched({}), cli)).toBeUndefined()
  })
})
