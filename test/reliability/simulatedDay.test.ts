import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createClock } from '@sinonjs/fake-timers'
import { afterAll, describe, expect, it } from 'vitest'
import type { Clock } from '../../src/main/core/clock'
import type { ManagedProgram } from '../../src/main/core/supervisor/managedProgram'
import { parseProgram, type RestartPolicy } from '../../src/shared/supervisor/program'
import { restartSchedule, type EndKind } from '../../src/shared/supervisor/schedule'
import type { Transition } from '../../src/shared/supervisor/states'
import { closeSupervised, supervised } from '../helpers/supervisor'
import { tempDir } from '../helpers/tempDir'
import { figure, scaled } from './figures'
import { PolicyOracle } from './policyOracle'
import { runSeed, seededRandom } from './seeded'

/*
 * A day of crashes through the supervisor on a fake clock: every restart at
 * exactly the time the policy's own schedule (src/shared/supervisor/schedule,
 * what the add form shows) says, fatal exactly when it says, and the count
 * starting over after stableMs up.
 *
 * What is real and what is simulated: the supervisor (SupervisorService,
 * ManagedProgram, ProgramRunner) and the processes are real: each run is a
 * real shell in its own group, ended by a real signal (exit 0, exit 3, or
 * KILL). The clock is @sinonjs/fake-timers' standalone clock, given to the
 * supervisor: uptimes, backoff timers and the stable window run on it. The
 * test moves it straight to the next thing due (a planned crash, a restart
 * timer, a start by hand) and waits, in real time, for the supervisor to
 * have handled each real exit before moving it on; so a simulated day costs
 * one real spawn and exit per run, and every time is exact: deviation 0 ms.
 */

const HOURS = scaled(1, 24)
const DAY_START = Date.UTC(2026, 0, 1)
/** A trapped-signal mask the shell has set up once its traps are in place: USR1 (10) and USR2 (12). */
const TRAPS = (1n << 9n) | (1n << 11n)
/** Each run waits on a FIFO opened read-write (never at EOF) until a signal ends it: exit 0 on USR1, exit 3 on USR2. */
const RUN = `trap 'exit 0' USR1; trap 'exit 3' USR2; read x <> "$1"`

interface Plan {
  name: string
  restart: RestartPolicy
  delay: number
  multiplier: number
  cap: number
  attempts: number
  stable: number
}

const PLANS: Plan[] = [
  { name: 'never', restart: 'never', delay: 1000, multiplier: 2, cap: 60_000, attempts: 3, stable: 60_000 },
  { name: 'on-failure-doubling', restart: 'on-failure', delay: 1000, multiplier: 2, cap: 30_000, attempts: 5, stable: 60_000 },
  { name: 'on-failure-constant', restart: 'on-failure', delay: 5000, multiplier: 1, cap: 5000, attempts: 10, stable: 300_000 },
  { name: 'always-tripling', restart: 'always', delay: 500, multiplier: 3, cap: 120_000, attempts: 8, stable: 600_000 },
  { name: 'always-no-attempts', restart: 'always', delay: 250, multiplier: 1.5, cap: 20_000, attempts: 0, stable: 30_000 },
  { name: 'unless-stopped-slow', restart: 'unless-stopped', delay: 2000, multiplier: 2.5, cap: 900_000, attempts: 12, stable: 1_200_000 },
  { name: 'unless-stopped-odd', restart: 'unless-stopped', delay: 777, multiplier: 1.7, cap: 45_000, attempts: 6, stable: 90_000 },
]

type Ending = 'exit-0' | 'exit-3' | 'killed'
const SIGNAL_OF: Record<Ending, NodeJS.Signals> = { 'exit-0': 'SIGUSR1', 'exit-3': 'SIGUSR2', killed: 'SIGKILL' }

/** One program and the test's own account of it, kept from the schedule alone. */
interface Sim {
  m: ManagedProgram
  oracle: PolicyOracle
  runStart: number
  uptime: number
  ending: Ending
  crashAt: number
  signalled: boolean
  /** A start by hand is the next start (after fatal, or an exit the policy does not restart). */
  byHand: boolean
  startByHandAt: number
  exited: (() => void) | undefined
}

afterAll(closeSupervised)

