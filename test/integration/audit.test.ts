import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import type { Socket } from 'node:net'
import { join } from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Engine } from '../../src/main/core/engine'
import { startHost, type RunningHost } from '../../src/main/host/host'
import { createApi } from '../../src/shared/rpc/client'
import { webSocketTransport } from '../../src/shared/rpc/wsClient'
import { apiSubprotocols } from '../../src/shared/rpc/protocol'
import type { ProctorApi } from '../../src/shared/contract'
import type { ActionAuditEntry, AuditEntry, SettingsAuditEntry } from '../../src/shared/types/control'
import { killAll, spawnIdle, uniqueArg } from '../helpers/children'
import { bundledCli } from '../helpers/bundledCli'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'

/**
 * The audit log says who acted: every process action and every settings
 * change carries its caller as the transport knows it (a browser session
 * by its address, the CLI by its pid and user), and taking names off the
 * protected list is recorded as such.
 */

const CLI = bundledCli()

const actions = (entries: AuditEntry[]) => entries.filter((e): e is ActionAuditEntry => e.action !== 'settings')
const settingsChanges = (entries: AuditEntry[]) => entries.filter((e): e is SettingsAuditEntry => e.action === 'settings')

describe('the audit log records who acted', () => {
  let dataDir: string
  let engine: Engine
  let host: RunningHost
  let browser: ProctorApi
  let socket: WebSocket | undefined
  beforeAll(async () => {
    dataDir = tempDir()
    const staticDir = tempDir('proctor-static-')
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Proctor</title>')
    mkdirSync(join(staticDir, 'assets'))
    engine = new Engine({ dataDir, version: 'test' })
    host = await startHost({ router: engine.router, staticDir, port: 0 })
    browser = createApi(
      webSocketTransport({
        connect: () => (socket = new WebSocket(`ws://127.0.0.1:${host.port}/api`, apiSubprotocols(host.token))) as never,
        reconnectMinMs: 0,
      }),
    )
  })
  afterAll(async () => {
    killAll()
    socket?.close()
    await host.close()
    engine.close()
  })

  /** The browser session's own address as the host sees it: 127.0.0.1 and its local port. */
  const browserAddress = () => `127.0.0.1:${(socket as unknown as { _socket: Socket })._socket.localPort}`

  it('a browser session that removes the protected names is recorded with its address, and so is its kill', async () => {
    const before = (await browser.getSettings()).protectedNames
    expect(before).toContain('systemd')
    await browser.updateSettings({ protectedNames: [] })
    const change = settingsChanges(await browser.getAuditLog({ limit: 10 })).at(-1)
    expect(change).toMatchObject({
      action: 'settings',
      caller: { kind: 'browser', detail: browserAddress() },
      unprotected: before,
      changes: [{ key: 'protectedNames', from: before, to: [] }],
    })
    expect(change?.outcome).toContain('no longer protected: systemd')

    const child = spawnIdle(uniqueArg('audit-browser'))
    const pid = child.pid ?? 0
    await waitFor(async () => (await engine.processes.list()).processes.some((p) => p.pid === pid))
    const report = await browser.killProcess({ pid, signal: 'KILL' })
    expect(report.results[0]?.ok).toBe(true)
    const kill = actions(await browser.getAuditLog({ limit: 10 })).find((e) => e.pid === pid)
    expect(kill).toMatchObject({ action: 'signal', ok: true, caller: { kind: 'browser', detail: browserAddress() } })
  })

  it('a settings change that changes nothing is not logged; a nested one names its field', async () => {
    const count = async () => settingsChanges(await browser.getAuditLog({ limit: 1000 })).length
    const n = await count()
    await browser.updateSettings({ refreshInterval: (await browser.getSettings()).refreshInterval })
    expect(await count()).toBe(n)
    await browser.updateSettings({ ui: { theme: 'dark' } })
    const last = settingsChanges(await browser.getAuditLog({ limit: 10 })).at(-1)
    expect(last).toMatchObject({ changes: [{ key: 'ui.theme', from: 'system', to: 'dark' }], outcome: 'changed ui.theme' })
    expect(last?.unprotected).toBeUndefined()
  })

  it('the command line is recorded with its pid and user, and `proctor audit` shows who acted', () => {
    const child = spawnIdle(uniqueArg('audit-cli'))
    const env = { ...process.env, PROCTOR_DATA_DIR: dataDir }
    const kill = spawnSync(process.execPath, [CLI, 'kill', String(child.pid), '--json'], { encoding: 'utf8', env, timeout: 30_000 })
    expect(kill.status, kill.stderr).toBe(0)
    const entry = actions(engine.audit.read(10)).find((e) => e.pid === child.pid)
    expect(entry?.caller).toMatchObject({ kind: 'cli' })
    expect(entry?.caller?.detail).toMatch(/^pid \d+, user \S+$/)

    const audit = spawnSync(process.execPath, [CLI, 'audit'], { encoding: 'utf8', env, timeout: 30_000 })
    expect(audit.status, audit.stderr).toBe(0)
    const lines = audit.stdout.trim().split('\n')
    expect(lines.find((l) => l.includes(`signal ${child.pid}`))).toMatch(/\[by command line \(pid \d+, user \S+\)\]$/)
    expect(lines.find((l) => l.includes('no longer protected'))).toMatch(/settings: .*\[by browser session \(127\.0\.0\.1:\d+\)\]$/)
  })
})
