import { cpus, totalmem } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProctorApi } from '../../../src/shared/contract'
import type { ClientTransport } from '../../../src/shared/rpc/client'
import { ProctorError } from '../../../src/shared/errors'
import type { Engine } from '../../../src/main/core/engine'
import type { ProcessSnapshot } from '../../../src/shared/types/process'
import { waitFor } from '../../helpers/wait'
import { spawnIdle, uniqueArg } from '../../helpers/children'
import { snapshotsFromDeltas } from '../../../src/shared/process/delta'

export interface ContractFixture {
  api: ProctorApi
  transport: ClientTransport
  engine: Engine
  teardown(): Promise<void> | void
}

async function rejection(p: Promise<unknown>): Promise<ProctorError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(ProctorError)
    return err as ProctorError
  }
  throw new Error('expected the call to fail')
}

/**
 * One suite for every transport: whatever carries the contract must give
 * the same answers, errors included.
 */
export function describeContract(transportName: string, setup: () => Promise<ContractFixture>): void {
  describe(`the contract over ${transportName}`, () => {
    let f: ContractFixture
    beforeAll(async () => {
      f = await setup()
    })
    afterAll(async () => {
      await f?.teardown()
    })

    it('getAppInfo names the product and the adapter in use', async () => {
      const info = await f.api.getAppInfo()
      expect(info.name).toBe('Proctor')
      expect(info.adapter).toBe(process.platform === 'linux' ? 'linux' : 'generic')
      expect(info.notices).toEqual([])
    })

    it('getProcessList includes this very process with its parent and command', async () => {
      const snap = await f.api.getProcessList()
      const me = snap.processes.find((p) => p.pid === process.pid)
      expect(me).toBeDefined()
      expect(me?.ppid).toBe(process.ppid)
      expect(me?.command).toContain(process.argv[1] ?? 'node')
      expect(me?.memoryBytes).toBeGreaterThan(1024 * 1024)
      expect(snap.cpuCount).toBe(cpus().length)
    })

    it('getSystemMetrics reports this machine', async () => {
      const m = await f.api.getSystemMetrics()
      expect(m.memory.total).toBe(totalmem())
      expect(m.cpu.cores).toHaveLength(cpus().length)
      expect(m.load).toHaveLength(3)
    })

    it('updateSettings validates, persists and returns the result', async () => {
      const before = await f.api.getSettings()
      expect(before.refreshInterval).toBe(1000)
      const after = await f.api.updateSettings({ refreshInterval: 500, healthConfig: { healthyThreshold: 4 } })
      expect(after.refreshInterval).toBe(500)
      expect(after.healthConfig.healthyThreshold).toBe(4)
      expect(after.healthConfig.unhealthyThreshold).toBe(3)
      expect((await f.api.getSettings()).refreshInterval).toBe(500)
    })

    it('refuses a bad setting naming the field, and changes nothing', async () => {
      const before = await f.api.getSettings()
      const err = await rejection(f.api.updateSettings({ refreshInterval: 5 }))
      expect(err.code).toBe('INVALID_ARGUMENT')
      expect(err.message).toMatch(/refreshInterval/)
      const typed = await rejection(f.api.updateSettings({ enableIPC: 'yes' as unknown as boolean }))
      expect(typed.message).toMatch(/enableIPC/)
      expect(await f.api.getSettings()).toEqual(before)
    })

    it('answers unknown calls and wrong argument types with INVALID_ARGUMENT, and keeps serving', async () => {
      const unknown = await f.transport.call('formatDisk', { really: true })
      expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
      expect(!unknown.ok && unknown.error.message).toContain('formatDisk')
      const wrong = await f.transport.call('updateSettings', 'refreshInterval=5')
      expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
      const extra = await f.transport.call('getSystemMetrics', { verbose: true })
      expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
      expect((await f.api.getSettings()).refreshInterval).toBeGreaterThan(0)
    })

    it('refuses bad broker calls naming the field, before any broker is asked', async () => {
      const cases: Array<[string, unknown, RegExp]> = [
        ['sendIPCMessage', { processId: '', payload: 1 }, /processId/],
        ['sendIPCMessage', { processId: 'web' }, /payload/],
        ['requestIPCResponse', { processId: 'web', payload: {}, timeoutMs: -1 }, /timeoutMs/],
        ['broadcastIPCMessage', { payload: 1, to: 'x' }, /to/],
        ['registerProcessForIPC', { pid: 'self' }, /pid/],
        ['unregisterProcessFromIPC', {}, /processId/],
        ['getIPCConnections', { all: true }, /takes no argument/],
      ]
      for (const [name, arg, field] of cases) {
        const answer = await f.transport.call(name, arg)
        expect(answer, `${name} ${JSON.stringify(arg)}`).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } })
        expect(!answer.ok && answer.error.message, name).toMatch(field)
      }
    })

    it('streams process snapshots only while subscribed', async () => {
      expect(f.engine.processes.stream.active).toBe(false)
      const got: ProcessSnapshot[] = []
      const stop = f.api.subscribeToProcessUpdates((s) => got.push(s))
      await waitFor(() => got.length >= 2, 5000, 'two snapshots')
      expect(f.engine.processes.stream.active).toBe(true)
      expect(got[1]?.processes.some((p) => p.pid === process.pid)).toBe(true)
      expect((got[1]?.timestamp ?? 0) > (got[0]?.timestamp ?? 0)).toBe(true)
      stop()
      await waitFor(() => f.engine.processes.stream.subscribers === 0, 5000, 'the stream to stop')
      expect(f.engine.processes.stream.active).toBe(false)
      const count = got.length
      await new Promise((r) => setTimeout(r, 700))
      expect(got.length).toBe(count)
    })

    it('streams the same snapshots as deltas: a whole one first, then changes that rebuild each exactly', { timeout: 20_000 }, async () => {
      const byIdentity = (s: ProcessSnapshot) => ({ ...s, processes: [...s.processes].sort((a, b) => a.pid - b.pid || a.startTime - b.startTime) })
      const full = new Map<number, ProcessSnapshot>()
      const rebuilt = new Map<number, ProcessSnapshot>()
      const kinds: string[] = []
      const errors: Error[] = []
      const toSnapshots = snapshotsFromDeltas((s) => rebuilt.set(s.timestamp, s), (e) => errors.push(e))
      const stopFull = f.api.subscribeToProcessUpdates((s) => full.set(s.timestamp, s))
      const stopDeltas = f.api.subscribeToProcessDeltas((d) => {
        kinds.push(d.type)
        toSnapshots(d)
      })
      const has = (pid: number | undefined) => () => [...rebuilt.values()].at(-1)?.processes.some((p) => p.pid === pid) ?? false
      try {
        await waitFor(() => rebuilt.size >= 1, 5000, 'the first snapshot')
        const child = spawnIdle(uniqueArg('proctor-delta'))
        await waitFor(has(child.pid), 5000, 'the child in a rebuilt snapshot')
        child.kill('SIGKILL')
        await waitFor(() => !has(child.pid)(), 5000, 'the child gone from a rebuilt snapshot')
      } finally {
        stopFull()
        stopDeltas()
      }
      expect(errors).toEqual([])
      expect(kinds[0]).toBe('snapshot')
      expect(kinds.slice(1).every((k) => k === 'delta')).toBe(true)
      const both = [...rebuilt.keys()].filter((t) => full.has(t))
      expect(both.length).toBeGreaterThanOrEqual(3)
      for (const t of both) expect(byIdentity(rebuilt.get(t)!)).toEqual(byIdentity(full.get(t)!))
    })

    it('streams system metrics', async () => {
      const got: number[] = []
      const stop = f.api.subscribeToMetrics((m) => got.push(m.memory.total))
      await waitFor(() => got.length >= 1, 5000, 'a metrics sample')
      stop()
      expect(got[0]).toBe(totalmem())
    })

    it('findProcesses answers a catastrophic-backtracking regex at once (linear-time engine)', async () => {
      // A backtracking engine takes 2^n steps for `^(a+)+$` on n `a`s followed by
      // anything else: with 30 it stalled the event loop for seconds.
      const marker = uniqueArg('redos')
      const child = spawnIdle(marker, undefined, { argv0: 'a'.repeat(30) })
      // With the stream live (as when the window is open) a call filters the latest
      // snapshot, so the time measured is the matching, not a /proc reading.
      const got: ProcessSnapshot[] = []
      const stop = f.api.subscribeToProcessUpdates((s) => got.push(s))
      try {
        const seen = (): boolean => got[got.length - 1]?.processes.some((p) => p.pid === child.pid) ?? false
        await waitFor(seen, 5000, 'the child in a snapshot')
        const mine = got[got.length - 1]?.processes.find((p) => p.pid === child.pid)
        expect(mine?.command.startsWith(`${'a'.repeat(30)} -e `)).toBe(true)
        const count = got.length
        await waitFor(() => got.length > count, 5000, 'a fresh snapshot')
        // The best of a few calls: on a 2-core machine shared with other work a single
        // call may wait for a CPU, or behind the stream's own snapshot, whatever the regex.
        // A backtracking engine takes seconds on every one.
        const times: number[] = []
        for (let i = 0; i < 5; i++) {
          const started = performance.now()
          const found = await f.api.findProcesses({ query: 'command =~ "^(a+)+$"' })
          times.push(performance.now() - started)
          expect(found.map((p) => p.pid)).not.toContain(child.pid)
        }
        expect(Math.min(...times), `ms per call: ${times.map((t) => t.toFixed(1)).join(', ')}`).toBeLessThan(50)
        // The same shape that can match finds it: the regex really ran on that command.
        const prefix = await f.api.findProcesses({ query: 'command =~ "^(a+)+ -e "' })
        expect(prefix.map((p) => p.pid)).toContain(child.pid)
      } finally {
        stop()
        child.kill('SIGKILL')
      }
    })

    it('ends a subscription to an unknown stream with INVALID_ARGUMENT', async () => {
      const ended = await new Promise<unknown>((resolve) => {
        f.transport.subscribe('everything', undefined, () => {}, resolve)
      })
      expect(ended).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'unknown stream "everything"' })
    })
  })
}
