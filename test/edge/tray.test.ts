import type { ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Engine } from '../../src/main/core/engine'
import { trayIconLayout } from '../../src/main/desktop/tray/icon'
import type { TraySample } from '../../src/main/desktop/tray/text'
import { confirmation } from '../../src/shared/process/actions'
import { askBeforeDestructive, createProctorTray, trayEngineOf, type ProctorTrayOptions, type TrayEngine } from '../../src/main/desktop/tray/tray'
import type { ActionReport } from '../../src/shared/types/control'
import type { ProcessInfo, ProcessSnapshot } from '../../src/shared/types/process'
import * as electron from '../fakes/electron'
import type { FakeMenu, FakeMenuItemOptions, FakeNativeImage, FakeTray } from '../fakes/electron'
import { killAll, spawnIdle, uniqueArg } from '../helpers/children'
import { tempDir } from '../helpers/tempDir'
import { supervised } from '../helpers/supervisor'
import { waitFor } from '../helpers/wait'

/*
 * The tray edge module against the stand-in electron module: what it shows
 * (icon, tooltip, menu) and where its menu items lead. Process actions go
 * to a real Engine, on real child processes.
 */

const { PNG } = createRequire(import.meta.url)('playwright-core/lib/utilsBundle') as {
  PNG: { sync: { read(buffer: Buffer): { width: number; height: number; data: Buffer } } }
}

/*
 * The tray module keeps no module state, so one copy of it and of the fake
 * serves every test; what the fake records is cleared before each.
 */
beforeEach(() => {
  electron.Tray.created.length = 0
  electron.Tray.failNext = undefined
  electron.Menu.built.length = 0
  electron.Notification.shown.length = 0
  electron.Notification.supported = true
  electron.dialog.messageBoxes.length = 0
  electron.dialog.responses.length = 0
  electron.nativeTheme.simulateUpdated({ dark: false, systemUiDark: false })
})

/** A window stand-in: the fake BrowserWindow, as index.ts hands it over. */
function windowOf() {
  const win = new electron.BrowserWindow({ show: false })
  return { win, control: { isVisible: () => win.isVisible(), show: () => win.show(), hide: () => win.hide() } }
}

/** A hand-driven engine: the test publishes samples; actions are recorded and answered ok. */
function manualEngine() {
  const listeners = { system: new Set<(s: TraySample) => void>(), processes: new Set<(s: ProcessSnapshot) => void>() }
  const runs: Array<{ action: string; options: unknown }> = []
  let answer: (action: string) => Promise<ActionReport> = (action) =>
    Promise.resolve({ results: [{ pid: 0, action: action as 'terminate', ok: true }] })
  const act = (action: string, options: unknown) => {
    runs.push({ action, options })
    return answer(action)
  }
  const engine: TrayEngine = {
    system: {
      subscribe: (l) => {
        listeners.system.add(l)
        return () => listeners.system.delete(l)
      },
    },
    processes: {
      subscribe: (l) => {
        listeners.processes.add(l)
        return () => listeners.processes.delete(l)
      },
    },
    actions: {
      terminateProcess: (arg) => act('terminate', arg),
      killProcess: (arg) => act('signal', arg),
      suspendProcess: (arg) => act('suspend', arg),
      resumeProcess: (arg) => act('resume', arg),
      reniceProcess: (arg) => act('renice', arg),
    },
  }
  return {
    engine,
    runs,
    listeners,
    answerWith(fn: typeof answer) {
      answer = fn
    },
    system(cpu: number | null, memory: number | null, rx: number | null = 2048, tx: number | null = 1024) {
      for (const l of [...listeners.system]) l({ cpu: { total: cpu }, memory: { percent: memory }, network: { rxBytesPerSec: rx, txBytesPerSec: tx } })
    },
    processes(processes: ProcessInfo[]) {
      for (const l of [...listeners.processes]) l({ timestamp: Date.now(), cpuCount: 2, memoryTotal: 8e9, cpuScale: 'core', processes })
    },
  }
}

