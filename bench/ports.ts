/**
 * The `ports` bench case: building the port table (every TCP and UDP
 * socket joined to the process holding it) with 2000 processes on the
 * machine and 1000 open sockets, each held by a process of its own, against
 * `ss -tanp` and `lsof -nP -i` run in the same rounds, alternating.
 *
 * Proctor's figures: the table the Ports view gets at each refresh (the
 * descriptor cache warm: only processes whose descriptor count moved are
 * re-read), the first table (every descriptor link read), and the refresh
 * with the process table read too (as a one-shot `proctor ports` would),
 * all in this process; the peers' are the wall time of a run each.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { LinuxSocketReader } from '../src/main/core/ports/linuxSockets'
import { toEntries } from '../src/main/core/ports/portTable'
import { LinuxProcessAdapter } from '../src/main/core/processes/linux/linuxAdapter'
import type { RawProcess } from '../src/shared/types/process'
import type { ProcessInfo } from '../src/shared/types/process'
import { median, round2, sleep } from './measure'
import { countProcesses, GuardedGroup, Population, processesInGroup } from './population'

const execFileP = promisify(execFile)
const here = dirname(fileURLToPath(import.meta.url))

export interface PortsOptions {
  processes: number
  sockets: number
  rounds: number
}

export function portsOptions(quick: boolean, rounds: number): PortsOptions {
  return { processes: 2000, sockets: 1000, rounds: quick ? 5 : rounds }
}

export interface PortsCaseResult {
  case: 'ports'
  processes: number
  sockets_in_table: number
  sockets_with_owner: number
  /** Median ms to build the table at a refresh of the Ports view (process list at hand, descriptor cache warm). */
  proctor_ms: number | null
  /** The first table: every process's descriptor links read. */
  proctor_cold_ms: number | null
  /** A refresh that reads the process table too. */
  proctor_with_process_read_ms: number | null
  /** Descriptor links read per refresh (median) and on the first table. */
  proctor_links_read: number
  proctor_cold_links_read: number
  ss_ms: number | null
  lsof_ms: number | null
  /** Why a peer has no figure (not installed). */
  ss_missing?: string
  lsof_missing?: string
  speedup_vs_ss: number | null
  speedup_vs_lsof: number | null
}

function which(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const path = join(dir, program)
    if (existsSync(path)) return path
  }
  return undefined
}

async function timeRun(file: string, args: string[]): Promise<{ ms: number; lines: number }> {
  const t0 = performance.now()
  const { stdout } = await execFileP(file, args, { maxBuffer: 256 * 1024 * 1024 }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }))
  return { ms: performance.now() - t0, lines: stdout.split('\n').length - 1 }
}

const toInfo = (p: RawProcess): ProcessInfo => ({ ...p, cpuPercent: 0, memoryPercent: 0 })

export async function runPortsCase(opts: PortsOptions, log: (m: string) => void): Promise<PortsCaseResult> {
  // The sockets first, each in a sleep of its own; then plain sleeps up to the process count.
  const pairs = Math.floor(opts.sockets / 4)
  const udp = opts.sockets - 2 * pairs - 1
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'
  const holders = await GuardedGroup.start(1, [python, join(here, 'portsHolder.py'), String(pairs), String(udp)])
  const expected = 2 * pairs + udp + 2 // the sleeps, python, the guard shell
  const deadline = performance.now() + 120_000
  while (processesInGroup(holders.pgid) < expected && performance.now() < deadline) await sleep(100)
  log(`ports: ${processesInGroup(holders.pgid) - 2} socket holders in group ${holders.pgid} (${opts.sockets} sockets: 1 listener, ${2 * pairs} connected TCP ends, ${udp} UDP)`)
  const population = await Population.reach(opts.processes, log)
  try {
    const adapter = new LinuxProcessAdapter()
    const readProcesses = async () => (await adapter.sample()).processes.map(toInfo)
    let processes = await readProcesses()
    const byPid = new Map(processes.map((p) => [p.pid, p]))
    const noPrograms = new Map<number, string>()

    const warm = new LinuxSocketReader()
    const first = toEntries(warm.readAllSync(processes), byPid, noPrograms)
    const coldLinks = warm.linksRead
    const owned = first.filter((e) => e.ownerStatus === 'process').length
    log(`ports: ${countProcesses()} processes, ${first.length} rows in the table, ${owned} with their process; ${coldLinks} descriptor links read for the first`)

    const ss = which('ss')
    const lsof = which('lsof')
    const proctorMs: number[] = []
    const coldMs: number[] = []
    const withReadMs: number[] = []
    const links: number[] = []
    const ssMs: number[] = []
    const lsofMs: number[] = []
    for (let round = 0; round < opts.rounds; round++) {
      // The view has a fresh process list at each refresh (the live stream's): so has the warm figure.
      processes = await readProcesses()
      const current = new Map(processes.map((p) => [p.pid, p]))
      let t0 = performance.now()
      toEntries(warm.readAllSync(processes), current, noPrograms)
      proctorMs.push(performance.now() - t0)
      links.push(warm.linksRead)

      const cold = new LinuxSocketReader()
      t0 = performance.now()
      toEntries(cold.readAllSync(processes), current, noPrograms)
      coldMs.push(performance.now() - t0)
      cold.close()

      t0 = performance.now()
      processes = await readProcesses()
      toEntries(warm.readAllSync(processes), new Map(processes.map((p) => [p.pid, p])), noPrograms)
      withReadMs.push(performance.now() - t0)

      if (ss) ssMs.push((await timeRun(ss, ['-tanp'])).ms)
      if (lsof) lsofMs.push((await timeRun(lsof, ['-nP', '-i'])).ms)
    }
    warm.close()
    adapter.close()
    const proctor = median(proctorMs)
    const ssMedian = median(ssMs)
    const lsofMedian = median(lsofMs)
    return {
      case: 'ports',
      processes: countProcesses(),
      sockets_in_table: first.length,
      sockets_with_owner: owned,
      proctor_ms: round2(proctor),
      proctor_cold_ms: round2(median(coldMs)),
      proctor_with_process_read_ms: round2(median(withReadMs)),
      proctor_links_read: median(links),
      proctor_cold_links_read: coldLinks,
      ss_ms: round2(ssMedian),
      lsof_ms: round2(lsofMedian),
      ...(ss ? {} : { ss_missing: 'ss is not installed (apt-get install -y iproute2)' }),
      ...(lsof ? {} : { lsof_missing: 'lsof is not installed (apt-get install -y lsof)' }),
      speedup_vs_ss: round2(ssMedian / proctor),
      speedup_vs_lsof: round2(lsofMedian / proctor),
    }
  } finally {
    await population.release(log)
    await holders.stop()
  }
}

/** PASS when Proctor's refresh is faster than both peers (a missing peer is said, not judged). */
export function judgePorts(line: PortsCaseResult, log: (m: string) => void): void {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS')
  const p = line.proctor_ms ?? Infinity
  for (const [name, peer, missing] of [['ss -tanp', line.ss_ms, line.ss_missing], ['lsof -nP -i', line.lsof_ms, line.lsof_missing]] as const) {
    if (peer === null) log(`ports: no figure for ${name}: ${missing ?? 'it failed'}`)
    else log(`ports: ${verdict(p < peer)} table ${line.proctor_ms} ms (first ${line.proctor_cold_ms} ms, with the process read ${line.proctor_with_process_read_ms} ms) < ${name} ${peer} ms`)
  }
}
