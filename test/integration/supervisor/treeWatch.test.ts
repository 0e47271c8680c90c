import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { readProc, walkTree, type ProcEntry } from '../../../src/main/core/supervisor/procTree'
import { ProgramTree, TreeWatch } from '../../../src/main/core/supervisor/programTree'
import { waitFor } from '../../helpers/wait'

const cleanup: Array<() => void> = []
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn()
})

describe('the tree watch', () => {
  it('walks an idle tree less and less often, and every tick again once it changes', async () => {
    // Idle for a while, then it starts a child.
    const program = spawn('sh', ['-c', 'sleep 0.6; sleep 30 & wait'], { detached: true, stdio: 'ignore' })
    cleanup.push(() => process.kill(-program.pid!, 'SIGKILL'))
    const watch = new TreeWatch(20)
    cleanup.push(() => watch.close())
    const tree = new ProgramTree({ pid: program.pid!, startTicks: readProc(program.pid!)!.startTicks }, 'PROCTOR_PROGRAM=test-tree')
    cleanup.push(watch.watch(tree))
    // sh's first child (sleep 0.6) is seen at once; then nothing changes for a while.
    await waitFor(() => (watch.walkEvery(tree) ?? 0) >= 8, 3000, 'walks to slow down')
    const child = await waitFor(() => tree.list().find((m) => m.comm === 'sleep' && readProc(m.pid) && /sleep\0?30/.test(cmdline(m.pid))), 3000, 'the new child')
    expect(child).toBeDefined()
    // Reset to every tick by the walk that found it (doubling again since, by a step or two at most).
    expect(watch.walkEvery(tree)).toBeLessThanOrEqual(4)
  })
})

describe('the tree watch, with several idle programs', () => {
  it('walks idle trees together, on the same ticks, however far apart they started', async () => {
    const watch = new TreeWatch(10)
    cleanup.push(() => watch.close())
    // Each walk of a tree is recorded with the wake-up it happened in (no microtask runs within one).
    let wakeUp = 0
    let inWakeUp = false
    const walks: Array<{ tree: number; wakeUp: number }> = []
    class Recorded extends ProgramTree {
      constructor(
        readonly n: number,
        pid: number,
      ) {
        super({ pid, startTicks: readProc(pid)!.startTicks }, `PROCTOR_PROGRAM=test-tree-${n}`)
      }
      override update(procs: readonly ProcEntry[]): void {
        if (!inWakeUp) {
          inWakeUp = true
          wakeUp += 1
          queueMicrotask(() => (inWakeUp = false))
        }
        walks.push({ tree: this.n, wakeUp })
        super.update(procs)
      }
    }
    const trees: Recorded[] = []
    for (const n of [0, 1, 2]) {
      const program = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' })
      cleanup.push(() => process.kill(-program.pid!, 'SIGKILL'))
      const tree = new Recorded(n, program.pid!)
      trees.push(tree)
      cleanup.push(watch.watch(tree))
      // Apart by 3 and 5 ticks: walked on their own, they would never share a tick.
      await new Promise((r) => setTimeout(r, [30, 50][n] ?? 0))
    }
    await waitFor(() => trees.every((t) => watch.walkEvery(t) === 16), 5000, 'the walks to slow down')
    walks.length = 0
    await waitFor(() => new Set(walks.map((w) => w.wakeUp)).size >= 3, 5000, 'three more rounds of walks')
    const byWakeUp = new Map<number, number[]>()
    for (const w of walks) byWakeUp.set(w.wakeUp, [...(byWakeUp.get(w.wakeUp) ?? []), w.tree])
    for (const walked of byWakeUp.values()) expect(walked.sort()).toEqual([0, 1, 2])
  })
})

describe('walkTree', () => {
  it('finds the children a process started from another thread than its first', async () => {
    const worker = `require('child_process').spawn('sleep', ['30'], { stdio: 'ignore' })`
    const program = spawn(process.execPath, ['-e', `new (require('worker_threads').Worker)(${JSON.stringify(worker)}, { eval: true }); setInterval(() => {}, 1000)`], {
      detached: true,
      stdio: 'ignore',
    })
    cleanup.push(() => process.kill(-program.pid!, 'SIGKILL'))
    const child = await waitFor(() => walkTree([program.pid!])?.find((p) => p.comm === 'sleep'), 5000, 'the sleep the worker started')
    expect(child.ppid).toBe(program.pid)
  })
})

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return ''
  }
}
