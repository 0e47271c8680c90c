import { useEffect } from 'react'
import type { Toasts } from '../hooks/useToasts'
import { api } from '../api'
import type { FormMode } from './ProgramFormDialog'

/** "Supervise this…" on a process: the identity the user saw. */
export interface AdoptRequest {
  pid: number
  startTime: number
  name: string
}

/**
 * Turns an adoption request into the add form, pre-filled by the
 * supervisor (draftAdoption); the request is handled once the draft (or
 * its error) is there. `handled` and `open` must be stable.
 */
export function useAdoption(request: AdoptRequest | undefined, handled: () => void, open: (mode: FormMode) => void, show: Toasts['show']): void {
  useEffect(() => {
    if (!request) return
    let live = true
    api
      .draftAdoption({ pid: request.pid, startTime: request.startTime })
      .then(
        (draft) => {
          if (live) open({ kind: 'adopt', draft, processName: request.name })
        },
        (err: unknown) => {
          if (live) show({ tone: 'error', title: `Could not prepare ${request.name} (PID ${request.pid}) for supervision`, detail: err instanceof Error ? err.message : String(err) })
        },
      )
      .finally(() => {
        if (live) handled()
      })
    return () => {
      live = false
    }
  }, [request, handled, open, show])
}
