import { useEffect, useState } from 'react'
import type { ProgramLogLine } from '../../../shared/supervisor/status'
import { api } from '../api'
import { appendLines } from './logView'

export interface ProgramLogsState {
  lines: readonly ProgramLogLine[]
  /** The current log file, and how many lines did not reach the files. */
  file: string | undefined
  dropped: number
  /** Why the log file cannot be written now, when it cannot. */
  fileError?: string
  error: Error | undefined
}

/** Lines asked for when the viewer opens. */
const BACKLOG = 5000
const EMPTY: ProgramLogsState = { lines: [], file: undefined, dropped: 0, error: undefined }

/**
 * A program's output: the backlog kept in memory (getProgramLogs), then
 * each new batch (subscribeToProgramLogs). The stream starts first; lines
 * it brings before the backlog arrives are those after it (older than the
 * backlog's newest are dropped as already there).
 */
export function useProgramLogs(name: string): ProgramLogsState {
  const [state, setState] = useState<{ name: string; logs: ProgramLogsState }>({ name, logs: EMPTY })
  // Another program: start from nothing (adjusting state while rendering: no flash of the old lines).
  const logs = state.name === name ? state.logs : EMPTY
  if (state.name !== name) setState({ name, logs: EMPTY })

  useEffect(() => {
    let live = true
    let early: ProgramLogLine[] | undefined = []
    const update = (f: (s: ProgramLogsState) => ProgramLogsState) => {
      if (live) setState((s) => (s.name === name ? { name, logs: f(s.logs) } : s))
    }
    const fail = (err: unknown) => update((s) => ({ ...s, error: err instanceof Error ? err : new Error(String(err)) }))
    const unsubscribe = api.subscribeToProgramLogs(
      { name },
      (batch) => {
        if (early) early.push(...batch)
        else update((s) => ({ ...s, lines: appendLines(s.lines, batch), error: undefined }))
      },
      fail,
    )
    api.getProgramLogs({ name, lines: BACKLOG, stream: 'both' }).then((backlog) => {
      const newest = backlog.lines[backlog.lines.length - 1]?.at ?? -Infinity
      const after = (early ?? []).filter((l) => l.at > newest)
      early = undefined
      update(() => ({ lines: appendLines(backlog.lines, after), file: backlog.file, dropped: backlog.dropped, fileError: backlog.fileError, error: undefined }))
    }, fail)
    return () => {
      live = false
      unsubscribe()
    }
  }, [name])

  return logs
}
