import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import type { Locator, Page } from '@playwright/test'
import type { ProctorApi } from '../../src/shared/contract'
import { createApi } from '../../src/shared/rpc/client'
import { webSocketTransport } from '../../src/shared/rpc/wsClient'
import type { SettingsPatch } from '../../src/shared/settings'
import { apiSocket, type RunningHost } from './host'

/** Finding things in the process window the way assistive technology does: by role and name. */

export const processTable = (page: Page): Locator => page.getByRole('grid', { name: 'Processes' })
export const processTree = (page: Page): Locator => page.getByRole('tree', { name: 'Process tree' })
export const searchBox = (page: Page): Locator => page.getByRole('searchbox', { name: 'Search processes' })
export const statusBar = (page: Page): Locator => page.getByRole('contentinfo')
export const details = (page: Page): Locator => page.getByRole('complementary', { name: /^Details of / })

/** The table row of a pid (its first cell is the pid). */
export function rowOf(page: Page, pid: number): Locator {
  return processTable(page)
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name: String(pid), exact: true }) })
}

/** The tree item of a pid (named "name, PID n"). */
export function treeItemOf(page: Page, pid: number): Locator {
  return processTree(page).getByRole('treeitem', { name: new RegExp(`, PID ${pid}$`) })
}

/** A toast (role status) whose text matches. */
export function toast(page: Page, text: string | RegExp): Locator {
  return page.getByRole('region', { name: 'Notifications' }).getByRole('status').filter({ hasText: text })
}

/** The one-letter state of a process in /proc/PID/status (R, S, T, Z, ...), or undefined when it is gone. */
export function procState(pid: number): string | undefined {
  try {
    return /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  } catch {
    return undefined
  }
}

/** Whether a pid is a live process (not gone, not a zombie). */
export function alive(pid: number): boolean {
  const state = procState(pid)
  return state !== undefined && state !== 'Z' && existsSync(`/proc/${pid}`)
}

export interface Family {
  marker: string
  parent: number
  /** The first child. */
  child: number
  /** Every child, in the order of `children` in the options. */
  children: number[]
  stop(): Promise<void>
}

/** A child that sleeps (the default), and one that keeps a core busy until it is killed. */
export const IDLE_CHILD = 'setInterval(() => {}, 1000)'
export const BUSY_CHILD = 'for (;;) {}'

/**
 * A node process (carrying `marker-parent`) that starts node children
 * (carrying `marker-child`, `marker-child2`, ...), each running one of
 * `children` (JavaScript; by default one idle child), in their own process
 * group so that stop() ends them all.
 */
export async function spawnFamily(options: { children?: readonly string[] } = {}): Promise<Family> {
  const marker = `proctor-e2e-${randomBytes(6).toString('hex')}`
  const scripts = options.children ?? [IDLE_CHILD]
  const script = `
    const { spawn } = require('node:child_process')
    const scripts = ${JSON.stringify(scripts)}
    const pids = scripts.map((code, i) => spawn(process.execPath, ['-e', code, '${marker}-child' + (i === 0 ? '' : i + 1)], { stdio: 'ignore' }).pid)
    console.log('child-pids=' + pids.join(','))
    setInterval(() => {}, 1000)
  `
  // Without the test runner's NODE_OPTIONS (loaders that may print).
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  const parent: ChildProcess = spawn(process.execPath, ['-e', script, `${marker}-parent`], { stdio: ['ignore', 'pipe', 'ignore'], detached: true, env })
  const childPids = await new Promise<number[]>((resolve, reject) => {
    let out = ''
    parent.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const found = /child-pids=([\d,]+)\n/.exec(out)
      if (found) resolve(found[1]!.split(',').map(Number))
    })
    parent.once('error', reject)
    parent.once('exit', (code) => reject(new Error(`the parent exited early (${code})`)))
  })
  return {
    marker,
    parent: parent.pid!,
    child: childPids[0]!,
    children: childPids,
    stop: async () => {
      try {
        process.kill(-parent.pid!, 'SIGKILL')
      } catch {
        // gone
      }
      if (parent.exitCode === null && parent.signalCode === null) await new Promise((r) => parent.once('exit', r))
    },
  }
}

/**
 * Changes the host's settings directly (over its WebSocket API, as the page
 * does): puts back what a test changed, even when the test failed halfway.
 */
export async function updateHostSettings(host: RunningHost, patch: SettingsPatch): Promise<void> {
  await withHostApi(host, (api) => api.updateSettings(patch))
}

/** The host's contract over a WebSocket of its own, for a test's setup. */
export async function withHostApi<T>(host: RunningHost, use: (api: ProctorApi) => Promise<T>): Promise<T> {
  const transport = webSocketTransport({
    connect: () => apiSocket(host),
    reconnectMinMs: 0,
  })
  try {
    return await use(createApi(transport))
  } finally {
    transport.close()
  }
}
