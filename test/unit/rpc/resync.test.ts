import { describe, expect, it } from 'vitest'
import { diffSnapshots, snapshotsFromDeltas } from '../../../src/shared/process/delta'
import { BacklogLimits } from '../../../src/shared/rpc/backlog'
import type { Channel } from '../../../src/shared/rpc/channel'
import { loopbackPair } from '../../../src/shared/rpc/loopback'
import type { ClientMessage, ServerMessage } from '../../../src/shared/rpc/protocol'
import { RpcClient } from '../../../src/shared/rpc/rpcClient'
import type { StreamSink } from '../../../src/shared/rpc/router'
import { RpcSession } from '../../../src/shared/rpc/session'
import type { ProcessInfo, ProcessSnapshot } from '../../../src/shared/types/process'
import { stubRouter } from '../../helpers/stubRouter'

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
const caller = { kind: 'browser', detail: 'test' } as const

function proc(pid: number): ProcessInfo {
  return { pid, startTime: pid * 10, name: `p${pid}`, command: `p${pid}` } as ProcessInfo
}

function snapshot(timestamp: number, pids: number[]): ProcessSnapshot {
  return { timestamp, cpuCount: 2, memoryTotal: 1, cpuScale: 'core', processes: pids.map(proc) } as ProcessSnapshot
}

/**
 * A session whose channel applies the backlog limits as a transport does
 * (here with the client's unread bytes set by the test), a client over it,
 * and a process-delta source that, like the engine's, starts every
 * subscription with the latest snapshot and then sends changes.
 */
function lossyStream() {
  const stub = stubRouter()
  const [serverEnd, clientEnd] = loopbackPair<ServerMessage, ClientMessage>()
  const limits = new BacklogLimits(1000, 1_000_000)
  let unread = 0
  const send = serverEnd.send.bind(serverEnd)
  const lossy: Channel<ServerMessage> = {
    send: (message) => (limits.verdict(message, unread) === 'send' ? send(message) : undefined),
    receive: (receiver) => serverEnd.receive(receiver),
    close: () => serverEnd.close(),
  }
  new RpcSession(stub.router, lossy, caller)
  const client = new RpcClient()
  client.connect(clientEnd)

  let latest: ProcessSnapshot | undefined
  const prevOf = new Map<StreamSink<unknown>, ProcessSnapshot | undefined>()
  const sinks = () => stub.sinks.get('subscribeToProcessDeltas') ?? []
  /** Subscriptions the session started since: they get the latest snapshot at once. */
  const startNew = () => {
    for (const sink of sinks()) {
      if (prevOf.has(sink)) continue
      prevOf.set(sink, latest)
      if (latest) sink.next(diffSnapshots(undefined, latest))
    }
  }
  return {
    client,
    behind: (bytes: number) => (unread = bytes),
    tick: async (next: ProcessSnapshot) => {
      startNew()
      latest = next
      for (const sink of sinks()) {
        sink.next(diffSnapshots(prevOf.get(sink), next))
        prevOf.set(sink, next)
      }
      await settle()
      startNew()
      await settle()
    },
  }
}

describe('a stream of process changes over a channel that holds events back', () => {
  it('the client is told it missed changes and starts over: it ends with the list the source has, not one built on a change it never saw', async () => {
    const stream = lossyStream()
    let shown: ProcessSnapshot | undefined
    const missed: number[] = []
    const errors: Error[] = []
    stream.client.subscribe(
      'subscribeToProcessDeltas',
      undefined,
      snapshotsFromDeltas((s) => (shown = s), (e) => errors.push(e)) as (payload: unknown) => void,
      () => {},
      (n) => missed.push(n),
    )
    await settle()
    await stream.tick(snapshot(1, [1, 2, 3]))
    expect(shown?.processes.map((p) => p.pid)).toEqual([1, 2, 3])
    // Far behind its reading: the change that says 2 went and 4 came is held back.
    stream.behind(5000)
    await stream.tick(snapshot(2, [1, 3, 4]))
    stream.behind(0)
    await stream.tick(snapshot(3, [1, 3, 4, 5]))
    expect(shown?.timestamp).toBe(3)
    expect(shown?.processes.map((p) => p.pid).sort()).toEqual([1, 3, 4, 5])
    expect(missed).toEqual([1])
    // From then on, changes again.
    await stream.tick(snapshot(4, [3, 4, 5]))
    expect(shown?.processes.map((p) => p.pid).sort()).toEqual([3, 4, 5])
    expect(missed).toEqual([1])
    expect(errors).toEqual([])
  })
})
