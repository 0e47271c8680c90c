import { ProctorError } from '../../../shared/errors'
import { formatDuration } from '../../../shared/format'
import type { ProgramState } from '../../../shared/supervisor/states'
import type { OwnerInfo, ProgramHealth, ProgramStatus } from '../../../shared/supervisor/status'

/** What the Supervisor page shows of a program, as pure functions of its status and the time. */

export const STATE_LABELS: Record<ProgramState, string> = {
  stopped: 'Stopped',
  starting: 'Starting',
  running: 'Running',
  stopping: 'Stopping',
  backoff: 'Backoff',
  exited: 'Exited',
  fatal: 'Fatal',
}

/** How loud a state is: its dot's colour. */
export function stateTone(state: ProgramState): 'ok' | 'warn' | 'bad' | 'idle' {
  switch (state) {
    case 'running':
      return 'ok'
    case 'starting':
    case 'stopping':
    case 'backoff':
      return 'warn'
    case 'fatal':
      return 'bad'
    case 'stopped':
    case 'exited':
      return 'idle'
  }
}

/** How long it has been up, while it runs (from the transition into running). */
export function uptimeText(p: Pick<ProgramStatus, 'state' | 'since'>, now: number): string | undefined {
  return p.state === 'running' ? formatDuration(now - p.since) : undefined
}

/** "in 4s" while in backoff with a restart scheduled; "now" once the time has come. */
export function countdownText(p: Pick<ProgramStatus, 'state' | 'nextRestartAt'>, now: number): string | undefined {
  if (p.state !== 'backoff' || p.nextRestartAt === undefined) return undefined
  const left = p.nextRestartAt - now
  // Rounded up: "in 1s" until the very moment, never "in 0s" before it.
  return left <= 0 ? 'now' : `in ${formatDuration(Math.ceil(left / 1000) * 1000)}`
}

export const HEALTH_LABELS: Record<ProgramHealth['status'], string> = {
  healthy: 'Healthy',
  unhealthy: 'Unhealthy',
  starting: 'Checking',
  off: 'Checks off',
  none: '–',
}

/** The health badge's words and its tooltip (the last result). */
export function healthText(h: ProgramHealth): { label: string; title: string } {
  const last = h.results[h.results.length - 1]
  const title =
    h.status === 'off'
      ? 'Health checks are configured but not running: enableHealthChecks is off'
      : h.status === 'none'
        ? 'No health checks configured'
        : last
          ? `Last check (${last.kind}): ${last.ok ? 'passed' : 'failed'}, ${last.detail}`
          : 'No check has run yet'
  return { label: HEALTH_LABELS[h.status], title }
}

/** Each managed pid with the program it belongs to: the process page's badge and "Only managed". */
export function managedPids(programs: readonly Pick<ProgramStatus, 'name' | 'pids'>[] | undefined): ReadonlyMap<number, string> {
  const map = new Map<number, string>()
  for (const p of programs ?? []) for (const pid of p.pids) map.set(pid, p.name)
  return map
}

/** "this app (PID 123)" or "the daemon (PID 456)": who runs the programs. */
export function ownerText(owner: OwnerInfo): string {
  const who = owner.kind === 'daemon' ? `the Proctor daemon, PID ${owner.pid}` : `the Proctor app, PID ${owner.pid}`
  return owner.local ? `${who} (this engine)` : who
}

/** The supervisor is not running (no owner for this user): the page says so and how to start one. */
export function isUnavailable(err: unknown): boolean {
  return err instanceof ProctorError && err.code === 'UNAVAILABLE'
}

/** Why the last run ended, in words: "exit 1 after 2s", "killed by SIGKILL", "could not start: ENOENT". */
export function lastExitText(p: Pick<ProgramStatus, 'lastExit'>): string | undefined {
  const e = p.lastExit
  if (!e) return undefined
  if (e.spawnError) return `could not start: ${e.spawnError}`
  const how = e.signal ? `killed by ${e.signal.startsWith('SIG') ? e.signal : `SIG${e.signal}`}` : `exit ${e.code ?? '?'}`
  return `${how} after ${formatDuration(e.uptimeMs)}`
}
