/**
 * The supervise case (`npm run bench -- --cases supervise`): Proctor's
 * supervisor beside PM2 and supervisord, the programs users would pick
 * instead, all three in the same run on the same programs:
 *
 * - idle: each daemon alone, then with 50 idle programs (`sleep`; in
 *   Proctor each with an alive check at the default interval, health checks
 *   and auto-restart on), measured together over the same windows beside
 *   `top`: CPU of every thread of the daemon (schedstat, ns) and its VmRSS;
 * - restart: a program SIGKILLed by the bench, the time until a new process
 *   with its marker argument exists (the same /proc poll for all three);
 * - logs: a program printing 200,000 lines of 100 bytes at once, the time
 *   from the start request until the log file stops growing, and the lines
 *   that are not in it;
 * - stop: the 50 idle programs stopped at once, until the call returned and
 *   every one of their processes is gone;
 * - orphans: a program with a child in its group, a setsid child and a
 *   double-forked one, stopped: what is left of them.
 *
 * The active phases run one supervisor at a time (the others idle), in
 * rotating order. Everything started carries a marker and is KILLed at the
 * end, whatever happened.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { corePercent, loadAverage, median, procRunMs, round2, sleep } from './measure'
import { GuardedGroup } from './population'
import { Pm2Peer, ProctorPeer, SupervisordPeer, type Peer, type ProgramSpec } from './supervisePeers'
import { countMarked, findMarked, killMarked, marker, NewProcessWatch, percentile, rssMb, threadsCpuMs } from './superviseProcs'

export const SUPERVISORD_HINT = 'supervisord is not installed: `apt-get install -y supervisor` (Debian package, 4.2.x) adds it'

export interface SuperviseOptions {
  programs: number
  lines: number
  /** Window with each daemon supervising nothing, s. */
  emptyWindowS: number
  /** Window with the idle programs, s: at least one health-check interval (30 s) to count the checks. */
  idleWindowS: number
  settleS: number
  /** Before the empty window: a daemon's first half-minute (JIT, lazy start-up) costs more than its rest. */
  warmupS: number
  restartSamples: number
  logRounds: number
}

export function superviseOptions(quick: boolean): SuperviseOptions {
  return quick
    ? { programs: 50, lines: 200_000, emptyWindowS: 5, idleWindowS: 10, settleS: 2, warmupS: 15, restartSamples: 10, logRounds: 1 }
    : { programs: 50, lines: 200_000, emptyWindowS: 20, idleWindowS: 60, settleS: 5, warmupS: 30, restartSamples: 50, logRounds: 3 }
}

export interface SuperviseEnv {
  makeTempDir: () => string
  /** The command line bundled (src/main/cli/main.ts), for `proctor daemon`. */
  cli: string
  log: (m: string) => void
}

interface PeerFigures {
  pid: number
  empty_core_pct: number | null
  idle_core_pct: number | null
  extra_core_pct: number | null
  empty_rss_mb: number | null
  idle_rss_mb: number | null
  extra_rss_mb: number | null
  restart_p50_ms: number | null
  restart_p95_ms: number | null
  restart_max_ms: number | null
  restart_samples: number
  log_ms: number | null
  log_lines: number | null
  log_lost: number | null
  stop_ms: number | null
  stop_left: number | null
  orphans: number | null
  orphans_detail: Record<string, number> | null
  orphans_asgroup?: number | null
  orphans_asgroup_detail?: Record<string, number> | null
}

/** Open peers, for the synchronous last resort of the bench's exit handler. */
const openPeers = new Set<ProctorPeer | Pm2Peer | SupervisordPeer>()

/** KILLs every daemon and marked program of this case still running; safe in an 'exit' handler. */
export function killSuperviseLeftovers(): void {
  for (const p of openPeers) p.kill()
  openPeers.clear()
  killMarked()
}

const PEER_NUMBER = { proctor: 1, pm2: 2, supervisord: 3 } as const

const LOGS_SCRIPT = `# $1 lines of 100 bytes (99 digits and a newline), as fast as seq writes them
exec seq -f %099.0f 1 "$1"
`

