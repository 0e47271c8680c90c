import { useEffect, useState } from 'react'
import type { ProcessHistory, ProcessIdentity, ProcessInfo } from '../../../shared/types/process'
import { api } from '../api'

export interface Watched {
  /** The newest sample of the process. */
  process?: ProcessInfo
  history?: ProcessHistory
  /** It has exited (the stream said so). */
  exited: boolean
  error?: Error
}

interface State extends Watched {
  /** Whose state this is: another target starts empty. */
  key: string
}

const NOTHING: Watched = { exited: false }

/**
 * One process's live samples and CPU/memory history (watchProcess), while
 * a target is given and updates are not paused; a new target starts over.
 */
export function useWatchProcess(target: ProcessIdentity | undefined, paused: boolean): Watched {
  const key = target ? `${target.pid}:${target.startTime}` : ''
  const [state, setState] = useState<State>({ key: '', exited: false })
  const pid = target?.pid
  const startTime = target?.startTime

  useEffect(() => {
    if (pid === undefined || startTime === undefined || paused) return
    const mine = `${pid}:${startTime}`
    let live = true
    const unsubscribe = api.watchProcess(
      { pid, startTime },
      (event) => {
        if (!live) return
        if (event.type === 'sample') setState({ key: mine, process: event.process, history: event.history, exited: false })
        else setState((s) => ({ ...(s.key === mine ? s : { key: mine }), exited: true }))
      },
      (error) => {
        if (live) setState((s) => ({ ...(s.key === mine ? s : { key: mine, exited: false }), error }))
      },
    )
    return () => {
      live = false
      unsubscribe()
    }
  }, [pid, startTime, paused])

  return state.key === key && key !== '' ? state : NOTHING
}
