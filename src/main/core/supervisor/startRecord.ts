import { join } from 'node:path'
import { isPlainObject, schemaVersionProblem, type FileReading } from '../../../shared/schemaVersion'
import { isRunning } from './procTree'
import { writeFileAtomicAsync } from '../store/atomicFile'
import { loadOrSetAside } from '../store/versionedFile'
import { pidExists } from '../processes/signalZero'

export const START_RECORD_FILE = 'started.json'
const START_RECORD_SCHEMA_VERSION = 1

/** A program as it was started: enough for a later owner to find it again, and not mistake a reused pid for it. */
export interface StartedProgram {
  name: string
  pid: number
  /** Field 22 of /proc/PID/stat; 0 where there is no /proc (the pid alone then). */
  startTicks: number
  /** ms since the epoch */
  startedAt: number
  /** The value of PROCTOR_PROGRAM in its environment, which its detached descendants carry too. */
  marker?: string
}

function readStartRecord(doc: unknown): FileReading<StartedProgram[]> {
  if (!isPlainObject(doc) || !Array.isArray(doc.programs)) return { ok: false, problem: 'it has no "programs" list' }
  const versionProblem = schemaVersionProblem(doc.schemaVersion, START_RECORD_SCHEMA_VERSION)
  if (versionProblem) return { ok: false, problem: versionProblem }
  const programs = doc.programs.filter(
    (p): p is StartedProgram =>
      isPlainObject(p) && typeof p.name === 'string' && Number.isInteger(p.pid) && Number.isInteger(p.startTicks) && typeof p.startedAt === 'number' &&
      (p.marker === undefined || typeof p.marker === 'string'),
  )
  if (programs.length !== doc.programs.length) return { ok: false, problem: 'an entry lacks its name, pid, startTicks or startedAt' }
  return { ok: true, value: programs }
}

/**
 * The programs this owner has running, on disk as each starts and ends
 * (atomically), so that after the owner dies (kill -9, a crash) the next
 * one finds what it left behind instead of starting it twice.
 */
export class StartRecord {
  private readonly running = new Map<string, StartedProgram>()
  private saving: Promise<void> | undefined
  private dirty = false
  readonly path: string
  /** The last failed write, for the user: without the record, programs left by a crash cannot be found. */
  lastError: Error | undefined

  constructor(dataDir: string) {
    this.path = join(dataDir, START_RECORD_FILE)
  }

  record(started: StartedProgram): void {
    this.running.set(started.name, started)
    this.save()
  }

  forget(name: string, pid: number): void {
    if (this.running.get(name)?.pid !== pid) return
    this.running.delete(name)
    this.save()
  }

  /** Resolves once the record on disk is as this object holds it. */
  async flush(): Promise<void> {
    while (this.saving) await this.saving
  }

  /**
   * Writes off the event loop (an fsync per start took 20 ms here), one
   * write at a time; changes made meanwhile go out in the next.
   */
  private save(): void {
    this.dirty = true
    if (this.saving) return
    this.saving = (async () => {
      while (this.dirty) {
        this.dirty = false
        const content = `${JSON.stringify({ schemaVersion: START_RECORD_SCHEMA_VERSION, programs: [...this.running.values()] }, null, 2)}\n`
        await writeFileAtomicAsync(this.path, content).catch((err: Error) => (this.lastError = err))
      }
    })().finally(() => (this.saving = undefined))
  }
}

export interface LeftBehind extends StartedProgram {
  /** Still running as the very process that was started (same pid and start time). */
  running: boolean
}

/**
 * What a previous owner recorded as running, each told still running or
 * not by identity: a pid now used by another process is not it. Meant for
 * an owner starting up, before it starts anything (and so before it
 * rewrites the record); a notice in `notices` when the file was unusable.
 */
export function findLeftBehind(dataDir: string, notices: string[] = []): LeftBehind[] {
  const path = join(dataDir, START_RECORD_FILE)
  const loaded = loadOrSetAside(path, readStartRecord, 'Record of started programs', 'programs left running by an earlier Proctor cannot be found')
  if (loaded.notice) notices.push(loaded.notice)
  return (loaded.value ?? []).map((p) => ({ ...p, running: p.startTicks > 0 ? isRunning(p.pid, p.startTicks) : pidExists(p.pid) }))
}
