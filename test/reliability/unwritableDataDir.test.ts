import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DataDirUnwritableError, takeOwnership, type Ownership } from '../../src/main/core/owner/ownership'
import { createApi } from '../../src/shared/rpc/client'
import { inProcessTransport } from '../../src/shared/rpc/inProcess'
import { ProctorError } from '../../src/shared/errors'
import { bundledCli } from '../helpers/bundledCli'
import { tempDir } from '../helpers/tempDir'
import { figure } from './figures'

/*
 * A data folder Proctor cannot write: reported at start, with what still
 * works. Two real causes: a path through a regular file (ENOTDIR, for any
 * user) and a read-only mount holding a corrupt settings file and a stale
 * temp file (EROFS; mounting needs root).
 */

const engineOptions = { version: 'test', backgroundMetrics: false, log: () => {} }
const open: Ownership[] = []
let unmount = () => {}
afterAll(async () => {
  for (const o of open) await o.close()
  unmount()
})

/** The code a rejected call carried, and its message. */
async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call
  } catch (err) {
    if (err instanceof ProctorError) return { code: err.code, message: err.message }
    throw err
  }
  throw new Error('the call was not refused')
}

/** Why a read-only tmpfs cannot be made here, or undefined once it is mounted at `at`. */
function readOnlyMount(at: string, fill: (dir: string) => void): string | undefined {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root'
  mkdirSync(at, { recursive: true })
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', at], { stdio: 'pipe' })
  } catch (err) {
    return `mount -t tmpfs failed: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`
  }
  unmount = () => execFileSync('umount', ['-l', at])
  fill(at)
  execFileSync('mount', ['-o', 'remount,ro', at], { stdio: 'pipe' })
  return undefined
}

describe('a data folder that cannot be written', () => {
  it('runs the monitor alone and says why and what works; the daemon refuses with one line', async () => {
    const file = join(tempDir(), 'a-file')
    writeFileSync(file, 'not a folder\n')
    const dataDir = join(file, 'proctor')

    const o = await takeOwnership({ dataDir, kind: 'desktop', engineOptions })
    open.push(o)
    expect(o.role).toBe('monitor')
    const api = createApi(inProcessTransport(o.engine.router))
    const info = await api.getAppInfo()
    expect(info.notices).toHaveLength(1)
    expect(info.notices[0]).toContain(`${dataDir} cannot be written: part of its path is a file, not a folder (ENOTDIR)`)
    expect(info.notices[0]).toMatch(/monitor only: processes, system metrics, ports and process actions work/)

    // What still works: the process list and the system metrics.
    const snapshot = await api.getProcessList()
    expect(snapshot.processes.some((p) => p.pid === process.pid)).toBe(true)
    expect((await api.getSystemMetrics()).cpu.cores.length).toBeGreaterThan(0)
    // What does not: each says why, naming the folder.
    const programs = await refusal(api.listPrograms())
    expect(programs).toEqual({ code: 'UNAVAILABLE', message: expect.stringContaining(`${dataDir} cannot be written`) })
    expect((await refusal(api.getAllPools())).message).toMatch(/worker pools are off/)
    expect((await refusal(api.getIPCConnections())).message).toMatch(/IPC broker is off/)
    const settings = await refusal(api.updateSettings({ refreshInterval: 1500 }))
    expect(settings.code).toBe('UNAVAILABLE')
    expect(settings.message).toContain(join(dataDir, 'settings.json'))
    expect((await api.getSettings()).refreshInterval).not.toBe(1500)

    await expect(takeOwnership({ dataDir, kind: 'daemon', engineOptions, ifOwned: 'refuse' })).rejects.toBeInstanceOf(DataDirUnwritableError)
    const daemon = spawnSync(process.execPath, [bundledCli(), 'daemon', '--data-dir', dataDir], { encoding: 'utf8', timeout: 20_000 })
    expect(daemon.status).toBe(1)
    expect(daemon.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^proctor: the data folder .* cannot be written: part of its path is a file, not a folder \(ENOTDIR\): the daemon keeps/)])
  }, 60_000)

  const mount = join(tempDir('ro-'), 'data')
  const corrupt = '{"schemaVersion": 1, "refreshInterval": "often"'
  const stale = 'settings.json.999999999.1.tmp'
  const unavailable = readOnlyMount(mount, (dir) => {
    writeFileSync(join(dir, 'settings.json'), corrupt)
    writeFileSync(join(dir, stale), '{}')
  })

  it.skipIf(unavailable)(`a read-only mount with a corrupt settings file: no crash, the file left as it was${unavailable ? ` (skipped: ${unavailable})` : ''}`, async () => {
    const o = await takeOwnership({ dataDir: mount, kind: 'daemon', engineOptions })
    open.push(o)
    expect(o.role).toBe('monitor')
    const notices = (await createApi(inProcessTransport(o.engine.router)).getAppInfo()).notices
    expect(notices[0]).toContain('it is on a read-only file system (EROFS)')
    expect(notices[1]).toMatch(/settings\.json could not be used: .* could not be moved aside \(EROFS\) and was left as it is/)
    expect(readFileSync(join(mount, 'settings.json'), 'utf8')).toBe(corrupt)
    expect(readdirSync(mount).sort()).toEqual(['settings.json', stale])
    figure('unwritable data folder at start', { causes: 'ENOTDIR EROFS', role: o.role, notices: notices.length, crashed: false })
  })
})