function proc(pid: number, cpuPercent: number, over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid,
    startTime: 1_700_000_000_000 + pid,
    ppid: 1,
    name: `proc${pid}`,
    command: `proc${pid}`,
    user: 'alice',
    uid: 1000,
    state: 'sleeping',
    nice: 0,
    priority: 20,
    memoryBytes: 1024 * 1024,
    virtualBytes: 0,
    kernelThread: false,
    cpuPercent,
    memoryPercent: 0.1,
    ...over,
  }
}

const labels = (menu: FakeMenu | null) => (menu?.template ?? []).map((i) => (i.type === 'separator' ? '---' : i.label))
const subItems = (item: FakeMenuItemOptions | undefined) => (Array.isArray(item?.submenu) ? item.submenu : [])
/** The top-level entry of the menu whose submenu starts with "pid <pid> ". */
function entryFor(menu: FakeMenu | null, pid: number): FakeMenuItemOptions | undefined {
  return menu?.template.find((i) => subItems(i)[0]?.label?.startsWith(`pid ${pid} `))
}
function decode(image: unknown, scaleFactor = 1) {
  const rep = (image as FakeNativeImage).representations.find((r) => r.scaleFactor === scaleFactor)
  if (!rep?.buffer) throw new Error(`no ${scaleFactor}x representation`)
  return PNG.sync.read(rep.buffer)
}

let cleanup: Array<() => void> = []
afterEach(() => {
  for (const fn of cleanup.reverse()) fn()
  cleanup = []
  killAll()
  vi.restoreAllMocks()
})

function make(options: Partial<ProctorTrayOptions> & Pick<ProctorTrayOptions, 'engine'>) {
  const logs: string[] = []
  const { win, control } = windowOf()
  const quit = vi.fn()
  const tray = createProctorTray({
    window: control,
    quit,
    platform: 'linux',
    env: {},
    probeHost: () => Promise.resolve({ present: true, how: 'test' }),
    log: (m) => logs.push(m),
    ...options,
  })
  if (tray) cleanup.push(() => tray.dispose())
  cleanup.push(() => win.destroy())
  const created = electron.Tray.created.at(-1)
  const fakeTray = () => created as FakeTray
  return { tray, win, quit, logs, fakeTray }
}

