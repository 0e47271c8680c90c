import { afterAll, describe, expect, it } from 'vitest'
import * as electron from 'electron'
import type { FakeMenu } from '../fakes/electron'
import { nativeDesktop, toTemplate } from '../../src/main/desktop/nativeDesktop'
import { Engine } from '../../src/main/core/engine'
import { processMenu } from '../../src/shared/process/menu'
import type { ProcessInfo } from '../../src/shared/types/process'
import { killAll, spawnIdle, uniqueArg } from '../helpers/children'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'

const fake = electron as unknown as typeof import('../fakes/electron')
const proc = { pid: 42, startTime: 1, name: 'node', user: 'alice', state: 'sleeping', nice: 0, exe: '/usr/bin/node', kernelThread: false } as ProcessInfo
const lastMenu = () => fake.Menu.built[fake.Menu.built.length - 1] as FakeMenu

describe('the native context menu', () => {
  const engine = new Engine({ dataDir: tempDir(), version: 'test', desktop: nativeDesktop(() => undefined) })
  afterAll(() => {
    killAll()
    engine.close()
  })

  it('is built from the same model as the in-page menu', () => {
    const template = toTemplate(processMenu(proc, { desktop: true, view: 'table' }), () => {})
    expect(template.map((t) => (t.type === 'separator' ? '—' : t.label))).toEqual([
      'Terminate', 'Kill', 'Suspend', 'Renice', '—', 'Copy PID', 'Copy command line', '—', 'Show in tree', 'Filter to user alice', 'Reveal executable in file manager',
      '—', 'Supervise this…', 'Register for IPC…',
    ])
    const renice = template.find((t) => t.label === 'Renice')
    expect(Array.isArray(renice?.submenu) && renice.submenu.length).toBe(7)
  })

  it('answers the id of the item the user chose, through the contract', async () => {
    const items = processMenu(proc, { desktop: true, view: 'table' })
    const answer = engine.router.call('popupProcessMenu', { items, x: 10, y: 20 })
    await waitFor(() => lastMenu()?.popupOptions !== undefined, 2000, 'the menu to pop up')
    expect(lastMenu().popupOptions).toMatchObject({ x: 10, y: 20 })
    lastMenu().simulateClick('Renice', '+5')
    lastMenu().simulatePopupClosed()
    expect(await answer).toEqual({ ok: true, value: { id: 'renice:5' } })
  })

  it('answers null when the menu is dismissed', async () => {
    const answer = engine.router.call('popupProcessMenu', { items: processMenu(proc, { desktop: true, view: 'tree' }), x: 0, y: 0 })
    await waitFor(() => lastMenu()?.popupOptions !== undefined, 2000, 'the menu to pop up')
    lastMenu().simulatePopupClosed()
    expect(await answer).toEqual({ ok: true, value: { id: null } })
  })

  it('refuses a malformed menu with INVALID_ARGUMENT', async () => {
    const bad = await engine.router.call('popupProcessMenu', { items: [{ id: 'x', label: 'X' }], x: 0, y: 0 })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: /enabled/ } })
  })

  it('reveals the executable of the process the user saw, and refuses a stale identity', async () => {
    const child = spawnIdle(uniqueArg('reveal'))
    const p = await waitFor(async () => (await engine.processes.list()).processes.find((x) => x.pid === child.pid))
    expect(await engine.router.call('revealExecutable', { pid: p.pid, startTime: p.startTime })).toEqual({ ok: true, value: null })
    expect(fake.shell.shown).toContain(process.execPath)
    const stale = await engine.router.call('revealExecutable', { pid: p.pid, startTime: p.startTime + 5 })
    expect(stale).toMatchObject({ ok: false, error: { code: 'STALE_PROCESS' } })
  })

  it('opens a local port in the default browser, as http://localhost:PORT/ and nothing else', async () => {
    expect(await engine.router.call('openPortInBrowser', { port: 3000 })).toEqual({ ok: true, value: null })
    expect(fake.shell.opened[fake.shell.opened.length - 1]).toBe('http://localhost:3000/')
    const bad = await engine.router.call('openPortInBrowser', { port: 3000, url: 'http://evil.example/' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: /url/ } })
    expect(await engine.router.call('openPortInBrowser', { port: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: /port/ } })
  })

  it('is UNAVAILABLE on an engine without the desktop (the headless host)', async () => {
    const headless = new Engine({ dataDir: tempDir(), version: 'test' })
    const res = await headless.router.call('popupProcessMenu', { items: processMenu(proc, { desktop: false, view: 'table' }), x: 0, y: 0 })
    expect(res).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: /desktop app/ } })
    expect(await headless.router.call('openPortInBrowser', { port: 3000 })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    headless.close()
  })
})