const ORPHANS_SCRIPT = `# $1: the program's own marker; $2 a child in its group, $3 one in a session of its own, $4 one double-forked
sleep 100000 "$2" &
setsid sleep 100000 "$3" &
(sleep 100000 "$4" &)
exec sleep 100000 "$1"
`

export async function runSuperviseCase(o: SuperviseOptions, env: SuperviseEnv): Promise<Record<string, unknown>> {
  const { log } = env
  const scripts = env.makeTempDir()
  const logsScript = join(scripts, 'logs.sh')
  const orphansScript = join(scripts, 'orphans.sh')
  writeFileSync(logsScript, LOGS_SCRIPT)
  writeFileSync(orphansScript, ORPHANS_SCRIPT)

  const proctor = new ProctorPeer(env.cli, env.makeTempDir(), env.makeTempDir(), (m) => log(`proctor: ${m}`))
  const pm2Home = join(env.makeTempDir(), 'pm2')
  mkdirSync(pm2Home)
  const pm2 = new Pm2Peer(pm2Home, (m) => log(`pm2: ${m}`))
  const supervisord = new SupervisordPeer(env.makeTempDir(), (m) => log(`supervisord: ${m}`))
  const peers: Peer[] = [proctor, pm2, supervisord]
  const figures = new Map<Peer, PeerFigures>()
  const idleNames = Array.from({ length: o.programs }, (_, i) => `idle-${String(i).padStart(2, '0')}`)
  const idleMarkers = (p: Peer) => idleNames.map((_, i) => marker(PEER_NUMBER[p.name], 'idle', i))
  const logNames = Array.from({ length: o.logRounds }, (_, i) => `logs-${i + 1}`)
  const specsOf = (p: Peer): ProgramSpec[] => {
    const n = PEER_NUMBER[p.name]
    const orphans = (name: string, role: 'orphans' | 'orphansAsGroup', i: number): ProgramSpec => ({
      name,
      role,
      argv: ['/bin/sh', orphansScript, marker(n, 'orphanMain', i), marker(n, 'orphanInGroup', i), marker(n, 'orphanSetsid', i), marker(n, 'orphanDoubleFork', i)],
    })
    return [
      { name: 'restart', role: 'restart', argv: ['/bin/sleep', '100000', marker(n, 'restart')] },
      ...logNames.map((name): ProgramSpec => ({ name, role: 'logs', argv: ['/bin/sh', logsScript, String(o.lines)] })),
      orphans('orphans', 'orphans', 0),
      ...(p.name === 'supervisord' ? [orphans('orphans-asgroup', 'orphansAsGroup', 1)] : []),
    ]
  }

  let top: GuardedGroup | undefined
  let topPct: number | undefined
  try {
    for (const p of peers) {
      openPeers.add(p as ProctorPeer | Pm2Peer | SupervisordPeer)
      const t0 = performance.now()
      await p.open()
      log(`${p.name}: daemon pid ${p.pid} up in ${Math.round(performance.now() - t0)} ms`)
    }

    // --- idle: the three daemons over the same windows, empty then with the programs
    await sleep(o.warmupS * 1000)
    const empty = await measureWindow(peers, o.emptyWindowS, log, 'empty')
    for (const p of peers) {
      const t0 = performance.now()
      await p.add(specsOf(p))
      await p.add(idleNames.map((name, i): ProgramSpec => ({ name, role: 'idle', argv: ['/bin/sleep', '100000', idleMarkers(p)[i]!] })))
      const running = await waitCount(idleMarkers(p), o.programs, 30_000)
      log(`${p.name}: ${running} of ${o.programs} idle programs running after ${Math.round(performance.now() - t0)} ms`)
    }
    await sleep(o.settleS * 1000)
    top = await GuardedGroup.start(1, ['top', '-b', '-d', '1'])
    const top0 = procRunMs(top.lastPid)
    const idle = await measureWindow(peers, o.idleWindowS, log, `${o.programs} idle programs`)
    topPct = corePercent((procRunMs(top.lastPid) ?? NaN) - (top0 ?? NaN), idle.wallMs)
    await top.stop()
    top = undefined
    for (const p of peers) {
      const e = empty.of.get(p)!
      const i = idle.of.get(p)!
      figures.set(p, {
        pid: p.pid,
        empty_core_pct: round2(e.corePct),
        idle_core_pct: round2(i.corePct),
        extra_core_pct: round2(i.corePct - e.corePct),
        empty_rss_mb: round2(e.rssMb),
        idle_rss_mb: round2(i.rssMb),
        extra_rss_mb: round2(i.rssMb - e.rssMb),
        restart_p50_ms: null,
        restart_p95_ms: null,
        restart_max_ms: null,
        restart_samples: 0,
        log_ms: null,
        log_lines: null,
        log_lost: null,
        stop_ms: null,
        stop_left: null,
        orphans: null,
        orphans_detail: null,
      })
    }

    // --- restart latency
    for (const p of rotate(peers, 0)) {
      const samples = await measureRestarts(p, marker(PEER_NUMBER[p.name], 'restart'), o.restartSamples, log)
      const f = figures.get(p)!
      Object.assign(f, {
        restart_p50_ms: round2(percentile(samples, 50)),
        restart_p95_ms: round2(percentile(samples, 95)),
        restart_max_ms: round2(Math.max(...samples)),
        restart_samples: samples.length,
      })
      log(`${p.name}: restart after SIGKILL p50 ${f.restart_p50_ms} ms, p95 ${f.restart_p95_ms} ms, max ${f.restart_max_ms} ms (${samples.length} samples)`)
      if (p instanceof Pm2Peer) await p.remove(['restart'])
      else await p.stop('restart')
    }

    // --- logs: rounds in rotating order, medians
    const logRuns = new Map<Peer, Array<{ ms: number; lines: number }>>(peers.map((p) => [p, []]))
    for (let r = 0; r < o.logRounds; r++) {
      for (const p of rotate(peers, r + 1)) {
        const run = await measureLog(p, logNames[r]!, o.lines)
        logRuns.get(p)!.push(run)
        log(`${p.name}: ${run.lines} of ${o.lines} lines in its log after ${Math.round(run.ms)} ms`)
      }
    }
    for (const p of peers) {
      const runs = logRuns.get(p)!
      const f = figures.get(p)!
      f.log_ms = round2(median(runs.map((r) => r.ms)))
      f.log_lines = Math.min(...runs.map((r) => r.lines))
      f.log_lost = o.lines - f.log_lines
    }

    // --- orphans
    for (const p of rotate(peers, 2)) {
      const n = PEER_NUMBER[p.name]
      const f = figures.get(p)!
      const one = await measureOrphans(p, 'orphans', n, 0, log)
      f.orphans = one.total
      f.orphans_detail = one.detail
      if (p.name === 'supervisord') {
        const group = await measureOrphans(p, 'orphans-asgroup', n, 1, log)
        f.orphans_asgroup = group.total
        f.orphans_asgroup_detail = group.detail
      }
    }

    // --- stopping the idle programs at once
    for (const p of rotate(peers, 1)) {
      if (p instanceof Pm2Peer) await p.remove(['orphans', ...logNames])
      const markers = idleMarkers(p)
      const t0 = performance.now()
      await p.stopAll(idleNames)
      const returned = performance.now() - t0
      const left = await waitCount(markers, 0, 30_000)
      const f = figures.get(p)!
      f.stop_ms = round2(performance.now() - t0)
      f.stop_left = left
      log(`${p.name}: stopping ${o.programs} programs took ${Math.round(returned)} ms (call), ${f.stop_ms} ms until none ran; ${left} left`)
    }
  } finally {
    await top?.stop()
    for (const p of peers) {
      try {
        await p.close()
      } catch (err) {
        log(`${p.name}: close failed: ${(err as Error).message}`)
      }
      openPeers.delete(p as ProctorPeer | Pm2Peer | SupervisordPeer)
    }
    const leftovers = killMarked()
    if (leftovers > 0) log(`${leftovers} marked processes were still running after the daemons closed: KILLed`)
  }

  const peerLine = (p: Peer) => figures.get(p) ?? null
  return {
    case: 'supervise',
    programs: o.programs,
    lines: o.lines,
    restart_samples: o.restartSamples,
    idle_window_s: o.idleWindowS,
    proctor: peerLine(proctor),
    pm2: peerLine(pm2),
    supervisord: peerLine(supervisord),
    top_core_pct: round2(topPct ?? NaN),
    load_1m: loadAverage(),
  }
}

