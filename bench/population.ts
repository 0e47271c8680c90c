import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { settlesWithin, sleep } from './measure'

/**
 * Processes the bench starts, cleaned up even when the bench is killed
 * (SIGKILL included).
 *
 * Each group is one detached shell (its own session and process group) that
 * starts its children in that group and then blocks reading the pipe the
 * bench holds on its stdin. However the bench ends, the pipe closes, `read`
 * returns and the shell kills its whole process group, then reaps it.
 */

const GUARD_SCRIPT = `
copies=$1; shift
i=0
while [ "$i" -lt "$copies" ]; do
  "$@" </dev/null >/dev/null 2>&1 &
  i=$((i + 1))
done
echo "$!"
while read -r _; do :; done
trap '' TERM
kill -TERM 0
wait
`

const live = new Set<GuardedGroup>()

export class GuardedGroup {
  private exited: Promise<void>

  private constructor(
    private readonly shell: ChildProcessWithoutNullStreams,
    /** The process group id (the shell's pid). */
    readonly pgid: number,
    /** Pid of the last child started (the only one when copies = 1). */
    readonly lastPid: number,
  ) {
    this.exited = new Promise((resolve) => shell.once('exit', () => resolve()))
    live.add(this)
  }

  /** Starts `copies` instances of argv in a new guarded process group; resolves once all are forked. */
  static async start(copies: number, argv: readonly string[]): Promise<GuardedGroup> {
    const shell = spawn('/bin/sh', ['-c', GUARD_SCRIPT, 'proctor-bench-guard', String(copies), ...argv], {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    shell.stderr.on('data', (d: Buffer) => process.stderr.write(`[guard] ${d.toString()}`))
    const lastPid = await new Promise<number>((resolve, reject) => {
      let out = ''
      shell.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        const nl = out.indexOf('\n')
        if (nl >= 0) resolve(Number(out.slice(0, nl)))
      })
      shell.once('error', reject)
      shell.once('exit', (code) => reject(new Error(`guard shell exited early (${code})`)))
    })
    return new GuardedGroup(shell, shell.pid!, lastPid)
  }

  /** Ends every process of the group and waits for them; SIGKILL for whatever is left after the timeout. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.shell.stdin.end()
    const deadline = performance.now() + timeoutMs
    await settlesWithin(this.exited, timeoutMs)
    while (processesInGroup(this.pgid) > 0 && performance.now() < deadline) await sleep(50)
    if (processesInGroup(this.pgid) > 0) this.kill()
    live.delete(this)
  }

  /** Synchronous last resort (exit handlers, signals). */
  kill(): void {
    try {
      process.kill(-this.pgid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

/** Kills every group still running; safe to call from a synchronous 'exit' handler. */
export function killAllGroups(): void {
  for (const g of live) g.kill()
  live.clear()
}

export function liveGroups(): GuardedGroup[] {
  return [...live]
}

/** Processes on the machine: numeric entries of /proc (thread group leaders, as `ps -e` counts). */
export function countProcesses(): number {
  let n = 0
  for (const entry of readdirSync('/proc')) {
    const c = entry.charCodeAt(0)
    if (c >= 48 && c <= 57) n++
  }
  return n
}

/** Calls `each` with every process's pid and its stat fields after the name (rest[0] is field 3, the state). */
export function forEachStat(each: (pid: number, rest: string[]) => void): void {
  for (const entry of readdirSync('/proc')) {
    const c = entry.charCodeAt(0)
    if (c < 48 || c > 57) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1')
    } catch {
      continue
    }
    each(Number(entry), stat.slice(stat.lastIndexOf(')') + 2).split(' '))
  }
}

/** Live (non-zombie) processes whose process group is pgid. */
export function processesInGroup(pgid: number): number {
  let n = 0
  // rest[0] = state (field 3), rest[2] = pgrp (field 5)
  forEachStat((_pid, rest) => {
    if (Number(rest[2]) === pgid && rest[0] !== 'Z') n++
  })
  return n
}

/**
 * Idle processes (`sleep`, about 1 MiB resident each) that bring the
 * machine's process count up to a target.
 */
export class Population {
  private constructor(
    private readonly group: GuardedGroup | undefined,
    readonly baseline: number,
    readonly spawned: number,
  ) {}

  static async reach(target: number, log: (m: string) => void): Promise<Population> {
    const baseline = countProcesses()
    // The guard shell itself is one process of the total.
    const spawned = Math.max(0, target - baseline - 1)
    if (spawned === 0) {
      log(`population: ${baseline} processes already, at or above the target ${target}; spawning none`)
      return new Population(undefined, baseline, 0)
    }
    const t0 = performance.now()
    const group = await GuardedGroup.start(spawned, ['sleep', '100000'])
    // Forked is not yet exec'd; wait until the group is complete.
    const deadline = performance.now() + 30_000
    while (processesInGroup(group.pgid) < spawned + 1 && performance.now() < deadline) await sleep(50)
    const inGroup = processesInGroup(group.pgid)
    log(
      `population: ${baseline} -> ${countProcesses()} processes (${inGroup - 1} sleeps in group ${group.pgid}, ` +
        `${Math.round(performance.now() - t0)} ms)`,
    )
    return new Population(group, baseline, spawned)
  }

  get pgid(): number | undefined {
    return this.group?.pgid
  }

  /** Ends every spawned process and checks that the count went back down. */
  async release(log: (m: string) => void): Promise<boolean> {
    if (!this.group) return true
    await this.group.stop()
    const left = processesInGroup(this.group.pgid)
    const now = countProcesses()
    const ok = left === 0 && now < this.baseline + Math.max(20, this.spawned / 10)
    log(`population: released group ${this.group.pgid}: ${left} left in it, ${now} processes now (baseline ${this.baseline}) ${ok ? 'OK' : 'NOT CLEAN'}`)
    return ok
  }
}
