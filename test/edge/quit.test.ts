import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { connectToOwner } from '../../src/main/core/owner/controlClient'
import { runtimeDirFor } from '../../src/main/core/owner/runtimeDir'
import { REGISTRY_FILE } from '../../src/main/core/supervisor/registry'
import { REGISTRY_SCHEMA_VERSION } from '../../src/shared/supervisor/programSet'
import type { ProgramStatus } from '../../src/shared/supervisor/status'
import { bundledCli } from '../helpers/bundledCli'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'

/*
 * Quitting the desktop app while it supervises running programs, through
 * the composition root on the stand-in electron module, with real programs
 * and, for the hand-over, a real `proctor daemon`.
 */

process.env.PROCTOR_TRAY = 'off'
type Electron = typeof import('../fakes/electron')

let booted: Electron | undefined
const daemons: number[] = []

/** The app on a data folder whose registry holds one autostart program, `web`. */
async function bootWithProgram() {
  vi.resetModules()
  vi.spyOn(console, 'error').mockImplementation(() => {})
  const dataDir = tempDir()
  writeFileSync(
    join(dataDir, REGISTRY_FILE),
    JSON.stringify({ schemaVersion: REGISTRY_SCHEMA_VERSION, programs: [{ name: 'web', command: 'sleep', args: ['300'], autostart: true, startSeconds: 0 }] }),
  )
  process.env.PROCTOR_DATA_DIR = dataDir
  const electron = await import('../fakes/electron')
  await import('../../src/main/index')
  booted = electron
  await electron.app.simulateReady()
  const win = await waitFor(() => electron.BrowserWindow.getAllWindows()[0], 10_000, 'the window')
  const runtimeDir = runtimeDirFor(dataDir)
  const web = await programOf(runtimeDir, (p) => p.state === 'running')
  return { electron, win, dataDir, runtimeDir, web }
}

/** `web` as the owner listening in runtimeDir tells it, once `ok` holds. */
async function programOf(runtimeDir: string, ok: (p: ProgramStatus, ownerPid: number) => boolean): Promise<ProgramStatus & { ownerPid: number }> {
  return waitFor(
    async () => {
      const owner = await connectToOwner(runtimeDir).catch(() => undefined)
      if (!owner) return undefined
      try {
        const web = (await owner.api.listPrograms()).programs.find((p) => p.name === 'web')
        return web && ok(web, owner.owner.pid) ? { ...web, ownerPid: owner.owner.pid } : undefined
      } finally {
        owner.close()
      }
    },
    15_000,
    'web as its owner tells it',
  )
}

