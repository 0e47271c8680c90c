import { useCallback } from 'react'
import { formatDuration } from '../../../shared/format'
import type { StopReport } from '../../../shared/supervisor/status'
import { api } from '../api'
import type { Toasts } from '../hooks/useToasts'

export type ProgramAction = 'start' | 'stop' | 'restart' | 'remove'

const WORDS: Record<ProgramAction, { verb: string; done: string }> = {
  start: { verb: 'start', done: 'Started' },
  stop: { verb: 'stop', done: 'Stopped' },
  restart: { verb: 'restart', done: 'Restarted' },
  remove: { verb: 'remove', done: 'Removed' },
}

/** What a stop did, in words: how it ended, and what else had to go. */
export function stopDetail(r: StopReport): string {
  const parts = [r.graceful ? `It ended on its stop signal in ${formatDuration(r.durationMs)}.` : 'It did not end on its stop signal in time and was killed.']
  if (r.dependents.length > 0) parts.push(`Stopped first, as they depend on it: ${r.dependents.join(', ')}.`)
  if (r.outsideGroup.length > 0) parts.push(`Found outside its group and stopped too: ${r.outsideGroup.map((p) => `${p.name} (PID ${p.pid})`).join(', ')}.`)
  return parts.join(' ')
}

async function perform(action: ProgramAction, name: string): Promise<string | undefined> {
  switch (action) {
    case 'start':
      await api.startProgram({ name, wait: 'spawned' })
      return undefined
    case 'stop':
      return stopDetail(await api.stopProgram({ name }))
    case 'restart':
      await api.restartProgram({ name })
      return undefined
    case 'remove': {
      const { stop } = await api.removeProgram({ name })
      return stop ? stopDetail(stop) : undefined
    }
  }
}

/** Start, stop, restart, remove: each ends in a toast, a failure with the supervisor's own message. */
export function useProgramActions(toasts: Toasts): (action: ProgramAction, name: string) => Promise<boolean> {
  const { show } = toasts
  return useCallback(
    async (action, name) => {
      try {
        const detail = await perform(action, name)
        show({ tone: 'success', title: `${WORDS[action].done} ${name}`, ...(detail ? { detail } : {}) })
        return true
      } catch (err) {
        show({ tone: 'error', title: `Could not ${WORDS[action].verb} ${name}`, detail: err instanceof Error ? err.message : String(err) })
        return false
      }
    },
    [show],
  )
}
