import { DEFAULT_MAX_FRAME_BYTES } from '../../../shared/broker/frameCodec'
import type { IPCOverview } from '../../../shared/broker/status'
import { ProctorError } from '../../../shared/errors'
import type { Settings } from '../../../shared/settings'
import type { Caller } from '../../../shared/types/caller'
import type { IPCAuditEntry } from '../../../shared/types/control'
import type { StreamSink } from '../../../shared/rpc/router'
import type { BrokerContext } from '../engine'
import { PolledStream } from '../polledStream'
import { checkIdentity } from '../processes/identity'
import { Broker, HANDSHAKE_TIMEOUT_MS, MAX_QUEUED_BYTES, type BrokerTotals, type ProctorResponse } from './broker'
import { Identities, programId } from './identities'
import type { BrokerSlice } from './slice'
import { TrafficLog } from './traffic'
import { audited } from '../control/auditLog'

/**
 * The owner's IPC broker as a service of the engine: it listens while
 * enableIPC is on (following the setting and ipcConfig.socketDir), hands
 * managed programs their tokens, registers other processes, and serves the
 * broker's slice of the contract, each Proctor-originated message and each
 * registration audited with its caller.
 */

export interface BrokerServiceOptions {
  /** The default socket folder (the owner's 0700 runtime folder); ipcConfig.socketDir overrides it. */
  runtimeDir: string
  maxFrameBytes?: number
  maxQueuedBytes?: number
  handshakeTimeoutMs?: number
  /** How long senders may wait on a consumer that does not drain before it is dropped as slow. */
  stallMs?: number
  trafficBatchMs?: number
}

export const IPC_OFF_MESSAGE =
  'the IPC broker is off: turn on enableIPC in the settings (the IPC page has a switch; or `proctor ipc on`, or updateSettings { "enableIPC": true })'

type IPCVerb = IPCAuditEntry['verb']

export class BrokerService implements BrokerSlice {
  readonly handlers: BrokerSlice['handlers']
  readonly streams: BrokerSlice['streams']
  private broker: Broker | undefined
  /** The folder the broker listens in (or tried to). */
  private dir: string | undefined
  private problem: string | undefined
  private readonly identities = new Identities()
  private readonly traffic: TrafficLog
  private readonly totals: BrokerTotals = { messages: 0, bytes: 0, rejected: 0 }
  private readonly readyListeners = new Set<(program: string) => void>()
  private readonly overviewSinks = new Set<StreamSink<IPCOverview>>()
  private readonly overviewStream: PolledStream<IPCOverview>
  private overviewQueued = false
  private transitions: Promise<void> = Promise.resolve()
  private readonly unsubscribers: Array<() => void> = []
  private closed = false

  constructor(
    private readonly ctx: BrokerContext,
    private readonly options: BrokerServiceOptions,
  ) {
    this.traffic = new TrafficLog(options.trafficBatchMs)
    this.overviewStream = new PolledStream(
      () => this.overview(),
      () => ctx.cadence.interval(),
      (err) => ctx.log(`IPC broker overview: ${String(err)}`),
      ctx.cadence.grid,
    )
    this.unsubscribers.push(ctx.cadence.onChange(() => this.overviewStream.reschedule()))

    this.handlers = {
      getIPCConnections: () => this.overview(),
      sendIPCMessage: ({ processId, payload }, caller) =>
        this.audited('send', processId, caller, () => ({ to: this.listening().sendFromProctor(processId, payload) }), (r) => `sent to ${r.to}`),
      requestIPCResponse: ({ processId, payload, timeoutMs }, caller) =>
        this.audited(
          'request',
          processId,
          caller,
          () => this.listening().requestFromProctor(processId, payload, timeoutMs ?? this.settings().ipcConfig.messageTimeout),
          (r) => `${r.from} answered in ${r.durationMs} ms`,
        ),
      broadcastIPCMessage: ({ payload }, caller) =>
        this.audited('broadcast', '*', caller, () => ({ recipients: this.listening().broadcastFromProctor(payload) }), (r) => `sent to ${r.recipients} endpoints`),
      registerProcessForIPC: (args, caller) =>
        this.audited(
          'register',
          `pid ${args.pid}`,
          caller,
          () => this.register(args),
          (r) => `registered as ${r.id} (${r.name}, pid ${r.pid})`,
        ),
      unregisterProcessFromIPC: ({ processId }, caller) =>
        this.audited('unregister', processId, caller, () => this.unregister(processId), (r) => `revoked${r.disconnected ? ', its connection closed' : ''}`),
    }
    this.streams = {
      subscribeToIPCConnections: (_params, sink) => {
        this.overviewSinks.add(sink)
        const stop = this.overviewStream.subscribe((o) => sink.next(o))
        return () => {
          this.overviewSinks.delete(sink)
          stop()
        }
      },
      subscribeToIPCTraffic: (_params, sink) => this.traffic.subscribe((batch) => sink.next(batch)),
    }
  }