describe('the tray with a real engine and real processes', () => {
  function realEngine() {
    const engine = new Engine({ dataDir: tempDir(), version: 'test', collector: 'inline' })
    cleanup.push(() => engine.close())
    return engine
  }

  it('shows live stats in the tooltip and the menu, and the busiest processes', async () => {
    const engine = realEngine()
    const { fakeTray } = make({ engine: trayEngineOf(engine) })
    const tray = fakeTray()
    // Dashes until there are values; the engine, sampling for history, may hand over its first sample (no rates yet) at once.
    expect(tray.toolTip).toMatch(/^CPU – · Mem (–|\d+%) · ↓ – ↑ –$/)
    await waitFor(() => /^CPU \d+% · Mem \d+% · ↓ \S+ \S+ ↑ \S+ \S+$/.test(tray.toolTip), 5000, 'a tooltip with numbers')
    await waitFor(() => labels(tray.contextMenu)[0]?.match(/^CPU \d+%$/), 5000, 'a menu with numbers')
    const shown = labels(tray.contextMenu)
    expect(shown.slice(1, 5)).toEqual([expect.stringMatching(/^Memory \d+%$/), expect.stringMatching(/^Network ↓ /), '---', 'Top processes by CPU'])
    expect(shown.slice(-5)).toEqual(['---', 'Show Proctor', 'Pause monitoring', '---', 'Quit Proctor'])
    const processEntries = tray.contextMenu!.template.filter((i) => subItems(i).length > 0)
    expect(processEntries.length).toBeGreaterThan(0)
    expect(processEntries.length).toBeLessThanOrEqual(5)
  })

  it('counts the programs, shows loudly one that gave up (fatal) with a notification, and Start again starts it', async () => {
    const s = supervised({ enableAutoRestart: true })
    cleanup.push(() => void s.close())
    const { fakeTray, tray } = make({ engine: trayEngineOf(s.engine) })
    await s.api.addProgram({ program: { name: 'steady', command: 'sleep', args: ['30'], startSeconds: 0 }, start: true })
    await s.api.addProgram({ program: { name: 'crashy', command: 'sh', args: ['-c', 'exit 2'], startSeconds: 0, maxRestartAttempts: 0 }, start: true })
    const fatal = await waitFor(() => fakeTray().contextMenu?.template.find((i) => i.label?.startsWith('⚠ crashy')), 5000, 'the fatal program in the menu')
    expect(fatal.label).toBe('⚠ crashy failed: Proctor stopped restarting it')
    expect(labels(fakeTray().contextMenu)).toContain('Programs: 1 of 2 running')
    expect(subItems(fatal)[0]?.label).toMatch(/exited with code 2/)
    expect(electron.Notification.shown.map((n) => n.title)).toEqual(['crashy keeps failing: Proctor stopped restarting it'])
    fakeTray().contextMenu!.simulateClick(fatal.label!, 'Start again')
    await tray!.idle()
    const transitions = (await s.api.getProgram({ name: 'crashy' })).transitions
    expect(transitions.filter((t) => t.to === 'starting').at(-1)?.reason).toBe('start requested')
  })

  it('keeps watching programs while monitoring is paused: a program giving up is still told and listed', async () => {
    const s = supervised({ enableAutoRestart: true })
    cleanup.push(() => void s.close())
    const { fakeTray } = make({ engine: trayEngineOf(s.engine) })
    fakeTray().contextMenu!.simulateClick('Pause monitoring')
    await s.api.addProgram({ program: { name: 'crashy', command: 'sh', args: ['-c', 'exit 2'], startSeconds: 0, maxRestartAttempts: 0 }, start: true })
    await waitFor(() => fakeTray().contextMenu?.template.some((i) => i.label?.startsWith('⚠ crashy')), 5000, 'the fatal program in the paused menu')
    expect(labels(fakeTray().contextMenu).slice(0, 3)).toEqual(['Monitoring paused', '---', 'Programs: 0 of 1 running'])
    expect(electron.Notification.shown.map((n) => n.title)).toEqual(['crashy keeps failing: Proctor stopped restarting it'])
  })

  it('Supervise this… shows the window and asks it for the add form, filled from that process', async () => {
    const engine = realEngine()
    const requests: unknown[] = []
    const stop = engine.desktop.streams.subscribeToWindowRequests(undefined, { next: (r) => requests.push(r), error: () => {}, complete: () => {} })
    cleanup.push(stop)
    const { fakeTray, win } = make({ engine: trayEngineOf(engine) })
    const child: ChildProcess = spawnIdle(uniqueArg('tray-adopt'), 'for (;;) {}')
    const pid = child.pid!
    const entry = await waitFor(() => entryFor(fakeTray().contextMenu, pid), 15_000, 'the busy child in the tray menu')
    const seen = engine.processes.stream.latest?.processes.find((p) => p.pid === pid)
    fakeTray().contextMenu!.simulateClick(entry.label!, 'Supervise this…')
    expect(win.isVisible()).toBe(true)
    expect(requests).toEqual([{ kind: 'adopt', pid, startTime: seen!.startTime, name: seen!.name }])
    // Nothing is done to the process before the user confirms in the window.
    expect(child.exitCode).toBeNull()
  })

  it('Terminate in a process submenu reaches the engine with that identity, and the process ends', async () => {
    const engine = realEngine()
    const run = vi.spyOn(engine.control, 'run')
    const { fakeTray, tray } = make({ engine: trayEngineOf(engine) })
    // A busy child: it climbs into the top five by CPU.
    const child: ChildProcess = spawnIdle(uniqueArg('tray-busy'), 'for (;;) {}')
    const pid = child.pid!
    const entry = await waitFor(() => entryFor(fakeTray().contextMenu, pid), 15_000, 'the busy child in the tray menu')
    const menu = fakeTray().contextMenu!
    const seen = engine.processes.stream.latest?.processes.find((p) => p.pid === pid)
    expect(seen).toBeDefined()
    const exited = new Promise((r) => child.once('exit', r))
    menu.simulateClick(entry.label!, 'Terminate')
    await exited
    await tray!.idle()
    // Through the contract, as the tray menu.
    expect(run).toHaveBeenCalledWith('terminate', { pid, startTime: seen!.startTime }, { kind: 'desktop', detail: 'tray menu' })
    expect(child.signalCode).toBe('SIGTERM')
    // Nothing went wrong, so nothing to tell; the audit log has it.
    expect(electron.Notification.shown).toEqual([])
    const audit = await engine.audit.read(5)
    expect(audit.find((e) => e.action === 'terminate' && e.pid === pid)).toMatchObject({
      action: 'terminate',
      ok: true,
      startTime: seen!.startTime,
      caller: { kind: 'desktop', detail: 'tray menu' },
    })
  })

  it('Suspend stops the process (state T); a failed action (the process is gone) is a notification with the code', async () => {
    const engine = realEngine()
    const { fakeTray, tray } = make({ engine: trayEngineOf(engine) })
    const child = spawnIdle(uniqueArg('tray-suspend'), 'for (;;) {}')
    const pid = child.pid!
    const entry = await waitFor(() => entryFor(fakeTray().contextMenu, pid), 15_000, 'the busy child in the tray menu')
    const menu = fakeTray().contextMenu!
    // The user has the menu open: it is not replaced under them.
    menu.simulateOpen()
    const menusBefore = fakeTray().contextMenus.length
    menu.simulateClick(entry.label!, 'Suspend')
    await tray!.idle()
    if (process.platform === 'linux') {
      await waitFor(() => /^State:\s+T/m.test(readFileSync(`/proc/${pid}/status`, 'utf8')), 3000, 'state T')
    }
    // Gone before the user picks Kill from the (still open, now stale) menu.
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    menu.simulateClick(entry.label!, 'Kill')
    await tray!.idle()
    expect(fakeTray().contextMenus.length).toBe(menusBefore)
    const shown = electron.Notification.shown
    expect(shown).toHaveLength(1)
    // The window's words: the same title and hint its toast would show.
    expect(shown[0]!.title).toBe(`Could not kill node (PID ${pid})`)
    expect(shown[0]!.body).toMatch(/^No process with pid \d+.* \(NOT_FOUND\)\. The process has already exited/)
    // Once it closes, the menu catches up.
    menu.simulateClose()
    await waitFor(() => fakeTray().contextMenus.length > menusBefore, 3000, 'a rebuilt menu')
  })

  it('Pause monitoring stops the tray’s sampling; Resume starts it again', async () => {
    const engine = realEngine()
    const { fakeTray, tray } = make({ engine: trayEngineOf(engine) })
    expect(engine.system.stream.subscribers).toBe(1)
    expect(engine.processes.stream.subscribers).toBe(1)
    fakeTray().contextMenu!.simulateClick('Pause monitoring')
    expect(tray!.paused).toBe(true)
    expect([engine.system.stream.subscribers, engine.processes.stream.subscribers]).toEqual([0, 0])
    expect(engine.processes.stream.active).toBe(false)
    // System metrics go on only for the history (monitorSystemMetrics), not for the tray.
    expect(engine.system.stream.active).toBe(engine.settings.get().monitorSystemMetrics)
    expect(fakeTray().toolTip).toBe('Proctor: monitoring paused')
    expect(labels(fakeTray().contextMenu)).toEqual(['Monitoring paused', '---', 'Show Proctor', 'Resume monitoring', '---', 'Quit Proctor'])
    fakeTray().contextMenu!.simulateClick('Resume monitoring')
    expect([engine.system.stream.subscribers, engine.processes.stream.subscribers]).toEqual([1, 1])
    await waitFor(() => labels(fakeTray().contextMenu).includes('Top processes by CPU'), 5000, 'the menu back')
  })
})

