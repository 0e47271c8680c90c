import { createConnection, type Socket } from 'node:net'
import { join } from 'node:path'
import { FrameDecoder, FrameError } from '../../../src/shared/broker/frameCodec'
import type { SettingsPatch } from '../../../src/shared/settings'
import { BrokerService, type BrokerServiceOptions } from '../../../src/main/core/broker/brokerService'
import { Cadence } from '../../../src/main/core/cadence'
import { AuditLog } from '../../../src/main/core/control/auditLog'
import { SettingInspector } from '../../../src/main/core/processes/inspector'
import { SettingsStore } from '../../../src/main/core/settings/settingsStore'
import { frameBuffer } from '../../../src/main/core/broker/wire'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'

/**
 * A real BrokerService on real settings, audit log and process inspector in
 * a temp data folder, its socket in a fresh 0700 runtime folder.
 */
export interface Harness {
  service: BrokerService
  store: SettingsStore
  audit: AuditLog
  dataDir: string
  runtimeDir: string
  logs: string[]
  socket: () => string
  close: () => void
}

export async function startBroker(settings: SettingsPatch = {}, options: Partial<BrokerServiceOptions> = {}): Promise<Harness> {
  const dataDir = tempDir()
  const runtimeDir = join(tempDir('pb-'), 'rt')
  const store = new SettingsStore(dataDir)
  store.update({ enableIPC: true, ...settings })
  const audit = new AuditLog(dataDir)
  const logs: string[] = []
  const service = new BrokerService(
    { dataDir, settings: store, cadence: new Cadence(store), audit, inspector: new SettingInspector(store), log: (m) => logs.push(m) },
    { runtimeDir, ...options },
  )
  await service.begin()
  return {
    service,
    store,
    audit,
    dataDir,
    runtimeDir,
    logs,
    socket: () => {
      const s = service.overview().socket
      if (!s) throw new Error(`the broker does not listen: ${service.overview().problem ?? '?'}`)
      return s
    },
    close: () => service.close(),
  }
}

export type Frame = Record<string, unknown>

/** A raw client on a real socket: bytes or frames out, frames in, and whether the broker closed it. */
export class RawClient {
  readonly socket: Socket
  readonly frames: Frame[] = []
  closed = false
  private readonly decoder = new FrameDecoder(64 * 1024 * 1024)

  constructor(path: string) {
    this.socket = createConnection(path)
    this.socket.on('data', (chunk: Buffer) => {
      try {
        for (const text of this.decoder.push(chunk)) this.frames.push(JSON.parse(text) as Frame)
      } catch (err) {
        if (!(err instanceof FrameError)) throw err
        this.frames.push({ t: 'undecodable', error: err.message })
      }
    })
    this.socket.on('error', () => {})
    this.socket.on('close', () => (this.closed = true))
  }

  static async hello(path: string, token: string): Promise<RawClient> {
    const c = new RawClient(path)
    c.send({ t: 'hello', token })
    await c.next((f) => f.t === 'welcome' || f.t === 'error', 'welcome')
    return c
  }

  get welcome(): Frame | undefined {
    return this.frames.find((f) => f.t === 'welcome')
  }

  send(message: object): void {
    this.socket.write(frameBuffer(message, 64 * 1024 * 1024))
  }

  write(bytes: Uint8Array | string): void {
    this.socket.write(bytes)
  }

  /** The first frame (after `from`) matching `match`. */
  next(match: (f: Frame) => boolean, what = 'a frame', timeoutMs = 5000): Promise<Frame> {
    return waitFor(() => this.frames.find(match), timeoutMs, what)
  }

  /** The fatal error frame and the close that follows it. */
  async refusal(timeoutMs = 5000): Promise<Frame> {
    const f = await this.next((x) => x.t === 'error' && x.fatal === true, 'a fatal error frame', timeoutMs)
    await waitFor(() => this.closed, timeoutMs, 'the broker to close the connection')
    return f
  }

  destroy(): void {
    this.socket.destroy()
  }
}
