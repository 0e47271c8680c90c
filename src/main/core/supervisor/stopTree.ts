import { existsSync } from 'node:fs'
import { readProc, walkTree, type ProcEntry } from './procTree'
import type { ProgramTree, TreeWatch } from './programTree'
import { pidExists } from '../processes/signalZero'

/** The processes of one run of a program: its own (the group leader) and its tree. */
export interface RunProcesses {
  /** Whether the leader still runs (until it is reaped); a run found left behind by another owner checks by identity. */
  leaderAlive: () => boolean
  /** The group (and session) the program leads: its pid. */
  pgid: number
  tree: ProgramTree
}

export interface StopResult {
  /** Everything was gone before the stop timeout; otherwise what was left got KILL. */
  graceful: boolean
  /** Descendants that had left the program's group, each signalled by itself. */
  outsideGroup: Array<{ pid: number; name: string }>
  durationMs: number
}

/** How often a stop looks whether the program's processes are gone. */
const STOP_POLL_MS = 25
/** How long KILLed processes get to disappear before a stop gives up on them (a process in uninterruptible sleep). */
const KILL_WAIT_MS = 3000

/**
 * Sends `signal` to the group and to every descendant that left it, waits
 * `timeoutMs` for all of them to go, then KILLs what is left. `scan` is a
 * whole process table just read, if the caller has one.
 */
export async function stopTree(run: RunProcesses, scanner: TreeWatch, signal: NodeJS.Signals, timeoutMs: number, scan?: readonly ProcEntry[]): Promise<StopResult> {
  const began = Date.now()
  const outsideGroup = new Map<number, string>()
  // The whole tree as it is now, before the signal makes parents exit and orphans lose their links.
  let left = signalLeft(run, signal, outsideGroup, scan ?? (await scanWhole(run, scanner)))
  const deadline = Date.now() + timeoutMs
  while (left > 0 && Date.now() < deadline) {
    await sleep(STOP_POLL_MS)
    // Known processes by identity while some are left; before calling it
    // done, a walk and the group, and a whole scan only if they show any.
    left =
      signalLeft(run, undefined, outsideGroup, knownNow(run)) ||
      (mayHaveLeft(run) ? signalLeft(run, undefined, outsideGroup, await scanWhole(run, scanner)) : 0)
  }
  const graceful = left === 0
  const killDeadline = Date.now() + KILL_WAIT_MS
  while (left > 0 && Date.now() < killDeadline) {
    left = signalLeft(run, 'SIGKILL', outsideGroup, await scanWhole(run, scanner))
    if (left > 0) await sleep(STOP_POLL_MS)
  }
  return { graceful, outsideGroup: [...outsideGroup].map(([pid, name]) => ({ pid, name })), durationMs: Date.now() - began }
}

/**
 * Whether anything of a run whose leader exited may still run, cheaply: a
 * walk down from what the tree knows, and whether the group has any member
 * (zombies too). What it cannot see is a descendant that detached and was
 * orphaned since the last walk: sweep() finds those.
 */
export function mayHaveLeft(run: RunProcesses): boolean {
  const walked = walkTree(run.tree.roots())
  if (!walked) return true
  run.tree.update(walked)
  return run.tree.living(walked).length > 0 || groupExists(run.pgid)
}

/** A whole scan (the marker included) for what a run left, stopped if found; the number found. */
export async function sweep(run: RunProcesses, scanner: TreeWatch, signal: NodeJS.Signals, timeoutMs: number): Promise<number> {
  const procs = await scanWhole(run, scanner)
  const left = signalLeft(run, undefined, new Map(), procs)
  if (left > 0) await stopTree(run, scanner, signal, timeoutMs, procs)
  return left
}

async function scanWhole(run: RunProcesses, scanner: TreeWatch): Promise<ProcEntry[]> {
  const procs = await scanner.scanNow()
  run.tree.update(procs)
  await run.tree.findMarked(procs)
  // Orphans found by their marker bring descendants of their own (a session's grandchildren), which only a walk from them finds.
  run.tree.update(procs)
  return procs
}

function knownNow(run: RunProcesses): ProcEntry[] {
  return run.tree
    .list()
    .map((m) => readProc(m.pid))
    .filter((p): p is ProcEntry => p !== undefined)
}

/**
 * Sends `signal` (when given) to the group and to each living descendant
 * outside it, as `procs` show them, and returns how many processes are left
 * (the leader until it is reaped, the group, the descendants).
 */
function signalLeft(run: RunProcesses, signal: NodeJS.Signals | undefined, outsideGroup: Map<number, string>, procs: readonly ProcEntry[]): number {
  const { pgid, tree } = run
  const leaderAlive = run.leaderAlive()
  // Without /proc (macOS) the members cannot be listed: the group is asked whether it has any.
  const group = HAVE_PROC ? procs.filter((p) => p.pgrp === pgid && p.pid !== pgid && !p.zombie).length : groupExists(pgid) ? 1 : 0
  const outside = tree.living(procs).filter((m) => m.leftGroup)
  if (signal) {
    if (leaderAlive || group > 0) signalProcess(-pgid, signal)
    for (const m of outside) {
      outsideGroup.set(m.pid, m.comm)
      signalProcess(m.pid, signal)
    }
  }
  return (leaderAlive ? 1 : 0) + group + outside.length
}

const HAVE_PROC = existsSync('/proc/self/stat')

/** Whether process group `pgid` has a member (a zombie included). */
function groupExists(pgid: number): boolean {
  return pidExists(-pgid)
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal)
  } catch {
    // Gone meanwhile (ESRCH): what a stop wants.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
