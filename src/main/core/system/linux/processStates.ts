import { readdirSync } from 'node:fs'
import { parseState } from '../../processes/linux/procParse'
import { countProcessStates, type ProcessCounts } from '../../../../shared/system/processCounts'
import type { ProcessState } from '../../../../shared/types/process'
import { statStateLetter } from './parse'
import type { TextFiles } from '../../linux/textFiles'

/** Process states read per sample while a count is under way: about 0.5 ms. */
export const STATES_PER_SAMPLE = 50

/**
 * Processes by state, from each /proc/PID/stat. That is one read per
 * process (5-15 µs each: 30 ms at 2000 processes, too long to block a
 * sample for), so a count is spread over samples: each reads at most
 * STATES_PER_SAMPLE of the pids listed when the count began, and the
 * counts change when a count completes. A new count begins `everyMs` after
 * the last one ended. The engine passes counts from its process list
 * instead whenever it has a fresh one, and then none of this runs.
 */
export class ProcStateCounter {
  private pending: string[] = []
  private states: ProcessState[] = []
  private counting = false
  private counts: ProcessCounts | undefined
  private endedAt = -Infinity

  constructor(
    private readonly files: TextFiles,
    private readonly procRoot: string,
    private readonly everyMs: number,
  ) {}

  /** The last complete counts; the first call counts everything at once, so there always are some. */
  read(nowMs: number): ProcessCounts {
    if (!this.counting && nowMs - this.endedAt >= this.everyMs) this.begin()
    if (this.counting) {
      this.advance(this.counts ? STATES_PER_SAMPLE : Infinity)
      if (this.pending.length === 0) {
        this.counts = countProcessStates(this.states)
        this.states = []
        this.counting = false
        this.endedAt = nowMs
      }
    }
    return this.counts!
  }

  private begin(): void {
    let names: string[]
    try {
      names = readdirSync(this.procRoot)
    } catch {
      names = []
    }
    this.pending = names.filter((n) => n.charCodeAt(0) >= 48 && n.charCodeAt(0) <= 57)
    this.states = []
    this.counting = true
  }

  private advance(budget: number): void {
    for (let n = 0; n < budget && this.pending.length > 0; n++) {
      const text = this.files.read(`${this.procRoot}/${this.pending.pop()!}/stat`)
      // Gone since the listing: not counted.
      if (text !== undefined) this.states.push(parseState(statStateLetter(text) ?? '?'))
    }
  }
}

/** Everything at once: for tests and one-off reads. */
export function countProcStates(files: TextFiles, procRoot = '/proc'): ProcessCounts {
  return new ProcStateCounter(files, procRoot, 0).read(0)
}