describe('the tray icon', () => {
  it('is a 22 px PNG with a 44 px @2x on Linux, drawn for the theme, redrawn when the theme changes', async () => {
    const m = manualEngine()
    const { fakeTray } = make({ engine: m.engine })
    const tray = fakeTray()
    const one = decode(tray.image, 1)
    const two = decode(tray.image, 2)
    expect([one.width, one.height, two.width, two.height]).toEqual([22, 22, 44, 44])
    expect((tray.image as FakeNativeImage).isTemplateImage()).toBe(false)
    const { cpu } = trayIconLayout(22, false)
    const frameLum = (img: { width: number; data: Buffer }) => {
      const i = (11 * img.width + cpu.x0) * 4
      return img.data[i]! + img.data[i + 1]! + img.data[i + 2]!
    }
    expect(frameLum(one)).toBeLessThan(100) // light panel: dark frames
    electron.nativeTheme.simulateUpdated({ dark: true })
    expect(frameLum(decode(tray.image, 1))).toBeGreaterThan(600) // dark panel: light frames
    electron.nativeTheme.simulateUpdated({ dark: false })
  })

  it('follows the values, and is only redrawn when a rounded value changes', async () => {
    const m = manualEngine()
    const { fakeTray } = make({ engine: m.engine })
    const tray = fakeTray()
    const { cpu, stroke } = trayIconLayout(22, false)
    const filled = () => {
      const img = decode(tray.image, 1)
      let n = 0
      for (let y = cpu.y0 + stroke; y < cpu.y1 - stroke; y++) if (img.data[(y * 22 + cpu.x0 + stroke) * 4 + 3] === 255) n++
      return n
    }
    m.system(10, 50)
    const low = filled()
    const drawn = tray.images.length
    m.system(10.2, 50.3)
    expect(tray.images.length).toBe(drawn)
    m.system(90, 50)
    expect(tray.images.length).toBe(drawn + 1)
    expect(filled()).toBeGreaterThan(low + 10)
    expect(tray.toolTip).toBe('CPU 90% · Mem 50% · ↓ 2.0 KiB/s ↑ 1.0 KiB/s')
  })

  it('macOS: a 16 px template image (@2x 32 px) and the CPU as menu-bar text', async () => {
    const m = manualEngine()
    const { fakeTray } = make({ engine: m.engine, platform: 'darwin' })
    m.system(23.4, 61)
    const tray = fakeTray()
    expect((tray.image as FakeNativeImage).isTemplateImage()).toBe(true)
    const one = decode(tray.image, 1)
    expect([one.width, decode(tray.image, 2).width]).toEqual([16, 32])
    for (let i = 0; i < one.data.length; i += 4) expect(one.data[i]! + one.data[i + 1]! + one.data[i + 2]!).toBe(0)
    expect(tray.title).toBe('23%')
    expect(tray.titleOptions).toEqual({ fontType: 'monospacedDigit' })
  })
})