  /** Listens now if enableIPC is on, then follows enableIPC and ipcConfig changes. Never rejects. */
  begin(): Promise<void> {
    this.unsubscribers.push(
      this.ctx.settings.onChange((next, prev) => {
        if (next.enableIPC !== prev.enableIPC || next.ipcConfig.socketDir !== prev.ipcConfig.socketDir) void this.follow()
      }),
    )
    return this.follow()
  }

  /** Env for a program's next run: a fresh token for `p:<name>`; the previous run's revoked and its connection closed. */
  programEnv(program: string): { PROCTOR_IPC_SOCKET: string; PROCTOR_IPC_TOKEN: string } | undefined {
    const broker = this.broker
    if (!broker) return undefined
    broker.disconnect(programId(program), 'REVOKED', `a new run of ${program} starts: this run's token is revoked`)
    const { token } = this.identities.issueProgram(program)
    return { PROCTOR_IPC_SOCKET: broker.path, PROCTOR_IPC_TOKEN: token }
  }

  /** A program removed from the registry: its token revoked, its connection closed. */
  forgetProgram(program: string): void {
    this.identities.revoke(programId(program))
    this.broker?.disconnect(programId(program), 'REVOKED', `${program} was removed from Proctor's programs: its token is revoked`)
  }

  onReady(listener: (program: string) => void): () => void {
    this.readyListeners.add(listener)
    return () => this.readyListeners.delete(listener)
  }

  lastHeartbeat(program: string): number | undefined {
    return this.broker?.connection(programId(program))?.lastHeartbeat
  }

  /** Whether the broker listens now (for the pools, which need it). */
  get isListening(): boolean {
    return this.broker !== undefined
  }

  /** The largest frame body the broker carries either way. */
  get maxFrameBytes(): number {
    return this.options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES
  }

  /** Resolves once the broker has followed the latest settings change (listening or not). */
  settled(): Promise<void> {
    return this.transitions
  }

  /**
   * Proctor's request to an endpoint, not audited: the pools send one per
   * task (the audited requestIPCResponse is the user's). UNAVAILABLE when the broker does not listen.
   */
  request(to: string, payload: unknown, timeoutMs: number): Promise<ProctorResponse> {
    if (!this.broker) return Promise.reject(new ProctorError('UNAVAILABLE', IPC_OFF_MESSAGE, { setting: 'enableIPC' }))
    return this.broker.requestFromProctor(to, payload, timeoutMs)
  }

  /** Stops listening, closes every connection, removes the socket file. */
  close(): void {
    if (this.closed) return
    this.closed = true
    for (const u of this.unsubscribers) u()
    this.overviewStream.stop()
    this.traffic.close()
    const broker = this.broker
    this.broker = undefined
    void broker?.close('Proctor is closing')
  }

  overview(): IPCOverview {
    const s = this.settings()
    const broker = this.broker
    return {
      enabled: s.enableIPC,
      listening: broker !== undefined,
      ...(broker ? { socket: broker.path } : {}),
      ...(this.problem && s.enableIPC ? { problem: this.problem } : {}),
      caps: {
        maxConnections: s.ipcConfig.maxConnections,
        maxFrameBytes: this.options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
        maxQueuedBytes: this.options.maxQueuedBytes ?? MAX_QUEUED_BYTES,
        messageTimeout: s.ipcConfig.messageTimeout,
        handshakeTimeoutMs: this.options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
      },
      connections: broker?.connections() ?? [],
      handshaking: broker?.pendingHandshakes ?? 0,
      registrations: this.identities.list((id) => broker?.isConnected(id) ?? false),
      totals: { ...this.totals },
    }
  }

  // ------------------------------------------------------------- internals

  private settings(): Settings {
    return this.ctx.settings.get()
  }

  private listening(): Broker {
    if (!this.settings().enableIPC) throw new ProctorError('UNAVAILABLE', IPC_OFF_MESSAGE, { setting: 'enableIPC' })
    if (!this.broker) throw new ProctorError('UNAVAILABLE', `the IPC broker does not listen: ${this.problem ?? 'it is starting'}`)
    return this.broker
  }

