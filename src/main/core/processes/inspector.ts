import type { ProcessInfo } from '../../../shared/types/process'
import type { ProcessAdapter } from './adapter'
import { createProcessAdapter, resolveAdapterKind, type AdapterSetting } from './factory'
import { LinuxInspector } from './linux/linuxInspector'
import type { SettingsSource } from '../service'
import { pidExists } from './signalZero'

/**
 * One process read now, for an action: its identity, what the safety
 * checks look at, and what the audit log and messages name. Reading it
 * never goes through the live collector, so an action neither records a
 * history point off the refresh cadence nor shifts the live stream's CPU
 * baseline.
 */
export type InspectedProcess = Pick<
  ProcessInfo,
  'pid' | 'ppid' | 'startTime' | 'name' | 'command' | 'user' | 'uid' | 'state' | 'nice' | 'kernelThread'
> & { exe?: string }

/** What can be learnt about one pid right now, cheaply, between the steps of an action. */
export interface ProbeResult {
  alive: boolean
  /** Known on Linux; elsewhere the identity cannot be re-checked this cheaply. */
  startTime?: number
  zombie?: boolean
  nice?: number
}

/** The platform's way to look at single processes; one per platform, like the adapters. */
export interface ProcessInspector {
  /** The process on `pid` now, or undefined when the pid runs nothing. */
  inspect(pid: number): Promise<InspectedProcess | undefined>
  /** Its descendants now, deepest first (the order to end them in). */
  descendants(pid: number): Promise<InspectedProcess[]>
  /** Alive (a zombie counts as gone) and, where cheap, the start time: polled during an action. */
  probe(pid: number): ProbeResult
  /** Thread ids, so renice reaches every thread (Linux); elsewhere the pid itself. */
  threads(pid: number): number[]
}

/**
 * Where a process cannot be read alone (macOS's ps, systeminformation):
 * one listing by an adapter of its own, apart from the live collector's.
 */
export class ListingInspector implements ProcessInspector {
  constructor(private readonly adapter: ProcessAdapter) {}

  async inspect(pid: number): Promise<InspectedProcess | undefined> {
    return (await this.adapter.sample()).processes.find((p) => p.pid === pid)
  }

  async descendants(pid: number): Promise<InspectedProcess[]> {
    return descendantsDeepestFirst(pid, (await this.adapter.sample()).processes)
  }

  probe(pid: number): ProbeResult {
    return { alive: pidExists(pid) }
  }

  threads(pid: number): number[] {
    return [pid]
  }
}

export function createInspector(setting: AdapterSetting): ProcessInspector {
  if (resolveAdapterKind(setting) === 'linux') return new LinuxInspector()
  return new ListingInspector(createProcessAdapter(setting))
}

/** The inspector of the platform adapter the settings name, following the setting when it changes. */
export class SettingInspector implements ProcessInspector {
  private current: ProcessInspector

  constructor(settings: SettingsSource) {
    this.current = createInspector(settings.get().platformAdapter)
    settings.onChange((next, prev) => {
      if (next.platformAdapter !== prev.platformAdapter) this.current = createInspector(next.platformAdapter)
    })
  }

  inspect(pid: number): Promise<InspectedProcess | undefined> {
    return this.current.inspect(pid)
  }

  descendants(pid: number): Promise<InspectedProcess[]> {
    return this.current.descendants(pid)
  }

  probe(pid: number): ProbeResult {
    return this.current.probe(pid)
  }

  threads(pid: number): number[] {
    return this.current.threads(pid)
  }
}

/** Descendants of pid in a listing, deepest first (the order to end them in). */
export function descendantsDeepestFirst<P extends Pick<ProcessInfo, 'pid' | 'ppid'>>(pid: number, processes: readonly P[]): P[] {
  const children = new Map<number, P[]>()
  for (const p of processes) {
    if (p.pid === p.ppid) continue
    const list = children.get(p.ppid)
    if (list) list.push(p)
    else children.set(p.ppid, [p])
  }
  return walkDeepestFirst(pid, (parent) => children.get(parent) ?? [])
}

/** A tree walk from pid by a children-of function: every descendant once, children before their parent. */
export function walkDeepestFirst<P extends { pid: number }>(pid: number, childrenOf: (pid: number) => readonly P[]): P[] {
  const order: P[] = []
  const seen = new Set<number>([pid])
  const stack = [...childrenOf(pid)]
  while (stack.length > 0) {
    const p = stack.pop() as P
    if (seen.has(p.pid)) continue
    seen.add(p.pid)
    order.push(p)
    stack.push(...childrenOf(p.pid))
  }
  // Pre-order has every parent before its children; reversed, children come first.
  return order.reverse()
}