/**
 * The supervise case's logs phase alone (`--cases supervise-logs`): Proctor's
 * daemon and supervisord, nothing else running under them, `rounds` rounds
 * alternating which goes first, a program of its own per round (a file
 * rotated mid-round would not measure the same thing). The medians, their
 * ratio and each round's figures.
 */
export async function runSuperviseLogsCase(rounds: number, lines: number, env: SuperviseEnv): Promise<Record<string, unknown>> {
  const { log } = env
  const scripts = env.makeTempDir()
  const logsScript = join(scripts, 'logs.sh')
  writeFileSync(logsScript, LOGS_SCRIPT)
  const proctor = new ProctorPeer(env.cli, env.makeTempDir(), env.makeTempDir(), (m) => log(`proctor: ${m}`))
  const supervisord = new SupervisordPeer(env.makeTempDir(), (m) => log(`supervisord: ${m}`))
  const peers: Peer[] = [proctor, supervisord]
  const names = Array.from({ length: rounds }, (_, i) => `logs-${i + 1}`)
  const runs = new Map<Peer, Array<{ ms: number; lines: number }>>(peers.map((p) => [p, []]))
  const load0 = loadAverage()
  try {
    for (const p of peers) {
      openPeers.add(p as ProctorPeer | SupervisordPeer)
      await p.open()
      await p.add(names.map((name): ProgramSpec => ({ name, role: 'logs', argv: ['/bin/sh', logsScript, String(lines)] })))
    }
    // As in the full case, the programs were defined a while before they start (Proctor makes their output sockets meanwhile).
    await sleep(1000)
    for (let r = 0; r < rounds; r++) {
      for (const p of rotate(peers, r)) {
        const run = await measureLog(p, names[r]!, lines)
        runs.get(p)!.push(run)
        log(`round ${r + 1}, ${p.name}: ${run.lines} of ${lines} lines in its log after ${Math.round(run.ms)} ms (load ${loadAverage()})`)
      }
    }
  } finally {
    for (const p of peers) {
      try {
        await p.close()
      } catch (err) {
        log(`${p.name}: close failed: ${(err as Error).message}`)
      }
      openPeers.delete(p as ProctorPeer | SupervisordPeer)
    }
  }
  const figures = (p: Peer) => {
    const r = runs.get(p)!
    return { log_ms: round2(median(r.map((x) => x.ms))), log_lost: lines - Math.min(...r.map((x) => x.lines)), rounds_ms: r.map((x) => Math.round(x.ms)) }
  }
  const pf = figures(proctor)
  const sf = figures(supervisord)
  return {
    case: 'supervise-logs',
    lines,
    rounds,
    proctor: pf,
    supervisord: sf,
    ratio: round2((pf.log_ms ?? NaN) / (sf.log_ms ?? NaN)),
    load_1m_before: load0,
    load_1m: loadAverage(),
  }
}