  private async register(args: { pid: number; startTime?: number | undefined; name?: string | undefined }) {
    const broker = this.listening()
    const found = checkIdentity(args, await this.ctx.inspector.inspect(args.pid))
    // Registrations of processes gone since, never connected again, are dropped here, so they cannot pile up.
    for (const r of this.identities.list((id) => broker.isConnected(id))) {
      if (r.kind === 'registered' && !r.connected && !this.processAlive(r.pid!, r.startTime)) this.identities.revoke(r.id)
    }
    const { identity, token } = this.identities.register(found.pid, found.startTime, args.name ?? found.name)
    this.pushOverview()
    return { ...identity, kind: 'registered' as const, connected: false, token, socket: broker.path }
  }

  private unregister(processId: string): { unregistered: string; disconnected: boolean } {
    const broker = this.listening()
    const identity = this.identities.get(processId)
    if (!identity) throw new ProctorError('NOT_FOUND', `no identity ${JSON.stringify(processId)} is registered for IPC`, { processId })
    if (identity.kind !== 'registered') {
      throw new ProctorError('INVALID_ARGUMENT', `${processId} is a managed program's identity: it follows the program's runs (remove the program to revoke it)`)
    }
    this.identities.revoke(processId)
    const disconnected = broker.disconnect(processId, 'REVOKED', `${processId} was unregistered from IPC: its token is revoked`)
    this.pushOverview()
    return { unregistered: processId, disconnected }
  }

  private audited<T>(verb: IPCVerb, target: string, caller: Caller, run: () => T | Promise<T>, outcome: (r: T) => string): Promise<T> {
    return audited(this.ctx.audit, { action: 'ipc', verb, target, caller }, run, outcome)
  }

  private processAlive(pid: number, startTime: number | undefined): boolean {
    const probe = this.ctx.inspector.probe(pid)
    // Where the start time cannot be read cheaply (not Linux), only that the pid is alive.
    return probe.alive && (probe.startTime === undefined || startTime === undefined || probe.startTime === startTime)
  }

  /** Listen, stop or move, one transition at a time, to match the settings. */
  private follow(): Promise<void> {
    this.transitions = this.transitions.then(() => this.apply()).catch((err: unknown) => this.ctx.log(`IPC broker: ${String(err)}`))
    return this.transitions
  }

  private async apply(): Promise<void> {
    const s = this.settings()
    const want = !this.closed && s.enableIPC ? (s.ipcConfig.socketDir ?? this.options.runtimeDir) : undefined
    if (this.broker && this.dir === want) return
    if (!this.broker && want === undefined) return
    if (this.broker) {
      const old = this.broker
      this.broker = undefined
      await old.close(want === undefined ? 'IPC was turned off (enableIPC)' : `the broker moves to ${want} (ipcConfig.socketDir)`)
      this.pushOverview()
    }
    this.dir = want
    this.problem = undefined
    if (want === undefined) return
    try {
      const broker = await Broker.start({
        dir: want,
        identities: this.identities,
        traffic: this.traffic,
        limits: () => this.settings().ipcConfig,
        maxFrameBytes: this.options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
        ...(this.options.maxQueuedBytes !== undefined ? { maxQueuedBytes: this.options.maxQueuedBytes } : {}),
        ...(this.options.handshakeTimeoutMs !== undefined ? { handshakeTimeoutMs: this.options.handshakeTimeoutMs } : {}),
        ...(this.options.stallMs !== undefined ? { stallMs: this.options.stallMs } : {}),
        processAlive: (pid, startTime) => this.processAlive(pid, startTime),
        onReady: (identity) => {
          if (identity.kind !== 'program' || identity.program === undefined) return
          for (const l of [...this.readyListeners]) {
            try {
              l(identity.program)
            } catch (err) {
              this.ctx.log(`IPC broker: a ready listener failed: ${String(err)}`)
            }
          }
        },
        onChange: () => this.pushOverview(),
        onRevoked: () => this.pushOverview(),
        totals: this.totals,
        log: this.ctx.log,
      })
      if (this.closed) {
        await broker.close('Proctor is closing')
        return
      }
      this.broker = broker
    } catch (err) {
      this.problem = (err as Error).message
      this.ctx.log(`IPC broker: cannot listen: ${this.problem}`)
    }
    this.pushOverview()
  }

  /** The overview to its subscribers now (coalesced: one per turn of the event loop), on connect and disconnect. */
  private pushOverview(): void {
    if (this.overviewSinks.size === 0 || this.overviewQueued) return
    this.overviewQueued = true
    setImmediate(() => {
      this.overviewQueued = false
      if (this.closed || this.overviewSinks.size === 0) return
      const o = this.overview()
      for (const sink of [...this.overviewSinks]) sink.next(o)
    })
  }
}
