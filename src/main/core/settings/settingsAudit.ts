import type { Settings } from '../../../shared/settings'
import type { SettingsAuditEntry } from '../../../shared/types/control'
import type { Caller } from '../../../shared/types/caller'

/**
 * Settings changes as audit entries: whoever holds the API can change the
 * safety nets (protected names, confirmations), so every change is logged
 * with its caller, and taking names off the protected list says so.
 */

type Change = SettingsAuditEntry['changes'][number]

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)
const isGroup = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Every setting that differs, nested groups (ui, ipcConfig, ...) as dotted keys. */
export function settingsChanges(prev: Settings, next: Settings): Change[] {
  const changes: Change[] = []
  const walk = (a: Record<string, unknown>, b: Record<string, unknown>, prefix: string) => {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const from = a[key]
      const to = b[key]
      if (isGroup(from) && isGroup(to)) walk(from, to, `${prefix}${key}.`)
      else if (!same(from, to)) changes.push({ key: `${prefix}${key}`, from, to })
    }
  }
  walk(prev as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>, '')
  return changes
}

/** The audit entry for one change, or undefined when nothing changed. */
export function settingsAuditEntry(prev: Settings, next: Settings, caller: Caller, now = Date.now()): SettingsAuditEntry | undefined {
  const changes = settingsChanges(prev, next)
  if (changes.length === 0) return undefined
  const unprotected = prev.protectedNames.filter((name) => !next.protectedNames.includes(name))
  const keys = changes.map((c) => c.key).join(', ')
  return {
    timestamp: now,
    action: 'settings',
    changes,
    ...(unprotected.length > 0 ? { unprotected } : {}),
    ok: true,
    outcome: unprotected.length > 0 ? `changed ${keys}; no longer protected: ${unprotected.join(', ')}` : `changed ${keys}`,
    caller,
  }
}