/** Judges Proctor's figures against the issue's targets; one PASS/MISS line each. */
export function judgeSupervise(line: Record<string, unknown>, log: (m: string) => void): void {
  const p = line.proctor as PeerFigures | null
  const pm2 = line.pm2 as PeerFigures | null
  const sd = line.supervisord as PeerFigures | null
  const n = (v: number | null | undefined) => v ?? NaN
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS')
  const checks = [
    `${verdict(n(p?.extra_core_pct) <= n(pm2?.idle_core_pct))} idle: ${line.programs} programs cost Proctor ${n(p?.extra_core_pct)} % of a core over the owner alone <= PM2's daemon ${n(pm2?.idle_core_pct)} % (supervisord ${n(sd?.idle_core_pct)} %)`,
    `${verdict(n(p?.extra_rss_mb) < 10)} idle: ${n(p?.extra_rss_mb)} MiB more resident memory < 10 MiB (Proctor's owner ${n(p?.idle_rss_mb)} MiB in all; PM2 ${n(pm2?.idle_rss_mb)} MiB, supervisord ${n(sd?.idle_rss_mb)} MiB)`,
    `${verdict(n(p?.restart_p95_ms) < 20 && n(p?.restart_p95_ms) < n(pm2?.restart_p95_ms))} restart: p95 ${n(p?.restart_p95_ms)} ms < 20 ms and < PM2's ${n(pm2?.restart_p95_ms)} ms (p50 ${n(p?.restart_p50_ms)} / PM2 ${n(pm2?.restart_p50_ms)} / supervisord ${n(sd?.restart_p50_ms)} ms)`,
    `${verdict(p?.log_lost === 0)} logs: ${n(p?.log_lost)} of ${line.lines} lines lost (PM2 ${n(pm2?.log_lost)}, supervisord ${n(sd?.log_lost)})`,
    `${verdict(n(p?.log_ms) <= n(sd?.log_ms))} logs: all in the file after ${n(p?.log_ms)} ms <= supervisord's ${n(sd?.log_ms)} ms (PM2 ${n(pm2?.log_ms)} ms)`,
    `${verdict(n(p?.stop_ms) < 1000 && p?.stop_left === 0)} stop: ${line.programs} programs stopped in ${n(p?.stop_ms)} ms < 1000 ms (PM2 ${n(pm2?.stop_ms)} ms, supervisord ${n(sd?.stop_ms)} ms)`,
    `${verdict(p?.orphans === 0)} orphans: ${n(p?.orphans)} left after a stop, setsid and double fork included (PM2 ${n(pm2?.orphans)}, supervisord ${n(sd?.orphans)}, with stopasgroup and killasgroup ${n(sd?.orphans_asgroup)})`,
  ]
  for (const c of checks) log(`supervise: ${c}`)
}

