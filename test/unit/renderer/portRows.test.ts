import { describe, expect, it } from 'vitest'
import { COPY_ADDRESS, nextPortSort, OPEN_IN_BROWSER, portMenu, portRowKey, portRows } from '../../../src/renderer/src/processes/ports/portRows'
import { compileSearch, searchUsesPorts } from '../../../src/renderer/src/processes/processFilter'
import { formatEndpoint, localUrl, ownerLabel } from '../../../src/shared/ports/endpoint'
import { portsByProcess } from '../../../src/shared/ports/byProcess'
import type { PortEntry } from '../../../src/shared/ports/sockets'
import { processMenu } from '../../../src/shared/process/menu'
import type { ProcessInfo } from '../../../src/shared/types/process'
import { proc } from './fixtures'

const web = proc({ pid: 100, name: 'web', user: 'alice' })
const db = proc({ pid: 200, name: 'postgres', user: 'postgres' })
const byPid = new Map<number, ProcessInfo>([web, db].map((p) => [p.pid, p]))
const row = (over: Partial<PortEntry>): PortEntry => ({
  protocol: 'tcp', family: 4, localAddress: '0.0.0.0', localPort: 0, remoteAddress: '', remotePort: 0, state: 'LISTEN', inode: 1, ownerStatus: 'process', ...over,
})
const owned = (p: ProcessInfo) => ({ owner: { pid: p.pid, startTime: p.startTime, name: p.name, user: p.user } })
const entries = [
  row({ localPort: 5432, ...owned(db) }),
  row({ localPort: 3000, family: 6, localAddress: '::', ...owned(web) }),
  row({ protocol: 'udp', localPort: 3000, state: 'UNCONN', inode: 2, ...owned(web) }),
  row({ localPort: 22, ownerStatus: 'not-visible', inode: 3 }),
]

describe('the Ports view’s rows', () => {
  it('sorts by port by default, then by column, either way', () => {
    const sort = { key: 'port', descending: false } as const
    expect(portRows(entries, byPid, undefined, sort).map((e) => e.localPort)).toEqual([22, 3000, 3000, 5432])
    expect(portRows(entries, byPid, undefined, nextPortSort(sort, 'port')).map((e) => e.localPort)).toEqual([5432, 3000, 3000, 22])
    expect(portRows(entries, byPid, undefined, nextPortSort(sort, 'process')).map((e) => e.owner?.name ?? '-')).toEqual(['postgres', 'web', 'web', '-'])
  })

  it('keeps the rows whose process matches the search; a row without a process only when nothing filters', () => {
    const search = compileSearch('user = alice')
    expect(portRows(entries, byPid, search.matches, { key: 'port', descending: false }).map(portRowKey)).toEqual([portRowKey(entries[1]!), portRowKey(entries[2]!)])
    // A process seen with another start time (a reused pid) is not the row's.
    const reused = new Map([[100, { ...web, startTime: web.startTime + 5 }]])
    expect(portRows(entries, reused, compileSearch('web').matches, { key: 'port', descending: false })).toEqual([])
  })

  it('gives a row its own items, then its process’s; Open only for a TCP listener', () => {
    const ownItems = (e: PortEntry) => portMenu(e, undefined).map((m) => ('id' in m ? m.label : '—'))
    expect(ownItems(entries[1]!)).toEqual(['Copy address [::]:3000', 'Open http://localhost:3000/'])
    expect(ownItems(entries[2]!)).toEqual(['Copy address 0.0.0.0:3000'])
    expect(ownItems(row({ localPort: 40000, remoteAddress: '10.0.0.1', remotePort: 443, state: 'ESTABLISHED' }))).toEqual(['Copy address 0.0.0.0:40000'])
    const withProcess = portMenu(entries[1]!, processMenu(web, { desktop: false, view: 'table' }))
    expect(withProcess.slice(0, 4).map((m) => ('id' in m ? m.id : '—'))).toEqual([COPY_ADDRESS, OPEN_IN_BROWSER, '—', 'terminate'])
  })

  it('writes addresses as a browser does and says why a row has no process', () => {
    expect(formatEndpoint('::1', 8080)).toBe('[::1]:8080')
    expect(formatEndpoint('127.0.0.1', 8080)).toBe('127.0.0.1:8080')
    expect(localUrl(row({ localAddress: '127.0.0.1', localPort: 5173 }))).toBe('http://127.0.0.1:5173/')
    expect(localUrl(row({ localAddress: '::1', localPort: 5173 }))).toBe('http://[::1]:5173/')
    expect(localUrl(row({ localAddress: '*', localPort: 7000 }))).toBe('http://localhost:7000/')
    expect(ownerLabel(entries[3]!)).toBe('owner not visible')
    expect(ownerLabel(row({ ownerStatus: 'none', state: 'TIME_WAIT' }))).toBe('no process (kernel)')
    expect(ownerLabel({ ownerStatus: 'process', owner: { pid: 1, startTime: 1, name: 'node', user: 'a', program: 'api' } })).toBe('node (api)')
  })
})

describe('the search box with ports', () => {
  it('knows when the search needs the port table, and answers port from it', () => {
    expect(searchUsesPorts('port = 3000')).toBe(true)
    expect(searchUsesPorts('listen and user = me')).toBe(true)
    expect(searchUsesPorts('port =')).toBe(false) // unfinished: nothing to read yet
    expect(searchUsesPorts('cpu > 5')).toBe(false)
    const portsOf = portsByProcess(entries)
    const search = compileSearch('listen = 5432 or (port = 3000 and user = me)', { portsOf, me: 'alice' })
    expect([web, db].filter(search.matches!).map((p) => p.name)).toEqual(['web', 'postgres'])
  })
})
