import { ProgramTree, type TreeWatch } from './programTree'
import type { ProgramRegistry } from './registry'
import { isRunning } from './procTree'
import { MARKER_VAR } from './runner'
import { findLeftBehind } from './startRecord'
import { stopTree } from './stopTree'

/**
 * Programs an owner started and left running when it died (kill -9, a
 * crash, the session ending): found by identity from the start record,
 * stopped with everything they started (their output has nowhere to go),
 * and named, so that the new owner starts them again under capture and
 * nothing runs twice. Returns the names to start again (those still in
 * the registry).
 */
export async function recoverLeftBehind(dataDir: string, registry: ProgramRegistry, watch: TreeWatch, notices: string[]): Promise<string[]> {
  const left = findLeftBehind(dataDir, notices).filter((p) => p.running)
  if (left.length === 0) return []
  notices.push(
    `Found ${left.length} program${left.length === 1 ? '' : 's'} left running by a Proctor that ended without stopping ` +
      `${left.length === 1 ? 'it' : 'them'} (${left.map((p) => `${p.name}, pid ${p.pid}`).join('; ')}): stopped, and started again with ` +
      'their output captured.',
  )
  await Promise.all(
    left.map((p) => {
      const program = registry.get(p.name)
      // A record written before markers were kept finds the group and the tree only.
      const tree = new ProgramTree({ pid: p.pid, startTicks: p.startTicks }, `${MARKER_VAR}=${p.marker ?? '(not recorded)'}`)
      const unwatch = watch.watch(tree)
      const run = { leaderAlive: () => isRunning(p.pid, p.startTicks), pgid: p.pid, tree }
      return stopTree(run, watch, `SIG${program?.stopSignal ?? 'TERM'}`, program?.stopTimeoutMs ?? 5000).finally(unwatch)
    }),
  )
  return left.map((p) => p.name).filter((name) => registry.get(name) !== undefined)
}
