import { buildSync } from 'esbuild'
import { join, resolve } from 'node:path'
import { takeOwnership, type Ownership } from '../../../src/main/core/owner/ownership'
import type { ProctorApi } from '../../../src/shared/contract'
import { createApi } from '../../../src/shared/rpc/client'
import { inProcessTransport } from '../../../src/shared/rpc/inProcess'
import type { SettingsPatch } from '../../../src/shared/settings'
import { dataDirWith } from '../../helpers/dataDir'
import { tempDir } from '../../helpers/tempDir'

const ROOT = resolve(__dirname, '../../..')

let bundled: string | undefined
/** The worker fixture bundled once per test file into plain CommonJS: node starts it in a fraction of tsx's time. */
export function workerScript(): string {
  if (bundled) return bundled
  // Outside the checkout: the bundle needs nothing but node's own modules.
  const outfile = join(tempDir('pw-'), 'pool-worker.cjs')
  buildSync({ entryPoints: [join(ROOT, 'test/fixtures/scripts/poolWorker.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' })
  bundled = outfile
  return outfile
}

export interface PoolOwner {
  owner: Ownership
  api: ProctorApi
  dataDir: string
  runtimeDir: string
  close(): Promise<void>
}

/** An owner engine (as `proctor daemon` builds it) with pooling and IPC on, and the contract in process. */
export async function poolOwner(settings: SettingsPatch = {}, dataDir = dataDirWith({ enableIPC: true, enablePooling: true, ...settings })): Promise<PoolOwner> {
  const runtimeDir = join(tempDir('pp-'), 'rt')
  const owner = await takeOwnership({ dataDir, runtimeDir, kind: 'daemon', engineOptions: { version: 'test', backgroundMetrics: false, log: () => {} } })
  return { owner, api: createApi(inProcessTransport(owner.engine.router)), dataDir, runtimeDir, close: () => owner.close() }
}

/** A pool config running the worker fixture. */
export function workerConfig(extra: Record<string, unknown> = {}) {
  return { workerCommand: process.execPath, workerArgs: [workerScript()], ...extra }
}

/** Whether a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