describe('the tray menu', () => {
  it('is rebuilt on the process tick only, only when it changed, and not while open', async () => {
    const m = manualEngine()
    const { fakeTray } = make({ engine: m.engine })
    const tray = fakeTray()
    const built = () => tray.contextMenus.length
    expect(built()).toBe(1)
    m.system(10, 20)
    m.system(30, 40)
    expect(built()).toBe(1) // system ticks redraw the icon, not the menu
    m.processes([proc(7, 50)])
    expect(built()).toBe(2)
    expect(labels(tray.contextMenu).slice(0, 6)).toEqual([
      'CPU 30%',
      'Memory 40%',
      'Network ↓ 2.0 KiB/s ↑ 1.0 KiB/s',
      '---',
      'Top processes by CPU',
      'proc7  50% · 1.0 MiB',
    ])
    m.processes([proc(7, 50)])
    expect(built()).toBe(2) // same model, same menu
    tray.contextMenu!.simulateOpen()
    m.processes([proc(7, 60)])
    expect(built()).toBe(2)
    tray.contextMenu!.simulateClose()
    await new Promise((r) => setImmediate(r))
    expect(built()).toBe(3)
    expect(labels(tray.contextMenu)).toContain('proc7  60% · 1.0 MiB')
  })

  it('Show/Hide follows and drives the window; a click on the icon shows it; Quit calls quit', async () => {
    const m = manualEngine()
    const { fakeTray, win, tray, quit } = make({ engine: m.engine })
    expect(labels(fakeTray().contextMenu)).toContain('Show Proctor')
    fakeTray().contextMenu!.simulateClick('Show Proctor')
    expect(win.isVisible()).toBe(true)
    tray!.windowChanged()
    expect(labels(fakeTray().contextMenu)).toContain('Hide Proctor')
    fakeTray().contextMenu!.simulateClick('Hide Proctor')
    expect(win.isVisible()).toBe(false)
    fakeTray().simulateClick()
    expect(win.isVisible()).toBe(true)
    fakeTray().contextMenu!.simulateClick('Quit Proctor')
    expect(quit).toHaveBeenCalledTimes(1)
  })

  it('the actions ask the engine for the window’s actions, and report failures with code and message', async () => {
    const m = manualEngine()
    const { fakeTray, tray, logs } = make({ engine: m.engine })
    m.processes([proc(7, 50), proc(8, 40, { state: 'stopped', name: 'stopped-one' })])
    const menu = fakeTray().contextMenu!
    menu.simulateClick('proc7  50% · 1.0 MiB', 'Kill')
    menu.simulateClick('stopped-one  40% · 1.0 MiB  (suspended)', 'Resume')
    await tray!.idle()
    expect(m.runs).toEqual([
      { action: 'signal', options: { pid: 7, startTime: 1_700_000_000_007, signal: 'KILL' } },
      { action: 'resume', options: { pid: 8, startTime: 1_700_000_000_008 } },
    ])
    m.answerWith((action) =>
      Promise.resolve({
        results: [{ pid: 7, action: action as 'suspend', ok: false, error: { code: 'PERMISSION_DENIED', message: 'not permitted to stop pid 7' } }],
      }),
    )
    fakeTray().contextMenu!.simulateClick('proc7  50% · 1.0 MiB', 'Suspend')
    // While it runs, the entry says so and waits.
    expect(labels(fakeTray().contextMenu)).toContain('proc7  50% · 1.0 MiB  (suspending…)')
    await tray!.idle()
    m.answerWith(() => Promise.reject(new Error('collector died')))
    fakeTray().contextMenu!.simulateClick('proc7  50% · 1.0 MiB', 'Terminate')
    await tray!.idle()
    expect(electron.Notification.shown.map((n) => [n.title, n.body])).toEqual([
      ['Could not suspend proc7 (PID 7)', 'Not permitted to stop pid 7 (PERMISSION_DENIED). It belongs to another user or needs more privileges: run Proctor as that user or as root.'],
      ['Could not terminate proc7 (PID 7)', 'Internal error: collector died (INTERNAL). Try again; if it keeps failing, the host’s log says more.'],
    ])
    expect(logs.filter((l) => l.startsWith('tray: Could not'))).toHaveLength(2)
    // Where notifications are not supported, the log still has it.
    electron.Notification.supported = false
    fakeTray().contextMenu!.simulateClick('proc7  50% · 1.0 MiB', 'Terminate')
    await tray!.idle()
    expect(electron.Notification.shown).toHaveLength(2)
    expect(logs.filter((l) => l.startsWith('tray: Could not'))).toHaveLength(3)
  })
})

