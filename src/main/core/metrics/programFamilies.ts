import type { Registry } from 'prom-client'
import { PROGRAM_STATES } from '../../../shared/supervisor/states'
import type { ProgramsOverview, ProgramStatus } from '../../../shared/supervisor/status'
import type { RawProcess } from '../../../shared/types/process'
import { counter, gauge, type Series } from './family'
import { perScrape, type Readings } from './readings'
import { GroupCpuTotals } from './processGroups'

const HEALTH_STATUSES = ['healthy', 'unhealthy', 'starting'] as const

/** CPU seconds and resident bytes of a program's process and everything below it. */
interface TreeUsage {
  cpuSeconds: number
  residentBytes: number
}

/**
 * The supervisor's programs, labelled by program name (bounded: programs
 * are what the user registered, pool workers by pool size). CPU and memory
 * add up each program's process tree in the scrape's process list.
 */
export function registerProgramFamilies(registry: Registry, supervisor: { overview(): ProgramsOverview }, now: () => Readings): void {
  const overview = perScrape(now, () => supervisor.overview())
  const each = (value: (p: ProgramStatus) => number | undefined) =>
    function* (): Generator<Series> {
      for (const p of overview().programs) {
        const v = value(p)
        if (v !== undefined) yield { labels: { program: p.name }, value: v }
      }
    }

  gauge(registry, 'proctor_program_state', 'The state each program is in (1) and is not in (0).', ['program', 'state'], function* () {
    for (const p of overview().programs) for (const state of PROGRAM_STATES) yield { labels: { program: p.name, state }, value: p.state === state ? 1 : 0 }
  })
  gauge(registry, 'proctor_program_up', 'Whether each program is running (1) or not (0).', ['program'], each((p) => (p.state === 'running' ? 1 : 0)))
  counter(registry, 'proctor_program_restarts_total', 'Restarts of each program since the supervisor started.', ['program'], each((p) => p.totalRestarts))
  gauge(registry, 'proctor_program_uptime_seconds', 'Seconds since each running program last started.', ['program'], each((p) =>
    p.state === 'running' && p.lastStartAt !== undefined ? Math.max(0, (Date.now() - p.lastStartAt) / 1000) : undefined,
  ))
  gauge(registry, 'proctor_program_last_exit_code', 'Exit code of the last run of each program that exited (not by a signal).', ['program'], each((p) => p.lastExit?.code ?? undefined))
  gauge(registry, 'proctor_program_health', 'The health status of each program with health checks on (1), and the others (0).', ['program', 'status'], function* () {
    for (const p of overview().programs) {
      const status = p.health.status
      if (status === 'off' || status === 'none') continue
      for (const s of HEALTH_STATUSES) yield { labels: { program: p.name, status: s }, value: status === s ? 1 : 0 }
    }
  })

  // Kept from scrape to scrape: a child that exits must not make the CPU counter drop.
  const cpu = new GroupCpuTotals()
  const current = perScrape(now, (r) => treeUsage(overview().programs, r.processes.processes, cpu))
  counter(
    registry,
    'proctor_program_cpu_seconds_total',
    'CPU seconds (user and system) used by the processes of each running program, exited children included.',
    ['program'],
    each((p) => current().get(p.name)?.cpuSeconds),
  )
  gauge(registry, 'proctor_program_resident_memory_bytes', 'Resident memory of the processes of each running program.', ['program'], each((p) => current().get(p.name)?.residentBytes))
}

/**
 * Each running program's tree (its pid and every descendant by parent
 * link): resident bytes summed now, CPU seconds from `cpu`, which keeps
 * what exited members used.
 */
function treeUsage(programs: readonly ProgramStatus[], processes: readonly RawProcess[], cpu: GroupCpuTotals): Map<string, TreeUsage> {
  const byPid = new Map<number, RawProcess>()
  const children = new Map<number, number[]>()
  for (const p of processes) {
    byPid.set(p.pid, p)
    const list = children.get(p.ppid)
    if (list) list.push(p.pid)
    else children.set(p.ppid, [p.pid])
  }
  const member = new Map<number, string>()
  const out = new Map<string, TreeUsage>()
  for (const program of programs) {
    if (program.pid === undefined || !byPid.has(program.pid)) continue
    const sum: TreeUsage = { cpuSeconds: 0, residentBytes: 0 }
    const stack = [program.pid]
    for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
      const p = byPid.get(pid)
      if (!p) continue
      member.set(pid, program.name)
      sum.residentBytes += p.memoryBytes
      stack.push(...(children.get(pid) ?? []))
    }
    out.set(program.name, sum)
  }
  cpu.add(processes, (p) => member.get(p.pid))
  for (const [name, sum] of out) sum.cpuSeconds = cpu.seconds(name)
  return out
}
