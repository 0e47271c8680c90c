import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { toErrorInfo } from '../../../shared/errors'
import type { AuditEntry, IPCAuditEntry, PoolAuditEntry } from '../../../shared/types/control'

export const AUDIT_FILE = 'audit.jsonl'
/** The file is rotated past this size (the previous one is kept as .1), so the log stays bounded on disk. */
const MAX_FILE_BYTES = 1024 * 1024

/**
 * Every process action and its result, appended as JSON lines in the data
 * folder so the app, the host and the CLI (separate processes) share it.
 * Bounded: at most two files of MAX_FILE_BYTES.
 */
export class AuditLog {
  readonly path: string

  constructor(dataDir: string) {
    this.path = join(dataDir, AUDIT_FILE)
  }

  append(entry: AuditEntry): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 })
      if (existsSync(this.path) && statSync(this.path).size > MAX_FILE_BYTES) renameSync(this.path, `${this.path}.1`)
      appendFileSync(this.path, `${JSON.stringify(entry)}\n`, { mode: 0o600 })
    } catch {
      // The action happened; failing to log it must not turn it into a failure.
    }
  }

  /** The newest entries, newest last. Lines that cannot be read are skipped. */
  read(limit = 200): AuditEntry[] {
    const lines: string[] = []
    for (const file of [this.path, `${this.path}.1`]) {
      if (lines.length >= limit) break
      let text: string
      try {
        text = readFileSync(file, 'utf8')
      } catch {
        continue
      }
      lines.unshift(...text.split('\n').filter(Boolean))
    }
    const entries: AuditEntry[] = []
    for (const line of lines.slice(-limit)) {
      try {
        entries.push(JSON.parse(line) as AuditEntry)
      } catch {
        // a torn line from a crash mid-write
      }
    }
    return entries
  }
}

/** An entry that names what was acted on by a verb (the broker's and the pools'), before its result is known. */
type TargetedAction = Pick<IPCAuditEntry, 'action' | 'verb' | 'target' | 'caller'> | Pick<PoolAuditEntry, 'action' | 'verb' | 'target' | 'caller'>

/** Runs `run` and records `what` with its outcome, or with the error it threw (rethrown). */
export async function audited<T>(audit: Pick<AuditLog, 'append'> | undefined, what: TargetedAction, run: () => T | Promise<T>, outcome: (result: T) => string): Promise<T> {
  try {
    const result = await run()
    audit?.append({ ...what, timestamp: Date.now(), ok: true, outcome: outcome(result) } as AuditEntry)
    return result
  } catch (err) {
    const info = toErrorInfo(err)
    audit?.append({ ...what, timestamp: Date.now(), ok: false, outcome: info.message, errorCode: info.code } as AuditEntry)
    throw err
  }
}
