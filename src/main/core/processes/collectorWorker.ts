import { parentPort, workerData } from 'node:worker_threads'
import { InlineCollector } from './collector'
import type { AdapterSetting } from './factory'
import type { WorkerReply, WorkerRequest } from './workerProtocol'

/**
 * The collection thread: the synchronous /proc reader blocks its thread for
 * tens of milliseconds with thousands of processes, so it runs here and the
 * engine's thread only receives finished snapshots.
 */
const port = parentPort
if (!port) throw new Error('collectorWorker must run as a worker thread')

const collector = new InlineCollector((workerData as { adapter: AdapterSetting }).adapter)
port.postMessage({ t: 'ready', adapterKind: collector.adapterKind } satisfies WorkerReply)

port.on('message', (msg: WorkerRequest) => {
  void handle(msg).then(
    (reply) => port.postMessage(reply),
    (err: unknown) => port.postMessage({ t: 'error', id: msg.id, message: (err as Error).message } satisfies WorkerReply),
  )
})

async function handle(msg: WorkerRequest): Promise<WorkerReply> {
  switch (msg.t) {
    case 'collect':
      return { t: 'snapshot', id: msg.id, snapshot: await collector.collect() }
    case 'adapter':
      await collector.setAdapter(msg.adapter)
      return { t: 'adapter', id: msg.id, adapterKind: collector.adapterKind }
  }
}
