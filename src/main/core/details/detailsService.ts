import { ProctorError } from '../../../shared/errors'
import { isSecretName, withheldSecrets } from '../../../shared/details/environment'
import type { Readable } from '../../../shared/details/types'
import type { ProcessInspector } from '../processes/inspector'
import { checkIdentity, type NamedProcess } from '../processes/identity'
import type { Service } from '../service'
import { LinuxDetails, type DetailsReader } from './linuxDetails'
import { LsofDetails } from './lsofDetails'

type Calls = 'getOpenFiles' | 'getEnvironment' | 'revealEnvironmentVariable' | 'getThreads' | 'getMemoryMaps' | 'getCgroup'

export interface DetailsServiceDeps {
  inspector: ProcessInspector
  /** Left out: the platform's (/proc on Linux, lsof elsewhere). */
  reader?: DetailsReader
}

/**
 * One process looked at closely, for the details panel's tabs: each call
 * reads now, for the process the user saw. The identity is checked before
 * the read and again after it, so a pid that changed hands meanwhile
 * answers STALE_PROCESS, never another process's files or environment.
 * Secret-looking environment values stay in the engine until revealed one
 * by one.
 */
export class DetailsService implements Service<Calls> {
  private readonly reader: DetailsReader

  readonly handlers: Service<Calls>['handlers'] = {
    getOpenFiles: (args) => this.read(args, () => this.reader.openFiles(args.pid)),
    getEnvironment: (args) => this.read(args, async () => mapReadable(await this.reader.environment(args.pid), withheldSecrets)),
    revealEnvironmentVariable: (args) => this.read(args, () => this.reveal(args.pid, args.name)),
    getThreads: (args) => this.read(args, () => this.reader.threads(args.pid, `${args.pid}:${args.startTime}`)),
    getMemoryMaps: (args) => this.read(args, () => this.reader.memoryMaps(args.pid)),
    getCgroup: (args) => this.read(args, () => this.reader.cgroup(args.pid)),
  }
  readonly streams = {}

  constructor(private readonly deps: DetailsServiceDeps) {
    this.reader = deps.reader ?? (process.platform === 'linux' ? new LinuxDetails() : new LsofDetails())
  }

  private async read<T>(named: NamedProcess & { startTime: number }, read: () => Promise<T>): Promise<T> {
    checkIdentity(named, await this.deps.inspector.inspect(named.pid))
    const value = await read()
    // The pid may have been reused while it was read: then what was read is another process's.
    const after = this.deps.inspector.probe(named.pid)
    if (after.startTime !== undefined && after.startTime !== named.startTime) checkIdentity(named, await this.deps.inspector.inspect(named.pid))
    return value
  }

  private async reveal(pid: number, name: string): Promise<string> {
    const env = await this.reader.environment(pid)
    if (!env.permitted) throw new ProctorError('PERMISSION_DENIED', env.reason, { pid, elevationPossible: false })
    const found = env.value.find(([n]) => n === name)
    if (!found) {
      throw new ProctorError('NOT_FOUND', `name: process ${pid} has no environment variable ${JSON.stringify(name)}`, { pid, field: 'name', secret: isSecretName(name) })
    }
    return found[1]
  }
}

function mapReadable<T, U>(r: Readable<T>, f: (value: T) => U): Readable<U> {
  return r.permitted ? { permitted: true, value: f(r.value) } : r
}
