import { z } from 'zod'
import type { ProcessDelta } from '../process/delta'
import type { ProcessTreeNode } from '../process/tree'
import { StructuredQuery } from '../query/structured'
import type { ProcessInfo, ProcessSnapshot, ProcessWatchEvent } from '../types/process'
import { call, identity, noArgs, stream } from './spec'

/** Every process: the list, the tree, search, and the live streams. */

export interface ProcessTree {
  timestamp: number
  cpuScale: ProcessSnapshot['cpuScale']
  roots: ProcessTreeNode[]
}

const findArgs = z.strictObject({
  /** The query language of the search box: `cpu > 5 and user = root`, `name =~ node`, plain words. */
  query: z.string().max(4096).optional(),
  filter: StructuredQuery.optional(),
  sortBy: z.enum(['cpu', 'memory', 'pid', 'name']).optional(),
  limit: z.number().int().positive().optional(),
})

export const processCalls = {
  getProcessList: call<ProcessSnapshot>()(noArgs, 'Every process with CPU % over the last refresh interval.'),
  getProcessTree: call<ProcessTree>()(noArgs, 'Every process as a forest by parent, with subtree totals.'),
  findProcesses: call<ProcessInfo[]>()(findArgs, 'Processes matching a text query and/or a structured filter.'),
} as const

export const processStreams = {
  subscribeToProcessUpdates: stream<ProcessSnapshot>()(noArgs, 'A process snapshot every refreshInterval.'),
  subscribeToProcessDeltas: stream<ProcessDelta>()(
    noArgs,
    'The same snapshots as changes: the whole first, then what changed, appeared and went (applyProcessDelta rebuilds them).',
  ),
  watchProcess: stream<ProcessWatchEvent>()(identity, "One process's samples with its CPU and memory history, then 'exited'."),
} as const
