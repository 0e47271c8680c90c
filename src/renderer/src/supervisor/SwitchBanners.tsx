import { useState } from 'react'
import { usesIpc } from '../../../shared/supervisor/checks'
import type { ProgramsOverview } from '../../../shared/supervisor/status'
import { api } from '../api'
import type { Toasts } from '../hooks/useToasts'

type Switch = 'enableHealthChecks' | 'enableAutoRestart' | 'enableIPC'

/** What a global switch being off means for the programs, with a one-click way to turn it on. */
export function SwitchBanners({ overview, toasts }: { overview: ProgramsOverview; toasts: Toasts }) {
  const [busy, setBusy] = useState<Switch | undefined>(undefined)
  const withChecks = overview.programs.filter((p) => p.program.health.checks.length > 0).length
  const restarting = overview.programs.filter((p) => p.program.restart !== 'never').length
  const overIpc = overview.programs.filter((p) => usesIpc(p.program)).length
  const turnOn = (key: Switch, what: string) => {
    setBusy(key)
    api.updateSettings({ [key]: true }).then(
      () => toasts.show({ tone: 'success', title: `${what} turned on` }),
      (err: unknown) => toasts.show({ tone: 'error', title: `Could not turn on ${what.toLowerCase()}`, detail: err instanceof Error ? err.message : String(err) }),
    ).finally(() => setBusy(undefined))
  }
  const banners: Array<{ key: Switch; text: string; what: string }> = []
  if (!overview.healthChecks && withChecks > 0) {
    banners.push({
      key: 'enableHealthChecks',
      what: 'Health checks',
      text: `Health checks are configured for ${plural(withChecks, 'program')} but not running: the health checks switch is off.`,
    })
  }
  if (!overview.autoRestart && restarting > 0) {
    banners.push({
      key: 'enableAutoRestart',
      what: 'Auto-restart',
      text: `Auto-restart is off: ${plural(restarting, 'program')} with a restart policy will stay down when they exit.`,
    })
  }
  if (!overview.ipc && overIpc > 0) {
    banners.push({
      key: 'enableIPC',
      what: 'IPC',
      text: `IPC is off: ${plural(overIpc, 'program')} wait${overIpc === 1 ? 's' : ''} for a ready message or heartbeats over IPC, which ${overIpc === 1 ? 'it' : 'they'} cannot send without it.`,
    })
  }
  if (banners.length === 0) return null
  return (
    <div className="supervisor-notices">
      {banners.map((b) => (
        <div key={b.key} className="banner notice-tone" role="status">
          <span className="banner-mark" data-mark="!" aria-hidden="true" />
          <span className="banner-message">{b.text}</span>
          <button type="button" className="button small" disabled={busy === b.key} onClick={() => turnOn(b.key, b.what)}>
            Turn on
          </button>
        </div>
      ))}
    </div>
  )
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
