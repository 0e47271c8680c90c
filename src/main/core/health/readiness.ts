import type { Readiness } from '../../../shared/supervisor/checks'
import { compileRegex } from '../../../shared/query/regex'
import { IPC_OFF } from './healthMonitor'
import { httpAttempt, tcpAttempt, type Attempt } from './probes'

export interface ReadyLine {
  stream: 'stdout' | 'stderr'
  text: string
}

export interface WaitReadyOptions {
  /** Not ready in this time: the start failed. */
  timeoutMs: number
  /** The program's output, line by line (ProgramLogs fits); only lines from now on are seen. */
  logs: { onLine(listener: (line: ReadyLine) => void): () => void }
  /** For readiness of kind ipc: whether the run got an IPC token, and its `ready` messages. */
  ipc?: { listening: boolean; onReady(listener: () => void): () => void }
  /** Aborted when the program exited or was stopped: the wait ends at once, as `cancelled`. */
  signal: AbortSignal
  /** Between the end of one HTTP/TCP attempt and the next. */
  pollMs?: number
}

export interface ReadyResult {
  ok: boolean
  detail: string
}

/** One HTTP/TCP attempt waits at most this long unless the check has its own timeout. */
const ATTEMPT_TIMEOUT_MS = 2000
/** The most of a matching line quoted in the detail. */
const LINE_CHARS = 120

/**
 * Waits until a starting program is ready: an HTTP or TCP probe passes
 * (polled), or a line of its output matches the pattern (RE2, so a user's
 * pattern cannot stall the engine). Always resolves, never rejects; on
 * every way out it clears its timers, its listener and the probe in flight.
 */
export function waitReady(ready: Readiness, options: WaitReadyOptions): Promise<ReadyResult> {
  const { timeoutMs, logs, signal, pollMs = 250 } = options
  if (signal.aborted) return Promise.resolve({ ok: false, detail: 'cancelled' })
  const started = performance.now()
  const after = (): string => `after ${seconds(performance.now() - started)}`
  return new Promise((resolve) => {
    const cleanups: (() => void)[] = []
    let last: string | undefined
    let done = false
    const finish = (result: ReadyResult): void => {
      if (done) return
      done = true
      for (const cleanup of cleanups) cleanup()
      resolve(result)
    }
    const onAbort = (): void => finish({ ok: false, detail: 'cancelled' })
    signal.addEventListener('abort', onAbort, { once: true })
    cleanups.push(() => signal.removeEventListener('abort', onAbort))
    const deadline = setTimeout(() => finish({ ok: false, detail: `not ready after ${seconds(timeoutMs)}${last !== undefined ? `: last: ${last}` : ''}` }), timeoutMs)
    cleanups.push(() => clearTimeout(deadline))

    if (ready.kind === 'ipc') {
      if (!options.ipc?.listening) return finish({ ok: false, detail: IPC_OFF })
      cleanups.push(options.ipc.onReady(() => finish({ ok: true, detail: `ready message over IPC ${after()}` })))
      return
    }

    if (ready.kind === 'log') {
      let pattern
      try {
        pattern = compileRegex(ready.pattern, 0, 'in the readiness pattern')
      } catch (err) {
        finish({ ok: false, detail: err instanceof Error ? err.message : String(err) })
        return
      }
      const matcher = pattern
      cleanups.push(
        logs.onLine((line) => {
          if (ready.stream !== 'both' && line.stream !== ready.stream) return
          if (matcher.test(line.text)) finish({ ok: true, detail: `line "${cut(line.text)}" on ${line.stream} ${after()}` })
        }),
      )
      return
    }

    // Polled: one attempt at a time, each cancelled with the wait and never outliving the deadline.
    const attempts = new AbortController()
    cleanups.push(() => attempts.abort())
    let pollTimer: NodeJS.Timeout | undefined
    cleanups.push(() => clearTimeout(pollTimer))
    const attempt = (): void => {
      const left = timeoutMs - (performance.now() - started)
      const limit = Math.max(10, Math.min(ready.timeoutMs ?? ATTEMPT_TIMEOUT_MS, left))
      const pending: Promise<Attempt> = ready.kind === 'http' ? httpAttempt(ready, limit, attempts.signal) : tcpAttempt(ready, limit, attempts.signal)
      void pending.then((a) => {
        if (done) return
        if (a.ok) finish({ ok: true, detail: `${a.what} ${after()}` })
        else {
          last = a.what
          pollTimer = setTimeout(attempt, pollMs)
        }
      })
    }
    attempt()
  })
}

/** "0.3 s", "1.2 s", "60 s". */
function seconds(ms: number): string {
  const s = ms / 1000
  return `${s >= 10 ? Math.round(s) : Math.round(s * 10) / 10} s`
}

function cut(text: string): string {
  return text.length > LINE_CHARS ? `${text.slice(0, LINE_CHARS - 1)}…` : text
}
