import { brokerCalls, brokerStreams } from '../../../shared/contract/broker'
import { poolCalls, poolStreams } from '../../../shared/contract/pools'
import { supervisorCalls, supervisorStreams } from '../../../shared/contract/supervisor'
import type { Channel } from '../../../shared/rpc/channel'
import type { ClientMessage } from '../../../shared/rpc/protocol'
import { RpcClient } from '../../../shared/rpc/rpcClient'
import { ProctorError } from '../../../shared/errors'
import type { ProgramsOverview } from '../../../shared/supervisor/status'
import type { BrokerCallName, BrokerSlice, BrokerStreamName } from '../broker/slice'
import type { PoolCallName, PoolsSlice, PoolStreamName } from '../pools/slice'
import type { Service } from '../service'
import type { SupervisorCallName, SupervisorSlice, SupervisorStreamName } from '../supervisor/slice'
import type { OwnerRecord } from './controlServer'
import { openOwnerChannel } from './controlClient'

/**
 * The owner's slices (supervisor and broker) in an engine that does not
 * own: every such call and stream goes to the owner over its control
 * socket, by name, so a call added to the contract needs no code here. Errors are the owner's
 * own. It connects when first used; when the owner goes away (a restart),
 * calls in flight fail with UNAVAILABLE, and live streams wait and resume
 * once an owner answers again (the RpcClient opens them again).
 */

export interface RemoteOwnerOptions {
  /** Who connects, for the owner's audit log. */
  client?: string
  /** First and longest wait between reconnection attempts while streams are open. */
  retryMinMs?: number
  retryMaxMs?: number
  connectTimeoutMs?: number
  log?: (message: string) => void
}

/** The owner's view says local: true; seen from here it is another engine's. */
function asSeenFromHere(value: unknown): unknown {
  const overview = value as ProgramsOverview | undefined
  if (overview && typeof overview === 'object' && overview.owner && typeof overview.owner === 'object') {
    return { ...overview, owner: { ...overview.owner, local: false } }
  }
  return value
}

const PASS_OVERVIEW = new Set<string>(['listPrograms', 'subscribeToPrograms'])

type OwnerCallName = SupervisorCallName | BrokerCallName | PoolCallName
type OwnerStreamName = SupervisorStreamName | BrokerStreamName | PoolStreamName
/** What only the owner serves: the supervisor's slice, the broker's and the pools'. */
export type OwnerSlices = Service<OwnerCallName, OwnerStreamName> & SupervisorSlice & BrokerSlice & PoolsSlice

export class RemoteOwner implements OwnerSlices {
  readonly handlers: OwnerSlices['handlers']
  readonly streams: OwnerSlices['streams']
  private readonly client: RpcClient
  private connected = false
  private connecting: Promise<void> | undefined
  private liveStreams = 0
  private retryTimer: NodeJS.Timeout | undefined
  private retryMs: number
  private closed = false
  /** The owner last connected to. */
  owner: OwnerRecord | undefined

  constructor(
    private readonly runtimeDir: string,
    private readonly options: RemoteOwnerOptions = {},
  ) {
    this.client = new RpcClient('the Proctor owner')
    this.retryMs = options.retryMinMs ?? 500
    const handlers: Record<string, (args: unknown) => Promise<unknown>> = {}
    for (const name of [...Object.keys(supervisorCalls), ...Object.keys(brokerCalls), ...Object.keys(poolCalls)] as OwnerCallName[]) {
      handlers[name] = (args) => this.call(name, args)
    }
    const streams: Record<string, (params: unknown, sink: { next(p: unknown): void; error(e: unknown): void; complete(): void }) => () => void> = {}
    for (const topic of [...Object.keys(supervisorStreams), ...Object.keys(brokerStreams), ...Object.keys(poolStreams)] as OwnerStreamName[]) {
      streams[topic] = (params, sink) => this.subscribe(topic, params, sink)
    }
    this.handlers = handlers as unknown as OwnerSlices['handlers']
    this.streams = streams as unknown as OwnerSlices['streams']
  }

  /** Connects now (a client engine's first look at the owner); rejects with the reason when it cannot. */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new ProctorError('UNAVAILABLE', 'the connection to the owner is closed'))
    if (this.connected) return Promise.resolve()
    this.connecting ??= openOwnerChannel(this.runtimeDir, {
      ...(this.options.client !== undefined ? { client: this.options.client } : {}),
      ...(this.options.connectTimeoutMs !== undefined ? { timeoutMs: this.options.connectTimeoutMs } : {}),
    })
      .then(({ channel, owner }) => {
        if (this.closed) return channel.close()
        this.owner = owner
        this.connected = true
        this.retryMs = this.options.retryMinMs ?? 500
        this.client.connect(this.watched(channel))
        this.options.log?.(`connected to the Proctor owner (${owner.kind}, pid ${owner.pid}) on ${owner.socket}`)
      })
      .finally(() => {
        this.connecting = undefined
      })
    return this.connecting
  }

  close(): void {
    this.closed = true
    clearTimeout(this.retryTimer)
    this.client.close()
  }

  private async call(name: OwnerCallName, args: unknown): Promise<unknown> {
    await this.connect()
    const envelope = await this.client.call(name, args)
    if (!envelope.ok) throw ProctorError.from(envelope.error)
    return PASS_OVERVIEW.has(name) ? asSeenFromHere(envelope.value) : envelope.value
  }

  private subscribe(topic: OwnerStreamName, params: unknown, sink: { next(p: unknown): void; error(e: unknown): void; complete(): void }): () => void {
    let live = true
    const end = () => {
      if (!live) return
      live = false
      this.liveStreams--
    }
    this.liveStreams++
    const unsubscribe = this.client.subscribe(
      topic,
      params,
      (payload) => sink.next(PASS_OVERVIEW.has(topic) ? asSeenFromHere(payload) : payload),
      (error) => {
        end()
        if (error) sink.error(ProctorError.from(error))
        else sink.complete()
      },
    )
    // No owner now: the subscriber is told at once; a later loss is waited out.
    if (!this.connected) {
      this.connect().catch((err: unknown) => {
        if (!live) return
        end()
        unsubscribe()
        sink.error(err)
      })
    }
    return () => {
      end()
      unsubscribe()
    }
  }

  /** The channel, with its loss noticed: streams still open are carried over to the next owner. */
  private watched(channel: Channel<ClientMessage>): Channel<ClientMessage> {
    return {
      send: (m) => channel.send(m),
      close: () => channel.close(),
      receive: (receiver) =>
        channel.receive({
          message: (d) => receiver.message(d),
          unreadable: (r) => receiver.unreadable(r),
          closed: () => {
            this.connected = false
            receiver.closed()
            if (!this.closed) this.options.log?.('the connection to the Proctor owner was lost; reconnecting while programs are watched')
            this.scheduleRetry()
          },
        }),
    }
  }

  private scheduleRetry(): void {
    if (this.closed || this.liveStreams === 0 || this.retryTimer) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined
      if (this.connected || this.closed || this.liveStreams === 0) return
      this.connect().catch(() => {
        this.retryMs = Math.min(this.options.retryMaxMs ?? 5000, this.retryMs * 2)
        this.scheduleRetry()
      })
    }, this.retryMs)
    this.retryTimer.unref()
  }
}
