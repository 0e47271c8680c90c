import { readdirSync, statSync, writeFileSync, appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AUDIT_FILE, AuditLog } from '../../../src/main/core/control/auditLog'
import type { ActionAuditEntry, AuditEntry } from '../../../src/shared/types/control'
import { tempDir } from '../../helpers/tempDir'

const entry = (pid: number): ActionAuditEntry => ({ timestamp: pid, action: 'signal', pid, options: { signal: 'TERM' }, ok: true, outcome: 'sent TERM' })

const pids = (entries: AuditEntry[]) => entries.map((e) => (e.action === 'settings' || e.action === 'program' || e.action === 'ipc' || e.action === 'pool' ? undefined : e.pid))

describe('AuditLog', () => {
  it('reads back the newest entries, newest last, across processes sharing the folder', () => {
    const dir = tempDir()
    new AuditLog(dir).append(entry(1))
    new AuditLog(dir).append(entry(2))
    expect(pids(new AuditLog(dir).read(10))).toEqual([1, 2])
    expect(pids(new AuditLog(dir).read(1))).toEqual([2])
  })

  it('stays bounded on disk: two files of about a megabyte at most', () => {
    const dir = tempDir()
    const log = new AuditLog(dir)
    const big = { ...entry(0), command: 'x'.repeat(500) }
    for (let i = 0; i < 6000; i++) log.append({ ...big, pid: i })
    const files = readdirSync(dir).sort()
    expect(files).toEqual([AUDIT_FILE, `${AUDIT_FILE}.1`])
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThan(1.1 * 1024 * 1024)
    const newest = pids(log.read(5))
    expect(newest).toEqual([5995, 5996, 5997, 5998, 5999])
  })

  it('skips a torn line instead of failing', () => {
    const dir = tempDir()
    writeFileSync(join(dir, AUDIT_FILE), `${JSON.stringify(entry(1))}\n{"timestamp": 2, "act`)
    appendFileSync(join(dir, AUDIT_FILE), `\n${JSON.stringify(entry(3))}\n`)
    expect(pids(new AuditLog(dir).read())).toEqual([1, 3])
  })
})
