import { describe, expect, it } from 'vitest'
import {
  actionFailureNotice,
  actionRequest,
  buildTrayMenu,
  formatCpu,
  menuText,
  topByCpu,
  type TrayAction,
  type TrayActionCommand,
  type TrayMenuItem,
  type TrayMenuState,
} from '../../../../src/main/desktop/tray/menu'
import type { ProcessInfo } from '../../../../src/shared/types/process'
import { actionCall, describeError } from '../../../../src/shared/process/actions'

function proc(pid: number, cpuPercent: number, over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid,
    startTime: 1_700_000_000_000 + pid,
    ppid: 1,
    name: `proc${pid}`,
    command: `/usr/bin/proc${pid}`,
    user: 'alice',
    uid: 1000,
    state: 'sleeping',
    nice: 0,
    priority: 20,
    memoryBytes: 100 * 1024 * 1024,
    virtualBytes: 0,
    kernelThread: false,
    cpuPercent,
    memoryPercent: 1,
    ...over,
  }
}

const SAMPLE = { cpu: { total: 23.4 }, memory: { percent: 61.2 }, network: { rxBytesPerSec: 1.2 * 1024 * 1024, txBytesPerSec: 0 } }

function state(over: Partial<TrayMenuState> = {}): TrayMenuState {
  return {
    sample: SAMPLE,
    processes: [proc(10, 5), proc(11, 80), proc(12, 0.5), proc(13, 12), proc(14, 40), proc(15, 33), proc(16, 7)],
    windowVisible: true,
    paused: false,
    ...over,
  }
}

/** The label (or '---') of each top-level item. */
const labels = (items: TrayMenuItem[]) => items.map((i) => (i.type === 'separator' ? '---' : i.label))
const item = (items: TrayMenuItem[], label: string) => {
  const found = items.find((i) => i.type === 'item' && i.label === label)
  if (!found || found.type !== 'item') throw new Error(`no item ${label} in ${labels(items).join(' | ')}`)
  return found
}
const startsWith = (items: TrayMenuItem[], prefix: string) => {
  const found = items.find((i) => i.type === 'item' && i.label.startsWith(prefix))
  if (!found || found.type !== 'item') throw new Error(`no item starting ${prefix}`)
  return found
}

