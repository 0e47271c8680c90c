import type { CallArgs } from '../../../shared/contract'
import { portsByProcess, type PortsOf } from '../../../shared/ports/byProcess'
import type { PortTable, ProcessSockets } from '../../../shared/ports/sockets'
import type { ProcessSnapshot } from '../../../shared/types/process'
import type { Cadence } from '../cadence'
import { PolledStream } from '../polledStream'
import { checkIdentity } from '../processes/identity'
import type { Log, Service } from '../service'
import { filterEntries, toEntries } from './portTable'
import type { SocketReader } from './socketReader'

type Calls = 'listPorts' | 'getProcessSockets'
type Streams = 'subscribeToPorts'

export interface PortServiceDeps {
  /** The process table: the live one when fresh, else a new reading. */
  processes: () => Promise<ProcessSnapshot>
  /** Pids of supervised programs with the program's name; empty when there is no supervisor. */
  programs: () => Promise<ReadonlyMap<number, string>>
  reader: SocketReader
  cadence: Cadence
  log: Log
  /** Whether this engine runs as root, so sees every process's descriptors. */
  root: boolean
}

const HINT =
  "their processes belong to other users, whose descriptors only root may read: run `sudo proctor ports`, or start Proctor as root, to see who holds them"

/**
 * The port table: every TCP and UDP socket joined to the process holding it.
 * Read only while the Ports view subscribes or a call asks (listPorts, a
 * query naming `port` or `listen`); a call within a refresh of the live
 * table reuses it.
 */
export class PortService implements Service<Calls, Streams> {
  readonly stream: PolledStream<PortTable>
  private closed = false

  readonly handlers: Service<Calls>['handlers'] = {
    listPorts: async (args) => this.list(args),
    getProcessSockets: (args) => this.processSockets(args),
  }

  readonly streams: Service<never, Streams>['streams'] = {
    subscribeToPorts: (_params, sink) => this.stream.subscribe((t) => sink.next(t)),
  }

  constructor(private readonly deps: PortServiceDeps) {
    this.stream = new PolledStream(
      () => this.build(),
      () => deps.cadence.interval(),
      (err) => {
        if (!this.closed) deps.log(`reading the port table failed: ${(err as Error).message}`)
      },
      deps.cadence.grid,
    )
    deps.cadence.onChange(() => this.stream.reschedule())
  }

  /** The live table when fresh, else a new one. */
  async table(): Promise<PortTable> {
    const latest = this.stream.latest
    if (latest && Date.now() - latest.timestamp < 2 * this.deps.cadence.interval()) return latest
    return this.build()
  }

  /** Each process's ports, for a query naming `port` or `listen`. */
  async portsOf(): Promise<PortsOf> {
    return portsByProcess((await this.table()).entries)
  }

  close(): void {
    this.closed = true
    this.stream.stop()
    this.deps.reader.close()
  }

  private async list(filter: CallArgs<'listPorts'>): Promise<PortTable> {
    const table = await this.table()
    return filter === undefined ? table : { ...table, entries: filterEntries(table.entries, filter) }
  }

  async build(): Promise<PortTable> {
    const snapshot = await this.deps.processes()
    const [held, programs] = await Promise.all([this.deps.reader.readAll(snapshot.processes), this.programs()])
    const byPid = new Map(snapshot.processes.map((p) => [p.pid, p]))
    const entries = toEntries(held, byPid, programs)
    const notVisible = held.filter((h) => h.hidden).length
    return {
      timestamp: Date.now(),
      entries,
      notVisible,
      ...(notVisible > 0 && !this.deps.root ? { visibilityHint: `${notVisible} ${notVisible === 1 ? 'socket is' : 'sockets are'} listed without a process: ${HINT}` } : {}),
    }
  }

  private async processSockets(named: CallArgs<'getProcessSockets'>): Promise<ProcessSockets> {
    const snapshot = await this.deps.processes()
    const p = checkIdentity(named, snapshot.processes.find((x) => x.pid === named.pid))
    const [list, programs] = await Promise.all([this.deps.reader.readProcess(p), this.programs()])
    const inet = toEntries(list.inet, new Map([[p.pid, p]]), programs)
    return { pid: p.pid, startTime: p.startTime, inet, unix: list.unix, visible: list.visible }
  }

  private async programs(): Promise<ReadonlyMap<number, string>> {
    try {
      return await this.deps.programs()
    } catch {
      return new Map() // no supervisor: no program names, the table is whole without them
    }
  }
}