/** Quits choosing Keep Them Running; answers `web` as the daemon runs it again, and its transitions there. */
async function handOver(electron: Electron, win: { isDestroyed(): boolean }, web: ProgramStatus, runtimeDir: string) {
  electron.dialog.responses.push(1)
  electron.app.quit()
  await waitFor(() => win.isDestroyed(), 10_000, 'the quit')
  const underDaemon = await programOf(runtimeDir, (p, ownerPid) => ownerPid !== process.pid && p.state === 'running')
  daemons.push(underDaemon.ownerPid)
  expect(underDaemon.pid).not.toBe(web.pid)
  const owner = await connectToOwner(runtimeDir)
  const transitions = (await owner.api.getProgram({ name: 'web' })).transitions
  owner.close()
  expect(owner.owner.kind).toBe('daemon')
  return { underDaemon, transitions }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const savedPath = process.env.PATH

/** A packaged app (electron-builder.yml): the CLI in its resources folder, the runAsNode fuse off. */
function packaged(electron: Electron, resources: string) {
  electron.app.isPackaged = true
  Object.defineProperty(process, 'resourcesPath', { value: resources, configurable: true })
}

afterEach(async () => {
  process.env.PATH = savedPath
  Reflect.deleteProperty(process, 'resourcesPath')
  if (booted && !booted.app.isQuitting) {
    booted.dialog.responses.push(0)
    booted.app.quit()
  }
  booted = undefined
  for (const pid of daemons.splice(0)) {
    process.kill(pid, 'SIGTERM')
    await waitFor(() => !alive(pid), 10_000, 'the daemon to stop')
  }
  delete process.env.PROCTOR_DATA_DIR
  vi.restoreAllMocks()
})

describe('quitting the desktop app while it supervises programs', () => {
  it('asks first, naming them; Cancel keeps the app and the programs', async () => {
    const { electron, win, web } = await bootWithProgram()
    electron.dialog.responses.push(2)
    electron.app.quit()
    await waitFor(() => electron.dialog.messageBoxes.length === 1, 5000, 'the question')
    const asked = electron.dialog.messageBoxes[0]!.options as { message: string; detail: string; buttons: string[]; defaultId: number }
    expect(asked.message).toBe('1 program is running: web')
    expect(asked.detail).toMatch(/stop when it quits.*proctor daemon/s)
    expect(asked.buttons).toEqual(['Stop Them and Quit', 'Keep Them Running (proctor daemon)', 'Cancel'])
    expect(asked.defaultId).toBe(2)
    await new Promise((r) => setTimeout(r, 200))
    expect(win.isDestroyed()).toBe(false)
    expect(electron.app.isQuitting).toBe(false)
    expect(alive(web.pid!)).toBe(true)
  })

  it('Stop Them and Quit stops every program, then quits', async () => {
    const { electron, win, web } = await bootWithProgram()
    electron.dialog.responses.push(0)
    electron.app.quit()
    await waitFor(() => win.isDestroyed(), 10_000, 'the quit')
    expect(alive(web.pid!)).toBe(false)
  })

  it('Keep Them Running hands them to a daemon it starts, which runs them again under capture', async () => {
    const { electron, win, web, runtimeDir } = await bootWithProgram()
    const { transitions } = await handOver(electron, win, web, runtimeDir)
    expect(alive(web.pid!)).toBe(false)
    expect(transitions[0]).toMatchObject({ to: 'starting', reason: 'running when the previous owner stopped' })
  }, 30_000)

  it('packaged: the hand-over runs the CLI beside the app on the user’s node, not the app as Node (its runAsNode fuse is off)', async () => {
    const { electron, win, web, runtimeDir } = await bootWithProgram()
    const resources = tempDir()
    mkdirSync(join(resources, 'cli'))
    copyFileSync(bundledCli(), join(resources, 'cli', 'proctor.cjs'))
    packaged(electron, resources)
    process.env.PATH = [dirname(process.execPath), savedPath].join(delimiter)
    const { underDaemon } = await handOver(electron, win, web, runtimeDir)
    // That daemon is node running the CLI from the resources folder.
    const argv = readFileSync(`/proc/${underDaemon.ownerPid}/cmdline`, 'utf8').split('\0').slice(0, 3)
    expect(argv).toEqual([join(dirname(process.execPath), 'node'), join(resources, 'cli', 'proctor.cjs'), 'daemon'])
  }, 30_000)

  it('packaged with no node in PATH: says the programs cannot be handed over, before stopping anything, and keeps running', async () => {
    const { electron, win, web } = await bootWithProgram()
    packaged(electron, tempDir())
    process.env.PATH = tempDir()
    electron.dialog.responses.push(1)
    electron.app.quit()
    await waitFor(() => electron.dialog.messageBoxes.length === 2, 5000, 'the error')
    expect(electron.dialog.messageBoxes[1]!.options).toMatchObject({
      type: 'error',
      message: 'The programs cannot be handed over to proctor daemon',
      detail: expect.stringMatching(/needs Node\.js: `node` was not found in PATH.*keep running/s),
    })
    await new Promise((r) => setTimeout(r, 200))
    expect(win.isDestroyed()).toBe(false)
    expect(electron.app.isQuitting).toBe(false)
    expect(alive(web.pid!)).toBe(true)
  })
})