function rotate<T>(list: readonly T[], by: number): T[] {
  const k = by % list.length
  return [...list.slice(k), ...list.slice(0, k)]
}

/** Waits until exactly `want` processes carry one of `markers` (or the timeout); how many do then. */
async function waitCount(markers: readonly string[], want: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs
  let n = countMarked(markers)
  while (n !== want && performance.now() < deadline) {
    await sleep(20)
    n = countMarked(markers)
  }
  return n
}

interface WindowReading {
  corePct: number
  rssMb: number
}

/** CPU (every thread) and resident memory of each daemon over one window; RSS is the median of one reading a second. */
async function measureWindow(peers: readonly Peer[], seconds: number, log: (m: string) => void, what: string): Promise<{ wallMs: number; of: Map<Peer, WindowReading> }> {
  const cpu0 = peers.map((p) => threadsCpuMs(p.pid) ?? NaN)
  const t0 = performance.now()
  const rss: number[][] = peers.map(() => [])
  for (let s = 0; s < seconds; s++) {
    await sleep(1000)
    peers.forEach((p, i) => rss[i]!.push(rssMb(p.pid) ?? NaN))
  }
  const wallMs = performance.now() - t0
  const of = new Map<Peer, WindowReading>()
  peers.forEach((p, i) => of.set(p, { corePct: corePercent((threadsCpuMs(p.pid) ?? NaN) - cpu0[i]!, wallMs), rssMb: median(rss[i]!) }))
  log(`idle, ${what}, ${seconds} s: ${peers.map((p) => `${p.name} ${round2(of.get(p)!.corePct)} % / ${round2(of.get(p)!.rssMb)} MiB`).join(', ')}`)
  return { wallMs, of }
}

/** Between two kills: the new process has run a while, as a crashed service would have. */
const RESTART_GAP_MS = 250