describe('asking before an action that ends or stops a process', () => {
  it('asks with a message box (Cancel by default) while wanted, in the window’s words; Cancel does nothing, the button goes ahead', async () => {
    const m = manualEngine()
    let wanted = true
    const { fakeTray, tray } = make({ engine: m.engine, confirm: askBeforeDestructive(() => wanted) })
    m.processes([proc(7, 50)])
    const entry = 'proc7  50% · 1.0 MiB'
    const seen = { pid: 7, startTime: 1_700_000_000_007, name: 'proc7' }
    electron.dialog.responses.push(1) // Cancel
    fakeTray().contextMenu!.simulateClick(entry, 'Kill')
    await tray!.idle()
    expect(m.runs).toEqual([])
    // The window's confirmation for the same request, word for word.
    const kill = confirmation({ action: 'kill', process: seen })
    expect(electron.dialog.messageBoxes[0]!.options).toMatchObject({
      type: 'warning',
      message: kill.title,
      detail: kill.body,
      buttons: [kill.confirmLabel, 'Cancel'],
      defaultId: 1,
      cancelId: 1,
    })
    expect(kill.title).toBe('Kill proc7 (PID 7)?')
    electron.dialog.responses.push(0) // Terminate
    fakeTray().contextMenu!.simulateClick(entry, 'Terminate')
    await tray!.idle()
    expect(electron.dialog.messageBoxes[1]!.options).toMatchObject({
      message: 'Terminate proc7 (PID 7)?',
      detail: confirmation({ action: 'terminate', process: seen }).body,
    })
    expect(m.runs).toEqual([{ action: 'terminate', options: { pid: 7, startTime: 1_700_000_000_007 } }])
    // Suspend stops the process: asked too, as in the window.
    electron.dialog.responses.push(0)
    fakeTray().contextMenu!.simulateClick(entry, 'Suspend')
    await tray!.idle()
    expect(electron.dialog.messageBoxes[2]!.options.message).toBe(confirmation({ action: 'suspend', process: seen }).title)
    // Not wanted (settings ui.confirmDestructive off): no question.
    wanted = false
    fakeTray().contextMenu!.simulateClick(entry, 'Kill')
    await tray!.idle()
    expect(electron.dialog.messageBoxes).toHaveLength(3)
    expect(m.runs.map((r) => r.action)).toEqual(['terminate', 'suspend', 'signal'])
  })
})