describe(`${HOURS} h of simulated time, crashes through the supervisor on a fake clock`, () => {
  it('every restart exactly when the schedule says, fatal exactly when it says, the count reset after stableMs up', async () => {
    const seed = runSeed()
    const random = seededRandom(seed)
    const fake = createClock(DAY_START)
    const clock: Clock = { now: () => fake.now, setTimeout: (f, ms) => fake.setTimeout(f, ms), clearTimeout: (t) => fake.clearTimeout(t as number) }
    const s = supervised({ enableAutoRestart: true }, undefined, clock)
    const health = s.engine.settings.get().healthConfig
    const fifo = join(tempDir('day-'), 'wait')
    execFileSync('mkfifo', [fifo])

    const problems: string[] = []
    let over = false
    const counts = { restarts: 0, fatals: 0, stays: 0, countsChecked: 0, resets: 0, runs: 0, maxDeviationMs: 0 }
    const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))
    const planRun = (sim: Sim, at: number) => {
      const stable = sim.oracle.schedule.stableMs
      const r = random()
      // The edges of the stable window on purpose: exactly stableMs up resets the count, 1 ms less does not.
      sim.uptime = r < 0.05 ? stable : r < 0.1 ? stable - 1 : r < 0.7 ? between(1, stable - 1) : between(stable, 3 * stable)
      const e = random()
      sim.ending = e < 0.3 ? 'exit-0' : e < 0.75 ? 'exit-3' : 'killed'
      sim.runStart = at
      sim.crashAt = at + sim.uptime
      counts.runs++
    }

    const sims = PLANS.map((p): Sim => {
      const program = parseProgram({
        name: p.name,
        command: RUN,
        shell: true,
        args: [fifo],
        restart: p.restart,
        restartDelayMs: p.delay,
        restartBackoffMultiplier: p.multiplier,
        maxRestartDelayMs: p.cap,
        maxRestartAttempts: p.attempts,
        stableMs: p.stable,
        startSeconds: 0,
        stopTimeoutMs: 2000,
      })
      const sim: Sim = {
        m: s.service.superviseWorker(program, () => {}),
        oracle: new PolicyOracle(restartSchedule(program, health)),
        runStart: 0,
        uptime: 0,
        ending: 'exit-3',
        crashAt: Infinity,
        signalled: false,
        byHand: true,
        startByHandAt: Infinity,
        exited: undefined,
      }
      sim.m.runner.onTransition((t) => observe(sim, t))
      return sim
    })

    /** Each move the supervisor makes, against what the schedule says it must be. */
    function observe(sim: Sim, t: Transition): void {
      const name = sim.m.name
      const wrong = (what: string) => problems.push(`${name} at +${t.at - DAY_START} ms: ${what} (${t.from} -> ${t.to}: ${t.reason})`)
      switch (t.to) {
        case 'starting':
        case 'backoff':
        case 'fatal': {
          const { problem, restart, fatal } = sim.oracle.moved(t, sim.byHand)
          if (problem) wrong(problem)
          if (restart) {
            counts.maxDeviationMs = Math.max(counts.maxDeviationMs, Math.abs(restart.offMs))
            counts.restarts++
            if (restart.offMs !== 0) wrong(`restart ${restart.n} ${restart.offMs} ms off its schedule`)
          }
          if (t.to === 'backoff') return
          if (t.to === 'fatal') {
            if (fatal) counts.fatals++
            sim.byHand = true
            sim.startByHandAt = t.at + between(1000, 600_000)
            return
          }
          sim.byHand = false
          planRun(sim, t.at)
          return
        }
        case 'exited': {
          sim.signalled = false
          sim.exited?.()
          const uptime = t.at - sim.runStart
          if (uptime !== sim.uptime) wrong(`up ${uptime} ms, planned ${sim.uptime} ms`)
          const end: EndKind = sim.ending === 'exit-0' ? 'success' : 'failure'
          if (sim.oracle.ended(end, uptime, t.at).kind === 'stays') {
            counts.stays++
            sim.byHand = true
            sim.startByHandAt = t.at + between(1000, 600_000)
          }
          return
        }
        case 'running':
          return
        default:
          if (!over) wrong('a move the test never asked for')
      }
    }

    /** Real time: each signalled run's exit handled, each new run's shell up with its traps set. */
    async function settle(): Promise<void> {
      for (const sim of sims) {
        if (sim.signalled) {
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`${sim.m.name}: its exit was not handled in 10 s`)), 10_000)
            sim.exited = () => {
              clearTimeout(timer)
              sim.exited = undefined
              resolve()
            }
            if (!sim.signalled) sim.exited()
          })
        }
        if (sim.m.runner.state === 'running') await waitingForSignal(sim.m.runner.pid!)
      }
    }

    /** When the next thing is due for `sim` on the fake clock. */
    function dueAt(sim: Sim): number {
      switch (sim.m.runner.state) {
        case 'running':
          return sim.crashAt
        case 'backoff': {
          const e = sim.oracle.expected
          if (e?.kind === 'restart' && sim.m.nextRestartAt !== e.at) problems.push(`${sim.m.name}: next restart shown at ${sim.m.nextRestartAt}, due at ${e.at}`)
          return sim.m.nextRestartAt ?? Infinity
        }
        case 'fatal':
        case 'exited':
        case 'stopped':
          return sim.startByHandAt
        default:
          return Infinity
      }
    }

    for (const sim of sims) {
      sim.byHand = true
      sim.m.start('started by the test')
    }
    const end = DAY_START + HOURS * 3_600_000
    for (;;) {
      await settle()
      if (problems.length > 20) break
      const next = Math.min(...sims.map(dueAt))
      if (next > end) break
      fake.tick(next - fake.now)
      for (const sim of sims) {
        const state = sim.m.runner.state
        if (state === 'running' && sim.crashAt === fake.now && !sim.signalled) {
          // The count the supervisor shows at that moment: started over once the run has been up stableMs.
          const shown = sim.m.status().restarts
          const expected = sim.oracle.shownCount(sim.uptime)
          counts.countsChecked++
          if (expected === 0 && sim.oracle.shownCount(0) > 0) counts.resets++
          if (shown !== expected) problems.push(`${sim.m.name}: shows ${shown} restarts after ${sim.uptime} ms up, the schedule says ${expected}`)
          sim.signalled = true
          process.kill(sim.m.runner.pid!, SIGNAL_OF[sim.ending])
        } else if ((state === 'fatal' || state === 'exited') && sim.startByHandAt === fake.now) {
          sim.startByHandAt = Infinity
          sim.m.start('started again by the test')
        }
      }
    }
    over = true
    for (const sim of sims) {
      await sim.m.stop('the day is over')
      await sim.m.close()
    }

    figure('simulated day through the supervisor', {
      seed,
      simulated_hours: HOURS,
      programs: sims.length,
      real_runs: counts.runs,
      restarts_checked: counts.restarts,
      fatal_checked: counts.fatals,
      no_restart_checked: counts.stays,
      counts_checked: counts.countsChecked,
      count_resets: counts.resets,
      max_deviation_ms: counts.maxDeviationMs,
    })
    expect(problems).toEqual([])
    expect(fake.now).toBeGreaterThanOrEqual(end - 3_600_000)
    // Each kind of decision was met often enough to mean something.
    expect(counts.restarts).toBeGreaterThan(15 * HOURS)
    expect(counts.fatals).toBeGreaterThan(HOURS)
    expect(counts.stays).toBeGreaterThan(HOURS)
    expect(counts.resets).toBeGreaterThan(HOURS)
    expect(counts.maxDeviationMs).toBe(0)
  })
})

/** Waits (real time) until the shell `pid` has its USR1 and USR2 traps set (a signal before would kill it) and waits in its read. */
async function waitingForSignal(pid: number): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    let status: string
    try {
      status = readFileSync(`/proc/${pid}/status`, 'utf8')
    } catch {
      throw new Error(`process ${pid} is gone before it waited for its signal`)
    }
    const caught = BigInt(`0x${/^SigCgt:\s*([0-9a-f]+)/m.exec(status)?.[1] ?? '0'}`)
    // Asleep in its read too: a signal that came between the shell's last look for one and the read would wait for ever.
    if ((caught & TRAPS) === TRAPS && /^State:\s+S/m.test(status)) return
    if (Date.now() > deadline) throw new Error(`process ${pid} did not wait for its signal in 10 s`)
    await new Promise((r) => setTimeout(r, 1))
  }
}
