import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { Worker, type WorkerOptions } from 'node:worker_threads'
import type { ProcessSnapshot } from '../../../shared/types/process'
import { ProctorError } from '../../../shared/errors'
import type { ProcessCollector } from './collector'
import { resolveAdapterKind, type AdapterKind, type AdapterSetting } from './factory'
import type { WorkerReply, WorkerRequest } from './workerProtocol'

/**
 * The worker's code: next to the bundle when built (electron-vite emits
 * out/main/collectorWorker.js beside index.js), else the TypeScript source
 * (tsx, vitest), loaded through tsx's require hook.
 */
function startWorker(options: WorkerOptions): Worker {
  const built = join(__dirname, 'collectorWorker.js')
  if (existsSync(built)) return new Worker(built, options)
  const source = join(__dirname, 'collectorWorker.ts')
  const tsx = createRequire(join(__dirname, 'index.js')).resolve('tsx/cjs')
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)})`, { ...options, eval: true })
}

/** Collects in a worker thread; restarts it if it dies. */
export class WorkerCollector implements ProcessCollector {
  private worker: Worker | undefined
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>()
  private nextId = 1
  private kind: AdapterKind
  private closed = false

  constructor(private setting: AdapterSetting) {
    this.kind = resolveAdapterKind(setting)
  }

  get adapterKind(): AdapterKind {
    return this.kind
  }

  async collect(): Promise<ProcessSnapshot> {
    const reply = await this.request({ t: 'collect', id: 0 })
    if (reply.t !== 'snapshot') throw new ProctorError('INTERNAL', `collector answered ${reply.t}`)
    return reply.snapshot
  }

  async setAdapter(setting: AdapterSetting): Promise<void> {
    this.setting = setting
    const reply = await this.request({ t: 'adapter', id: 0, adapter: setting })
    if (reply.t === 'adapter') this.kind = reply.adapterKind
  }

  close(): void {
    this.closed = true
    void this.worker?.terminate()
    this.worker = undefined
    this.failAll('the process collector was closed')
  }

  private request(msg: WorkerRequest): Promise<WorkerReply> {
    if (this.closed) return Promise.reject(new ProctorError('UNAVAILABLE', 'the process collector is closed'))
    const worker = this.worker ?? this.start()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.postMessage({ ...msg, id })
    })
  }

  private start(): Worker {
    const worker = startWorker({
      workerData: { adapter: this.setting },
      // The reader keeps small buffers; a tight heap keeps the thread cheap.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    })
    worker.unref()
    worker.on('message', (reply: WorkerReply) => {
      if (reply.t === 'ready') {
        this.kind = reply.adapterKind
        return
      }
      const waiter = this.pending.get(reply.id)
      this.pending.delete(reply.id)
      if (!waiter) return
      if (reply.t === 'error') waiter.reject(new ProctorError('UNAVAILABLE', `process collection failed: ${reply.message}`))
      else waiter.resolve(reply)
    })
    const lost = (why: string) => {
      if (this.worker !== worker) return
      this.worker = undefined
      this.failAll(why)
    }
    worker.on('error', (err) => lost(`the process collector failed: ${err.message}`))
    worker.on('exit', (code) => lost(`the process collector stopped (exit ${code})`))
    this.worker = worker
    return worker
  }

  private failAll(message: string): void {
    for (const { reject } of this.pending.values()) reject(new ProctorError('UNAVAILABLE', message))
    this.pending.clear()
  }
}