async function measureRestarts(p: Peer, mark: string, samples: number, log: (m: string) => void): Promise<number[]> {
  const first = new NewProcessWatch(p.pid)
  await p.start('restart')
  let current = await first.waitFor(mark, 10_000)
  if (!current) throw new Error(`${p.name}: the restart program did not start within 10 s`)
  const out: number[] = []
  for (let i = 0; i < samples; i++) {
    await sleep(RESTART_GAP_MS + Math.random() * 50)
    const watch = new NewProcessWatch(p.pid)
    const t0 = performance.now()
    process.kill(current.pid, 'SIGKILL')
    const next = await watch.waitFor(mark, 10_000)
    if (!next) {
      log(`${p.name}: no new process ${mark} within 10 s of the SIGKILL (sample ${i + 1}); stopping the restart samples; it says: ${await p.describe('restart')}`)
      break
    }
    out.push(next.at - t0)
    current = next
  }
  return out
}

/** Time from the start request until the log file stops growing with every line in it; lines found. */
async function measureLog(p: Peer, name: string, lines: number): Promise<{ ms: number; lines: number }> {
  const file = p.logFile(name)
  const size = () => {
    try {
      return statSync(file).size
    } catch {
      return 0
    }
  }
  const before = size()
  const t0 = performance.now()
  await p.start(name)
  // 100 bytes a line at least; then stable for 500 ms (5 s when lines are missing: a writer stalled on a busy machine).
  let last = before
  let changedAt = performance.now()
  const deadline = t0 + 60_000
  for (;;) {
    await sleep(2)
    const now = performance.now()
    const s = size()
    if (s !== last) {
      last = s
      changedAt = now
    }
    const enough = s - before >= lines * 100
    if (now - changedAt > (enough ? 500 : 5000) || now > deadline) break
  }
  return { ms: changedAt - t0, lines: countLines(file, before) }
}

/** Lines of the file from byte `from` that end with the 99 digits the log program prints. */
function countLines(file: string, from: number): number {
  let text: string
  try {
    text = readFileSync(file, 'latin1').slice(from)
  } catch {
    return 0
  }
  let n = 0
  let start = 0
  for (;;) {
    const nl = text.indexOf('\n', start)
    if (nl < 0) break
    if (nl - start >= 99 && /^\d{99}$/.test(text.slice(nl - 99, nl))) n++
    start = nl + 1
  }
  return n
}

async function measureOrphans(p: Peer, name: string, n: number, i: number, log: (m: string) => void): Promise<{ total: number; detail: Record<string, number> }> {
  const kinds = {
    own: marker(n, 'orphanMain', i),
    in_group: marker(n, 'orphanInGroup', i),
    setsid: marker(n, 'orphanSetsid', i),
    double_fork: marker(n, 'orphanDoubleFork', i),
  }
  await p.start(name)
  // Each of the four running as `sleep` (not the shell before its exec), then a second for the supervisor to see them.
  const deadline = performance.now() + 10_000
  const allUp = () => {
    const found = findMarked()
    return Object.values(kinds).every((m) => (found.get(m) ?? []).some((pid) => commOf(pid) === 'sleep'))
  }
  while (!allUp() && performance.now() < deadline) await sleep(20)
  if (!allUp()) log(`${p.name}: ${name}'s four processes did not all start within 10 s`)
  await sleep(1000)
  const t0 = performance.now()
  await p.stop(name)
  const stopMs = performance.now() - t0
  await sleep(500)
  const found = findMarked()
  const detail = Object.fromEntries(Object.entries(kinds).map(([k, m]) => [k, found.get(m)?.length ?? 0]))
  const total = Object.values(detail).reduce((a, b) => a + b, 0)
  log(`${p.name}: stopping ${name} took ${Math.round(stopMs)} ms; left running: ${JSON.stringify(detail)}`)
  // Whatever survived is KILLed now, not at the end.
  for (const m of Object.values(kinds)) for (const pid of found.get(m) ?? []) process.kill(pid, 'SIGKILL')
  return { total, detail }
}

function commOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'latin1').trim()
  } catch {
    return undefined
  }
}
