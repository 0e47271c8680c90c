import { describe, expect, it } from 'vitest'
import { portsByProcess } from '../../../src/shared/ports/byProcess'
import type { PortEntry } from '../../../src/shared/ports/sockets'
import { compileTextQuery, formatQuery, parseQuery, QueryError, usesPorts } from '../../../src/shared/query'
import type { ProcessInfo } from '../../../src/shared/types/process'
import { proc } from './factory'

const row = (over: Partial<PortEntry>): PortEntry => ({
  protocol: 'tcp',
  family: 4,
  localAddress: '127.0.0.1',
  localPort: 0,
  remoteAddress: '',
  remotePort: 0,
  state: 'LISTEN',
  inode: 1,
  ownerStatus: 'process',
  ...over,
})
const owner = (p: ProcessInfo) => ({ pid: p.pid, startTime: p.startTime, name: p.name, user: p.user })

const web = proc({ pid: 100, name: 'web', user: 'alice' })
const client = proc({ pid: 200, name: 'curl', user: 'bob' })
const dns = proc({ pid: 300, name: 'dnsd', user: 'root' })
const idle = proc({ pid: 400, name: 'sleep', user: 'alice' })
const all = [web, client, dns, idle]
const portsOf = portsByProcess([
  row({ localPort: 3000, owner: owner(web) }),
  row({ localPort: 3000, remoteAddress: '127.0.0.1', remotePort: 51000, state: 'ESTABLISHED', owner: owner(web) }),
  row({ localPort: 51000, remoteAddress: '127.0.0.1', remotePort: 3000, state: 'ESTABLISHED', owner: owner(client) }),
  row({ protocol: 'udp', family: 6, localAddress: '::', localPort: 53, state: 'UNCONN', owner: owner(dns) }),
  // A connection the kernel keeps after its process closed it, and one whose process is not visible: nobody's.
  row({ localPort: 4000, state: 'TIME_WAIT', inode: 0, ownerStatus: 'none' }),
  row({ localPort: 5000, ownerStatus: 'not-visible' }),
])
const keep = (query: string, env: Parameters<typeof compileTextQuery>[1] = { portsOf }) => all.filter(compileTextQuery(query, env)).map((p) => p.name)

describe('port and listen in the query language', () => {
  it('port = N: some local port of the process, listening or connected from', () => {
    expect(keep('port = 3000')).toEqual(['web'])
    expect(keep('port = 51000')).toEqual(['curl'])
    expect(keep('port = 53')).toEqual(['dnsd'])
    expect(keep('port = 4000')).toEqual([])
    expect(keep('ports > 50000')).toEqual(['curl'])
    expect(keep('port < 100 or port = 51000')).toEqual(['curl', 'dnsd'])
  })

  it('port != N: processes with ports, none of them N', () => {
    expect(keep('port != 3000')).toEqual(['curl', 'dnsd'])
    expect(keep('not port = 3000')).toEqual(['curl', 'dnsd', 'sleep'])
  })

  it('listen alone, and listen = N: listeners only (TCP LISTEN, UDP bound and unconnected)', () => {
    expect(keep('listen')).toEqual(['web', 'dnsd'])
    expect(keep('LISTENING')).toEqual(['web', 'dnsd'])
    expect(keep('listen = 3000')).toEqual(['web'])
    expect(keep('listen = 51000')).toEqual([])
    expect(keep('listen and user = alice')).toEqual(['web'])
    expect(keep('"listen"', { portsOf })).toEqual([]) // quoted: a search for the word
  })

  it('user = me names the user the caller says runs Proctor', () => {
    expect(keep('listen and user = me', { portsOf, me: 'root' })).toEqual(['dnsd'])
    expect(keep('user = me', { me: 'alice' })).toEqual(['web', 'sleep'])
    expect(keep('user = me', {})).toEqual([]) // no one said who: `me` is a name like any other
  })

  it('matches nothing when no ports were read, and checks the identity, not the pid alone', () => {
    expect(keep('port = 3000', {})).toEqual([])
    expect(keep('listen', {})).toEqual([])
    const reused = proc({ pid: 100, name: 'web', startTime: web.startTime + 1 })
    expect(compileTextQuery('port = 3000', { portsOf })(reused)).toBe(false)
  })

  it('says which queries need ports, so nobody reads them for the others', () => {
    expect(usesPorts(parseQuery('port = 3000'))).toBe(true)
    expect(usesPorts(parseQuery('cpu > 5 or not (listen and user = root)'))).toBe(true)
    expect(usesPorts(parseQuery('cpu > 5 and name =~ port'))).toBe(false)
    expect(usesPorts(parseQuery('"listen" port'))).toBe(false)
  })

  it('round-trips through formatQuery; the word listen is quoted when meant as text', () => {
    for (const q of ['port = 3000', 'listen', 'listen >= 1024 and not port = 22', 'name = "listen"']) {
      expect(parseQuery(formatQuery(parseQuery(q)))).toEqual(parseQuery(q))
    }
    expect(formatQuery({ kind: 'text', text: 'listen' })).toBe('"listen"')
  })

  it('refuses what is not a port, saying where', () => {
    const fail = (q: string) => {
      try {
        parseQuery(q)
      } catch (err) {
        return err instanceof QueryError ? [err.message, err.position] : String(err)
      }
      return 'parsed'
    }
    expect(fail('port = http')).toEqual(["'port' needs a port number from 0 to 65535, got 'http' at position 7", 7])
    expect(fail('port = 65536')).toEqual(["'port' needs a port number from 0 to 65535, got '65536' at position 7", 7])
    expect(fail('listen = 8.5')).toEqual(["'listen' needs a port number from 0 to 65535, got '8.5' at position 9", 9])
    expect(fail('port =~ 80')).toEqual(["'=~' does not apply to port field 'port' at position 5 (use =, !=, >, >=, <, <=)", 5])
    expect(fail('port =')).toEqual(["expected a port number after '=' at position 6", 6])
  })
})
