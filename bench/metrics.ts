/**
 * The `metrics` bench case: CPU of one full Proctor system sample against
 * the equivalent systeminformation calls (currentLoad + mem + networkStats
 * + disksIO + fsStats), alternating in the same run, and the child
 * processes each side spawns per sample.
 */
import { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import si from 'systeminformation'
import { SystemSampler } from '../src/main/core/system/systemSampler'
import { median, round2, selfCpuMs, sleep } from './measure'

/**
 * Counts every child process this process starts: async ones all go through
 * ChildProcess.prototype.spawn, sync ones through the spawn_sync binding;
 * patching both catches calls from modules that took their own reference
 * to exec/execSync at load time, as systeminformation does.
 */
function installSpawnCounter(): () => number {
  let spawns = 0
  const proto = ChildProcess.prototype as unknown as { spawn: (...args: unknown[]) => unknown }
  const asyncSpawn = proto.spawn
  proto.spawn = function (this: unknown, ...args: unknown[]) {
    spawns++
    return asyncSpawn.apply(this, args)
  }
  const binding = (process as unknown as { binding(name: string): { spawn: (...args: unknown[]) => unknown } }).binding('spawn_sync')
  const syncSpawn = binding.spawn
  binding.spawn = function (this: unknown, ...args: unknown[]) {
    spawns++
    return syncSpawn.apply(this, args)
  }
  return () => spawns
}

/** CPU of this process's waited-for children (cutime + cstime of /proc/self/stat), ms at 10 ms resolution. */
function childrenCpuMs(): number {
  if (process.platform !== 'linux') return 0
  const rest = readFileSync('/proc/self/stat', 'latin1').split(') ')[1]!.split(' ')
  // rest[0] is field 3; cutime and cstime are fields 16 and 17.
  return (Number(rest[13]) + Number(rest[14])) * 10
}

/** systeminformation answers from a cache when asked again within 500 ms. */
const SI_MIN_GAP_MS = 600

export interface MetricsCaseResult {
  case: 'metrics'
  proctor_cpu_ms: number | null
  systeminformation_cpu_ms: number | null
  proctor_spawns: number
  /** Not in the line, kept for the record: */
  proctor_regular_cpu_ms: number | null
  systeminformation_spawns: number
  speedup_vs_systeminformation: number | null
}

export async function runMetricsCase(rounds: number, log: (m: string) => void): Promise<MetricsCaseResult> {
  const spawned = installSpawnCounter()
  const sampler = new SystemSampler()
  const siSample = async () => {
    await si.currentLoad()
    await si.mem()
    await si.networkStats('*')
    await si.disksIO()
    await si.fsStats()
  }
  // Warm-up, not counted: module code paths, si's baselines, the kernel's dentries.
  sampler.sample(true)
  await siSample()
  await sleep(SI_MIN_GAP_MS)

  const full: number[] = []
  const regular: number[] = []
  const siSelf: number[] = []
  let siChildren = 0
  let proctorSpawns = 0
  let siSpawns = 0
  for (let i = 0; i < rounds; i++) {
    const proctor = () => {
      const spawns0 = spawned()
      // Full: the slow-cadence parts too (statfs of every mount, sensors), as when they come due on a tick;
      // process states are counted as the engine counts them without a process list (a few per sample).
      let cpu0 = selfCpuMs()
      sampler.sample(true)
      full.push(selfCpuMs() - cpu0)
      cpu0 = selfCpuMs()
      sampler.sample()
      regular.push(selfCpuMs() - cpu0)
      proctorSpawns += spawned() - spawns0
    }
    const systeminformation = async () => {
      const spawns0 = spawned()
      const children0 = childrenCpuMs()
      const cpu0 = selfCpuMs()
      await siSample()
      siSelf.push(selfCpuMs() - cpu0)
      siChildren += childrenCpuMs() - children0
      siSpawns += spawned() - spawns0
    }
    if (i % 2 === 0) {
      proctor()
      await systeminformation()
    } else {
      await systeminformation()
      proctor()
    }
    await sleep(SI_MIN_GAP_MS)
  }
  // Children's CPU has 10 ms resolution per reading: spread over the rounds rather than per round.
  const siMs = median(siSelf) + siChildren / rounds
  const proctorMs = median(full)
  log(
    `metrics: ${rounds} rounds; Proctor full sample ${round2(proctorMs)} ms (regular ${round2(median(regular))} ms), ` +
      `systeminformation ${round2(median(siSelf))} ms in this process + ${round2(siChildren / rounds)} ms in ` +
      `${round2(siSpawns / rounds)} child processes per sample`,
  )
  return {
    case: 'metrics',
    proctor_cpu_ms: round2(proctorMs),
    systeminformation_cpu_ms: round2(siMs),
    proctor_spawns: proctorSpawns / rounds,
    proctor_regular_cpu_ms: round2(median(regular)),
    systeminformation_spawns: round2(siSpawns / rounds) ?? 0,
    speedup_vs_systeminformation: round2(siMs / proctorMs),
  }
}
