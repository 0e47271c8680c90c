import type { ProcessState } from '../../../shared/types/process'

const LABELS: Record<ProcessState, string> = {
  running: 'Running',
  sleeping: 'Sleeping',
  'disk-wait': 'Disk wait',
  zombie: 'Zombie',
  stopped: 'Stopped',
  tracing: 'Traced',
  idle: 'Idle',
  dead: 'Dead',
  unknown: 'Unknown',
}

export function stateLabel(state: ProcessState): string {
  return LABELS[state] ?? state
}

export function StateBadge({ state }: { state: ProcessState }) {
  return <span className={`state state-${state}`}>{stateLabel(state)}</span>
}
