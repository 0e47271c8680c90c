import { parseArgs } from 'node:util'
import type { PortFilter } from '../../shared/contract/ports'
import { localEndpoint, ownerLabel, protocolLabel, remoteEndpoint } from '../../shared/ports/endpoint'
import type { PortEntry, PortTable } from '../../shared/ports/sockets'
import { connectToOwner } from '../core/owner/controlClient'
import { runtimeDirFor } from '../core/owner/runtimeDir'
import { cliApi, COMMON, engineFor, intArg, parse, UsageError } from './args'
import { dataDirOf } from './owner'
import { textTable } from './table'

/**
 * `proctor ports [--json] [--port N] [--listen] [--protocol tcp|udp]`: every
 * TCP and UDP socket with the process holding it, read in this process
 * (as `ps` reads processes); supervised programs are named when an owner runs.
 */
export async function ports(args: string[]): Promise<number> {
  const { values } = parse(() =>
    parseArgs({
      args,
      strict: true,
      options: { ...COMMON, json: { type: 'boolean' }, port: { type: 'string' }, listen: { type: 'boolean' }, protocol: { type: 'string' } },
    }),
  )
  const filter: PortFilter = {}
  if (values.port !== undefined) filter.port = intArg(values.port, '--port', 0, 65535)
  if (values.listen) filter.listen = true
  if (values.protocol !== undefined) {
    if (values.protocol !== 'tcp' && values.protocol !== 'udp') throw new UsageError(`--protocol takes tcp or udp, not ${JSON.stringify(values.protocol)}`)
    filter.protocol = values.protocol
  }
  const dataDir = dataDirOf(values['data-dir'])
  const engine = engineFor(dataDir, { collector: 'inline', backgroundMetrics: false })
  try {
    const table = await cliApi(engine).listPorts(filter)
    await nameSupervised(table, dataDir)
    if (values.json) process.stdout.write(`${JSON.stringify(table.entries)}\n`)
    else process.stdout.write(`${formatPorts(table.entries).join('\n')}\n`)
    if (table.visibilityHint) process.stderr.write(`proctor: ${table.visibilityHint}\n`)
    return 0
  } finally {
    engine.close()
  }
}

/** Adds the program names of the owner's supervised processes, when an owner runs; without one the table stands as it is. */
async function nameSupervised(table: PortTable, dataDir: string): Promise<void> {
  let connection
  try {
    connection = await connectToOwner(runtimeDirFor(dataDir), { client: 'proctor ports' })
  } catch {
    return
  }
  try {
    const { programs } = await connection.api.listPrograms()
    const byPid = new Map(programs.flatMap((p) => p.pids.map((pid) => [pid, p.name] as const)))
    for (const e of table.entries) {
      const program = e.owner ? byPid.get(e.owner.pid) : undefined
      if (e.owner && program !== undefined) e.owner.program = program
    }
  } catch {
    // The owner went away meanwhile: the names are a nicety.
  } finally {
    connection.close()
  }
}

/** The table for people: one socket a line, as ss lays it out, with who holds it. */
export function formatPorts(entries: readonly PortEntry[]): string[] {
  const rows = entries.map((e) => [
    protocolLabel(e),
    localEndpoint(e),
    remoteEndpoint(e) || '*',
    e.state,
    e.owner ? String(e.owner.pid) : '-',
    e.owner?.user ?? '-',
    ownerLabel(e),
  ])
  return textTable(['PROTO', 'LOCAL', 'REMOTE', 'STATE', 'PID', 'USER', 'PROCESS'], rows, new Set([4]))
}