describe('when there is no tray', () => {
  it('Tray creation fails: no tray, a log line, nothing thrown', async () => {
    electron.Tray.failNext = new Error('Failed to create tray')
    const { tray, logs } = make({ engine: manualEngine().engine })
    expect(tray).toBeUndefined()
    expect(logs).toEqual(['tray: could not be created (Failed to create tray); the window stays the way back'])
  })

  it('PROCTOR_TRAY=off: none is made', async () => {
    const m = manualEngine()
    const { tray } = make({ engine: m.engine, env: { PROCTOR_TRAY: 'off' } })
    expect(tray).toBeUndefined()
    expect(electron.Tray.created).toEqual([])
    expect(m.listeners.system.size).toBe(0)
  })

  it('Linux: visible to the user only once the host check says a StatusNotifier host is there', async () => {
    let answer!: (a: { present: boolean; how: string }) => void
    const { tray } = make({ engine: manualEngine().engine, probeHost: () => new Promise((r) => (answer = r)) })
    expect(tray!.visibleToUser).toBe(false)
    answer({ present: true, how: 'test' })
    await tray!.hostChecked
    expect(tray!.visibleToUser).toBe(true)

    const none = make({ engine: manualEngine().engine, probeHost: () => Promise.resolve({ present: false, how: 'no watcher' }) })
    await none.tray!.hostChecked
    expect(none.tray!.visibleToUser).toBe(false)
    expect(none.logs.some((l) => l.includes('no StatusNotifier host found (no watcher)'))).toBe(true)

    const forced = make({ engine: manualEngine().engine, env: { PROCTOR_TRAY: 'on' }, probeHost: () => Promise.reject(new Error('unused')) })
    expect(forced.tray!.visibleToUser).toBe(true)
  })

  it('dispose: unsubscribes and removes the icon', async () => {
    const m = manualEngine()
    const { tray, fakeTray } = make({ engine: m.engine })
    expect(m.listeners.system.size + m.listeners.processes.size).toBe(2)
    tray!.dispose()
    expect(m.listeners.system.size + m.listeners.processes.size).toBe(0)
    expect(fakeTray().isDestroyed()).toBe(true)
    expect(tray!.visibleToUser).toBe(false)
    m.system(50, 50) // nothing listens; nothing throws
  })
})
