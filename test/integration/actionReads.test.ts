import { afterAll, describe, expect, it } from 'vitest'
import { Cadence } from '../../src/main/core/cadence'
import { AuditLog } from '../../src/main/core/control/auditLog'
import { ControlService } from '../../src/main/core/control/controlService'
import { InlineCollector, type ProcessCollector } from '../../src/main/core/processes/collector'
import { SettingInspector } from '../../src/main/core/processes/inspector'
import { ProcessService } from '../../src/main/core/processes/processService'
import { SettingsStore } from '../../src/main/core/settings/settingsStore'
import type { ProcessSnapshot } from '../../src/shared/types/process'
import { killAll, spawnIdle, uniqueArg } from '../helpers/children'
import { tempDir } from '../helpers/tempDir'
import { waitFor } from '../helpers/wait'

/**
 * An action reads the process it names, not every process: a kill from
 * the window adds no collection to the live stream's (no history point off
 * the cadence, no shift of its CPU baseline). The services are built by
 * hand here, with a collector that counts its reads.
 */
describe('process actions and the live collector', () => {
  const dir = tempDir()
  const store = new SettingsStore(dir)
  let reads = 0
  const inner = new InlineCollector('auto')
  const collector: ProcessCollector = {
    get adapterKind() {
      return inner.adapterKind
    },
    collect: () => {
      reads++
      return inner.collect()
    },
    setAdapter: (setting) => inner.setAdapter(setting),
    close: () => inner.close(),
  }
  const processes = new ProcessService({ settings: store, cadence: new Cadence(store), collector, log: () => {} })
  const control = new ControlService({ settings: store, inspector: new SettingInspector(store), audit: new AuditLog(dir), ownPids: () => [process.pid] })
  const window = { kind: 'desktop', detail: 'window' } as const
  afterAll(() => {
    killAll()
    processes.close()
  })

  it('with no stream running, terminate, suspend, resume and a tree kill collect nothing', async () => {
    const child = spawnIdle(uniqueArg('reads-idle'))
    const pid = child.pid!
    await waitFor(async () => (await control.handlers.suspendProcess({ pid }, window)).results[0]?.ok)
    await control.handlers.resumeProcess({ pid }, window)
    const report = await control.handlers.terminateProcess({ pid, graceMs: 2000 }, window)
    expect(report.results[0]).toMatchObject({ ok: true, endedBy: 'TERM' })
    const tree = spawnIdle(uniqueArg('reads-tree'))
    expect((await control.handlers.killProcess({ pid: tree.pid!, tree: true, signal: 'KILL' }, window)).results[0]?.ok).toBe(true)
    expect(reads).toBe(0)
  })

  it('with the stream running, every read is one of its ticks: an action adds none', async () => {
    // One tick at subscribe, the next a minute later: nothing else may read while the action runs.
    store.applyTransient({ refreshInterval: 60_000 })
    const seen: ProcessSnapshot[] = []
    const stop = processes.stream.subscribe((s) => seen.push(s))
    await waitFor(() => seen.length >= 1, 5000, 'the first tick')
    const child = spawnIdle(uniqueArg('reads-live'))
    const pid = child.pid!
    const named = await waitFor(() => new SettingInspector(store).inspect(pid), 5000, 'the child')
    const report = await control.handlers.terminateProcess({ pid, startTime: named.startTime }, window)
    expect(report.results[0]?.ok).toBe(true)
    stop()
    expect(seen).toHaveLength(1)
    expect(reads).toBe(1)
    expect(processes.history.get(pid, named.startTime).timestamps).toEqual([])
  })
})
