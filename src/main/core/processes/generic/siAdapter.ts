import { availableParallelism, totalmem } from 'node:os'
import { PROCESS_STATES, type ProcessState, type RawProcessSample } from '../../../../shared/types/process'
import type { ProcessAdapter } from '../adapter'
import { loadSi } from '../../system/loadSi'

/**
 * Fallback for platforms without a dedicated adapter: systeminformation.
 * It spawns `ps` on every call, so it is far slower than the linux adapter.
 */
export class GenericProcessAdapter implements ProcessAdapter {
  readonly kind = 'generic' as const
  private readonly cpuCount = availableParallelism()

  async sample(): Promise<RawProcessSample> {
    const data = await (await loadSi()).processes()
    const timestamp = Date.now()
    return {
      timestamp,
      monotonicMs: performance.now(),
      cpuCount: this.cpuCount,
      memoryTotal: totalmem(),
      processes: data.list.map((p) => {
        const started = Date.parse(p.started)
        const command = [p.command, p.params].filter(Boolean).join(' ')
        return {
          pid: p.pid,
          ppid: p.parentPid,
          startTime: Number.isFinite(started) ? started : 0,
          name: p.name,
          command: command || `[${p.name}]`,
          ...(p.path ? { exe: p.path } : {}),
          user: p.user,
          uid: -1,
          state: toState(p.state),
          nice: p.nice,
          priority: p.priority,
          cpuTimeMs: 0,
          cpuPercentHint: p.cpu,
          memoryBytes: p.memRss * 1024,
          virtualBytes: p.memVsz * 1024,
          kernelThread: false,
        }
      }),
    }
  }

  close(): void {}
}

function toState(s: string): ProcessState {
  if (s === 'blocked') return 'disk-wait'
  return (PROCESS_STATES as readonly string[]).includes(s) ? (s as ProcessState) : 'unknown'
}