describe('buildTrayMenu', () => {
  it('stats lines (disabled), the top 5 by CPU, Show/Hide, Pause, Quit', () => {
    const menu = buildTrayMenu(state())
    expect(labels(menu)).toEqual([
      'CPU 23%',
      'Memory 61%',
      'Network ↓ 1.2 MiB/s ↑ 0 B/s',
      '---',
      'Top processes by CPU',
      'proc11  80% · 100.0 MiB',
      'proc14  40% · 100.0 MiB',
      'proc15  33% · 100.0 MiB',
      'proc13  12% · 100.0 MiB',
      'proc16  7.0% · 100.0 MiB',
      '---',
      'Hide Proctor',
      'Pause monitoring',
      '---',
      'Quit Proctor',
    ])
    for (const label of ['CPU 23%', 'Memory 61%', 'Network ↓ 1.2 MiB/s ↑ 0 B/s', 'Top processes by CPU']) {
      expect(item(menu, label)).toMatchObject({ enabled: false })
      expect(item(menu, label).command).toBeUndefined()
    }
    expect(item(menu, 'Hide Proctor')).toMatchObject({ enabled: true, command: { type: 'hide-window' } })
    expect(item(menu, 'Pause monitoring')).toMatchObject({ enabled: true, command: { type: 'pause-monitoring' } })
    expect(item(menu, 'Quit Proctor')).toMatchObject({ enabled: true, command: { type: 'quit' } })
  })

  it('each process has Terminate, Kill, Suspend and Supervise this… carrying its identity (pid + start time)', () => {
    const entry = startsWith(buildTrayMenu(state()), 'proc14')
    const identity = { pid: 14, startTime: 1_700_000_000_014, name: 'proc14' }
    expect(entry.submenu).toEqual([
      { type: 'item', label: 'pid 14 · alice', enabled: false },
      { type: 'separator' },
      { type: 'item', label: 'Terminate', enabled: true, command: { type: 'process', action: 'terminate', ...identity } },
      { type: 'item', label: 'Kill', enabled: true, command: { type: 'process', action: 'kill', ...identity } },
      { type: 'item', label: 'Suspend', enabled: true, command: { type: 'process', action: 'suspend', ...identity } },
      { type: 'separator' },
      { type: 'item', label: 'Supervise this…', enabled: true, command: { type: 'supervise', ...identity } },
    ])
  })

  it('a suspended process offers Resume instead of Suspend, and says so', () => {
    const menu = buildTrayMenu(state({ processes: [proc(20, 50, { state: 'stopped' })] }))
    const entry = startsWith(menu, 'proc20')
    expect(entry.label).toBe('proc20  50% · 100.0 MiB  (suspended)')
    expect(labels(entry.submenu!)).toEqual(['pid 20 · alice', '---', 'Terminate', 'Kill', 'Resume', '---', 'Supervise this…'])
    expect(item(entry.submenu!, 'Resume').command).toMatchObject({ type: 'process', action: 'resume', pid: 20 })
  })

  it('kernel threads and zombies get no actions', () => {
    const menu = buildTrayMenu(state({ processes: [proc(2, 30, { name: 'kworker/0:1', kernelThread: true }), proc(30, 20, { state: 'zombie' })] }))
    for (const [prefix, why] of [
      ['kworker/0:1', 'No actions: a kernel thread: it takes no signals'],
      ['proc30', 'No actions: a zombie: it is gone once its parent reaps it'],
    ] as const) {
      const sub = startsWith(menu, prefix).submenu!
      expect(item(sub, why).enabled).toBe(false)
      for (const action of ['Terminate', 'Kill', 'Suspend', 'Supervise this…']) expect(item(sub, action).enabled).toBe(false)
    }
  })

  it('while an action runs on a process, its entry says so and its actions wait', () => {
    const menu = buildTrayMenu(state({ busy: [{ pid: 11, startTime: 1_700_000_000_011, action: 'terminate' }] }))
    const entry = startsWith(menu, 'proc11')
    expect(entry.label).toBe('proc11  80% · 100.0 MiB  (terminating…)')
    for (const action of ['Terminate', 'Kill', 'Suspend']) expect(item(entry.submenu!, action).enabled).toBe(false)
    // Another process with the same pid (a new start time) is not the busy one.
    const reused = buildTrayMenu(state({ busy: [{ pid: 11, startTime: 1, action: 'kill' }] }))
    expect(item(startsWith(reused, 'proc11').submenu!, 'Kill').enabled).toBe(true)
  })

  it('follows the window and the pause: Show when hidden; paused shows only that, and Resume', () => {
    expect(labels(buildTrayMenu(state({ windowVisible: false })))).toContain('Show Proctor')
    expect(item(buildTrayMenu(state({ windowVisible: false })), 'Show Proctor').command).toEqual({ type: 'show-window' })
    const paused = buildTrayMenu(state({ paused: true }))
    expect(labels(paused)).toEqual(['Monitoring paused', '---', 'Hide Proctor', 'Resume monitoring', '---', 'Quit Proctor'])
    expect(item(paused, 'Resume monitoring').command).toEqual({ type: 'resume-monitoring' })
  })

  it('before the first samples: unknowns as – and a waiting line', () => {
    const menu = buildTrayMenu(state({ sample: undefined, processes: undefined }))
    expect(labels(menu).slice(0, 5)).toEqual(['CPU –', 'Memory –', 'Network ↓ – ↑ –', '---', 'Reading processes…'])
  })

  it('is a pure function: the same state gives an equal menu', () => {
    expect(buildTrayMenu(state())).toEqual(buildTrayMenu(state()))
    expect(JSON.stringify(buildTrayMenu(state()))).toBe(JSON.stringify(buildTrayMenu(state())))
  })

  it('cuts long names and escapes & so Electron does not read it as a mnemonic', () => {
    const long = 'a-very-long-process-name-that-goes-on-and-on'
    const menu = buildTrayMenu(state({ processes: [proc(40, 9, { name: long }), proc(41, 8, { name: 'R&D tool', user: 'a&b' })] }))
    expect(labels(menu)).toContain('a-very-long-process-name-that-g…  9.0% · 100.0 MiB')
    const rd = startsWith(menu, 'R&&D tool')
    expect(rd.submenu![0]).toMatchObject({ label: 'pid 41 · a&&b' })
    // The command keeps the real name.
    expect(item(rd.submenu!, 'Kill').command).toMatchObject({ name: 'R&D tool' })
    expect(menuText('a&&b')).toBe('a&&&&b')
  })
})

describe('topByCpu', () => {
  it('busiest first, ties by memory then pid, at most five', () => {
    const list = [proc(5, 10), proc(3, 10), proc(4, 10, { memoryBytes: 1 }), proc(1, 50), proc(2, 0), proc(6, 1), proc(7, 2)]
    expect(topByCpu(list).map((p) => p.pid)).toEqual([1, 3, 5, 4, 7])
    expect(topByCpu([])).toEqual([])
  })
})

describe('formatCpu', () => {
  it('one decimal under 10%, whole above; core scale may exceed 100', () => {
    expect([0, 3.44, 9.96, 10, 57.5, 250].map(formatCpu)).toEqual(['0.0%', '3.4%', '10%', '10%', '58%', '250%'])
  })
})

describe('tray commands are the window’s actions', () => {
  const cmd = (action: TrayAction): TrayActionCommand => ({ type: 'process', action, pid: 42, startTime: 123, name: 'x' })

  it('a command is the window’s request for the same identity, so it makes the same call', () => {
    expect(actionCall(actionRequest(cmd('terminate')))).toEqual({ name: 'terminateProcess', arg: { pid: 42, startTime: 123 } })
    expect(actionCall(actionRequest(cmd('kill')))).toEqual({ name: 'killProcess', arg: { pid: 42, startTime: 123, signal: 'KILL' } })
    expect(actionCall(actionRequest(cmd('suspend')))).toEqual({ name: 'suspendProcess', arg: { pid: 42, startTime: 123 } })
    expect(actionCall(actionRequest(cmd('resume')))).toEqual({ name: 'resumeProcess', arg: { pid: 42, startTime: 123 } })
  })

  it('a failure notice is the window’s error report: title, what went wrong with its code, and what to do', () => {
    const error = { code: 'PERMISSION_DENIED', message: 'not permitted to signal pid 42' } as const
    const toast = describeError(actionRequest(cmd('kill')), error)
    expect(actionFailureNotice(cmd('kill'), error)).toEqual({
      title: toast.title,
      body: `Not permitted to signal pid 42 (PERMISSION_DENIED). ${toast.hint}`,
    })
    expect(toast.title).toBe('Could not kill x (PID 42)')
  })
})
