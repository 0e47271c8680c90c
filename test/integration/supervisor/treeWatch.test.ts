import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { readProc } from '../../../src/main/core/supervisor/procTree'
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

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return ''
  }
}
