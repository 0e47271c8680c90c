import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomInt } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { probeCommand, probeHttp, probeTcp } from '../../../src/main/core/health/probes'
import { scanProcs } from '../../../src/main/core/supervisor/procTree'
import { waitFor } from '../../helpers/wait'
import { closedPort, connections, httpServer, tcpServer } from './servers'

const range = { min: 200, max: 399 }

/** Living processes whose command line holds `word`, and zombies left to this process. */
async function leftovers(word: string): Promise<{ living: number[]; zombies: number[] }> {
  const procs = await scanProcs()
  const living = procs.filter((p) => {
    if (p.zombie) return false
    try {
      return readFileSync(`/proc/${p.pid}/cmdline`, 'latin1').replace(/\0/g, ' ').includes(word)
    } catch {
      return false
    }
  })
  return { living: living.map((p) => p.pid), zombies: procs.filter((p) => p.zombie && p.ppid === process.pid).map((p) => p.pid) }
}

/** A sleep whose argument no other process has, to find it by its command line. */
function uniqueSleep(): string {
  return `30.${randomInt(100_000, 999_999)}`
}

describe('probeHttp', () => {
  it('passes on a status in range, fails on one outside, and keeps no connection open', async () => {
    const web = await httpServer(200)
    const ok = await probeHttp({ url: web.url, status: range }, 2000)
    expect(ok.ok).toBe(true)
    expect(ok.detail).toMatch(/^HTTP 200 in \d+ ms$/)
    web.status = 503
    const bad = await probeHttp({ url: web.url, status: range }, 2000)
    expect(bad).toEqual({ ok: false, detail: 'HTTP 503 (expected 200-399)' })
    expect(web.requests).toBe(2)
    // Not pooled, body not waited for: the server sees each socket closed.
    await waitFor(async () => (await connections(web.server)) === 0, 2000, 'connections closed')
  })

  it('takes the range given', async () => {
    const web = await httpServer(404)
    expect((await probeHttp({ url: web.url, status: { min: 404, max: 404 } }, 2000)).ok).toBe(true)
  })

  it('says connection refused on a closed port', async () => {
    const port = await closedPort()
    expect(await probeHttp({ url: `http://127.0.0.1:${port}/`, status: range }, 2000)).toEqual({ ok: false, detail: 'connection refused' })
  })

  it('fails after its timeout when the server never answers, and closes the socket', async () => {
    const server: Server = createServer(() => {
      // never answers
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const started = Date.now()
      const outcome = await probeHttp({ url: `http://127.0.0.1:${port}/`, status: range }, 200)
      expect(outcome).toEqual({ ok: false, detail: 'timed out after 200 ms' })
      expect(Date.now() - started).toBeLessThan(1000)
      await waitFor(async () => (await connections(server)) === 0, 2000, 'connection closed')
    } finally {
      server.close()
    }
  })
})

describe('probeTcp', () => {
  it('passes when a connection is accepted, and says connection refused when not', async () => {
    const tcp = await tcpServer()
    const ok = await probeTcp({ host: '127.0.0.1', port: tcp.port }, 1000)
    expect(ok.ok).toBe(true)
    expect(ok.detail).toMatch(/^connected in \d+ ms$/)
    expect(tcp.accepted).toBe(1)
    expect(await probeTcp({ host: '127.0.0.1', port: await closedPort() }, 1000)).toEqual({ ok: false, detail: 'connection refused' })
  })
})

describe('probeCommand', () => {
  it('passes on exit 0 and fails on another exit, quoting the last line of output', async () => {
    expect((await probeCommand({ command: 'true', args: [], shell: false }, 2000)).detail).toMatch(/^exit 0 in \d+ ms$/)
    expect(await probeCommand({ command: 'false', args: [], shell: false }, 2000)).toEqual({ ok: false, detail: 'exit 1' })
    const said = await probeCommand({ command: 'echo out; echo "db down" >&2; echo >&2; exit 3', args: [], shell: true }, 2000)
    expect(said).toEqual({ ok: false, detail: 'exit 3: db down' })
  })

  it('runs an argv without a shell: metacharacters stay plain arguments', async () => {
    const outcome = await probeCommand({ command: 'sh', args: ['-c', 'echo "$1"; exit 0', 'sh', '$(false); exit 7'], shell: false }, 2000)
    expect(outcome.ok).toBe(true)
    expect(outcome.detail).toMatch(/: \$\(false\); exit 7$/)
  })

  it('passes args to a shell line as $1...', async () => {
    expect(await probeCommand({ command: 'exit "$1"', args: ['4'], shell: true }, 2000)).toEqual({ ok: false, detail: 'exit 4' })
  })

  it('bounds the quoted line', async () => {
    const outcome = await probeCommand({ command: 'head -c 5000 /dev/zero | tr "\\0" a; exit 2', args: [], shell: true }, 2000)
    expect(outcome.detail.length).toBeLessThanOrEqual('exit 2: '.length + 200)
  })

  it('says when the command does not exist', async () => {
    expect(await probeCommand({ command: 'no-such-command-proctor', args: [], shell: false }, 2000)).toEqual({
      ok: false,
      detail: 'cannot run no-such-command-proctor: not found',
    })
  })

  it('kills the whole process group on timeout, and leaves nothing behind', async () => {
    const d = uniqueSleep()
    const started = Date.now()
    const outcome = await probeCommand({ command: `sleep ${d} & sleep ${d}`, args: [], shell: true }, 300)
    expect(outcome).toEqual({ ok: false, detail: 'timed out after 300 ms (killed)' })
    expect(Date.now() - started).toBeLessThan(2000)
    expect(await leftovers(`sleep ${d}`)).toEqual({ living: [], zombies: [] })
  })

  it('ends what a passing command left running in its group, without waiting for it', async () => {
    const d = uniqueSleep()
    const started = Date.now()
    const outcome = await probeCommand({ command: `sleep ${d} & echo started`, args: [], shell: true }, 5000)
    expect(outcome.ok).toBe(true)
    expect(Date.now() - started).toBeLessThan(2000)
    await waitFor(async () => (await leftovers(`sleep ${d}`)).living.length === 0, 2000, 'the background sleep gone')
  })

  it('is cancelled by its signal: the group is killed at once', async () => {
    const d = uniqueSleep()
    const abort = new AbortController()
    const pending = probeCommand({ command: 'sleep', args: [d], shell: false }, 10_000, abort.signal)
    await waitFor(async () => (await leftovers(`sleep ${d}`)).living.length === 1, 2000, 'the sleep running')
    const started = Date.now()
    abort.abort()
    expect(await pending).toEqual({ ok: false, detail: 'cancelled' })
    expect(Date.now() - started).toBeLessThan(1000)
    expect(await leftovers(`sleep ${d}`)).toEqual({ living: [], zombies: [] })
  })
})

