import { describe, expect, it } from 'vitest'
import { findMenuItem, processMenu, type MenuEntry, type MenuItem } from '../../../src/shared/process/menu'
import type { ProcessInfo } from '../../../src/shared/types/process'

const proc = (over: Partial<ProcessInfo> = {}) =>
  ({ pid: 42, ppid: 1, startTime: 5, name: 'node', command: 'node app.js', user: 'alice', uid: 1000, state: 'sleeping', nice: 0, exe: '/usr/bin/node', kernelThread: false, ...over }) as ProcessInfo
const labels = (entries: MenuEntry[]) => entries.map((e) => ('separator' in e ? '—' : e.label))
const byId = (entries: MenuEntry[], id: string) => findMenuItem(entries, id) as MenuItem

describe('processMenu', () => {
  it('offers the actions of a running process, Suspend rather than Resume', () => {
    const menu = processMenu(proc(), { desktop: false, view: 'table' })
    expect(labels(menu)).toEqual([
      'Terminate', 'Kill', 'Suspend', 'Renice', '—', 'Copy PID', 'Copy command line', '—', 'Show in tree', 'Filter to user alice', '—', 'Supervise this…',
      'Register for IPC…',
    ])
    expect(byId(menu, 'terminate').destructive).toBe(true)
  })

  it('offers Resume for a stopped process', () => {
    const menu = processMenu(proc({ state: 'stopped' }), { desktop: false, view: 'table' })
    expect(labels(menu)).toContain('Resume')
    expect(labels(menu)).not.toContain('Suspend')
  })

  it('disables signals for kernel threads and zombies, keeps the copy actions', () => {
    for (const p of [proc({ kernelThread: true }), proc({ state: 'zombie' })]) {
      const menu = processMenu(p, { desktop: true, view: 'tree' })
      expect(byId(menu, 'terminate').enabled).toBe(false)
      expect(byId(menu, 'kill').enabled).toBe(false)
      expect(byId(menu, 'copy-pid').enabled).toBe(true)
    }
  })

  it('has a "Send signal…" submenu of every signal it is given, asking first for those that may end or stop the process', () => {
    const signals = ['HUP', 'INT', 'USR1', 'CONT', 'WINCH', 'STOP']
    const menu = processMenu(proc(), { desktop: false, view: 'table', signals })
    expect(labels(menu).slice(0, 5)).toEqual(['Terminate', 'Kill', 'Suspend', 'Renice', 'Send signal…'])
    const send = byId(menu, 'signal')
    const items = (send.submenu ?? []) as MenuItem[]
    expect(items.map((i) => [i.label, i.action, i.signal, i.destructive === true])).toEqual([
      ['SIGHUP', 'signal', 'HUP', true],
      ['SIGINT', 'signal', 'INT', true],
      ['SIGUSR1', 'signal', 'USR1', true],
      ['SIGCONT', 'signal', 'CONT', false],
      ['SIGWINCH', 'signal', 'WINCH', false],
      ['SIGSTOP', 'signal', 'STOP', true],
    ])
    expect(byId(menu, 'signal:USR1')).toBe(items[2])
    // Not for a kernel thread; and without the list, no submenu at all.
    expect(byId(processMenu(proc({ kernelThread: true }), { desktop: false, view: 'table', signals }), 'signal:USR1').enabled).toBe(false)
    expect(findMenuItem(processMenu(proc(), { desktop: false, view: 'table' }), 'signal')).toBeUndefined()
  })

  it('has a renice submenu that marks and disables the current level', () => {
    const renice = byId(processMenu(proc({ nice: 10 }), { desktop: false, view: 'table' }), 'renice')
    const levels = (renice.submenu ?? []).filter((i): i is MenuItem => !('separator' in i))
    expect(levels.map((i) => i.value)).toEqual([-20, -10, -5, 0, 5, 10, 19])
    const current = levels.find((i) => i.value === 10)
    expect(current?.label).toBe('+10 (current)')
    expect(current?.enabled).toBe(false)
  })

  it('adds desktop-only and context-only items where they apply', () => {
    expect(labels(processMenu(proc(), { desktop: true, view: 'table' }))).toContain('Reveal executable in file manager')
    expect(byId(processMenu(proc({ exe: undefined }), { desktop: true, view: 'table' }), 'reveal-executable').enabled).toBe(false)
    expect(labels(processMenu(proc(), { desktop: false, view: 'tree' }))).not.toContain('Show in tree')
  })

  it('offers Retry as administrator only after a PERMISSION_DENIED where elevation is possible', () => {
    const denied = { code: 'PERMISSION_DENIED' as const, message: 'no', action: 'kill' as const }
    expect(labels(processMenu(proc(), { desktop: false, view: 'table', lastError: { ...denied, details: { elevationPossible: true } } }))).toContain('Retry as administrator')
    expect(labels(processMenu(proc(), { desktop: false, view: 'table', lastError: { ...denied, details: { elevationPossible: false } } }))).not.toContain('Retry as administrator')
  })

  it('offers Supervise this… unless the window has no Supervisor page, disabled where no signal would work', () => {
    expect(byId(processMenu(proc(), { desktop: false, view: 'table' }), 'supervise').enabled).toBe(true)
    expect(byId(processMenu(proc({ kernelThread: true }), { desktop: false, view: 'table' }), 'supervise').enabled).toBe(false)
    expect(labels(processMenu(proc(), { desktop: false, view: 'table', supervise: false }))).not.toContain('Supervise this…')
  })

  it('offers Register for IPC… unless the window has no IPC page, disabled for kernel threads and zombies', () => {
    expect(byId(processMenu(proc(), { desktop: false, view: 'table' }), 'register-ipc').enabled).toBe(true)
    expect(byId(processMenu(proc({ kernelThread: true }), { desktop: false, view: 'table' }), 'register-ipc').enabled).toBe(false)
    expect(byId(processMenu(proc({ state: 'zombie' }), { desktop: false, view: 'table' }), 'register-ipc').enabled).toBe(false)
    expect(labels(processMenu(proc(), { desktop: false, view: 'table', registerIpc: false }))).not.toContain('Register for IPC…')
    expect(labels(processMenu(proc(), { desktop: false, view: 'table', supervise: false })).slice(-2)).toEqual(['—', 'Register for IPC…'])
  })

  it('finds items by id inside submenus', () => {
    const menu = processMenu(proc(), { desktop: false, view: 'table' })
    expect(findMenuItem(menu, 'renice:-5')?.value).toBe(-5)
    expect(findMenuItem(menu, 'nope')).toBeUndefined()
  })
})
