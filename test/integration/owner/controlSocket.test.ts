import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { createConnection, type Socket } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Engine } from '../../../src/main/core/engine'
import { connectToOwner, readOwnerRecord } from '../../../src/main/core/owner/controlClient'
import { startControlServer, type ControlServer, type OwnerRecord } from '../../../src/main/core/owner/controlServer'
import { encodeFrame, FrameReader, MAX_FRAME_BYTES } from '../../../src/main/core/owner/frames'
import { NO_OWNER_MESSAGE } from '../../../src/main/core/supervisor/slice'
import { ProctorError } from '../../../src/shared/errors'
import { spawnIdle, uniqueArg, killAll } from '../../helpers/children'
import { stubRouter } from '../../helpers/stubRouter'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'

/** A raw client: frames out, frames in, and whether the server closed. */
function rawClient(path: string) {
  const socket: Socket = createConnection(path)
  const frames: Array<Record<string, unknown>> = []
  let closed = false
  const reader = new FrameReader({
    frame: (text) => frames.push(JSON.parse(text) as Record<string, unknown>),
    oversize: () => frames.push({ t: 'oversize' }),
  })
  socket.on('data', (chunk: Buffer) => reader.push(chunk))
  socket.on('error', () => {})
  socket.on('close', () => {
    closed = true
  })
  return {
    socket,
    frames,
    get closed() {
      return closed
    },
    send: (message: object) => socket.write(encodeFrame(message)),
    next: (n: number, what = `frame ${n}`) => waitFor(() => frames[n], 5000, what),
  }
}

describe("the owner's control socket", () => {
  const dataDir = tempDir()
  const runtimeDir = join(tempDir('pr-'), 'rt')
  let engine: Engine
  let server: ControlServer
  let record: OwnerRecord

  beforeAll(async () => {
    engine = new Engine({ dataDir, version: 'test', backgroundMetrics: false })
    server = await startControlServer({ router: engine.router, runtimeDir, owner: { pid: process.pid, startTicks: 0, kind: 'daemon', since: Date.now(), dataDir } })
    record = JSON.parse(readFileSync(server.ownerFile, 'utf8')) as OwnerRecord
  })
  afterAll(async () => {
    killAll()
    await server?.close()
    engine?.close()
  })

  it('lives in a folder of mode 0700; the socket is 0600, owner.json 0600 with pid, kind, since, socket and token', () => {
    expect(statSync(runtimeDir).mode & 0o777).toBe(0o700)
    const socket = statSync(server.socket)
    expect(socket.isSocket()).toBe(true)
    expect(socket.mode & 0o777).toBe(0o600)
    expect(statSync(server.ownerFile).mode & 0o777).toBe(0o600)
    expect(record).toMatchObject({ pid: process.pid, kind: 'daemon', socket: server.socket, dataDir })
    expect(record.token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(typeof record.since).toBe('number')
  })

  it('refuses a wrong token, and a first message that is no hello, with PERMISSION_DENIED, then closes', async () => {
    const wrong = rawClient(server.socket)
    wrong.send({ t: 'hello', token: 'x'.repeat(32) })
    expect(await wrong.next(0)).toMatchObject({ t: 'error', error: { code: 'PERMISSION_DENIED', message: expect.stringContaining('token is wrong') } })
    await waitFor(() => wrong.closed, 3000, 'the server to close')

    // A right hello right behind a wrong one, in the same write, is not read either.
    const both = rawClient(server.socket)
    both.socket.write(Buffer.concat([encodeFrame({ t: 'hello', token: 'y'.repeat(32) }), encodeFrame({ t: 'hello', token: record.token })]))
    await waitFor(() => both.closed, 3000, 'the server to close')
    expect(both.frames).toEqual([{ t: 'error', error: { code: 'PERMISSION_DENIED', message: expect.stringContaining('token is wrong') } }])

    const call = rawClient(server.socket)
    call.send({ t: 'call', id: 1, name: 'getAppInfo' })
    expect(await call.next(0)).toMatchObject({ t: 'error', error: { code: 'PERMISSION_DENIED', message: expect.stringContaining('hello') } })
    await waitFor(() => call.closed, 3000, 'the server to close')
    expect(call.frames).toHaveLength(1)
  })

  it('closes a connection silent for 2 s, saying why', async () => {
    const silent = rawClient(server.socket)
    const started = Date.now()
    const refusal = await silent.next(0)
    expect(refusal).toMatchObject({ t: 'error', error: { code: 'PERMISSION_DENIED', message: expect.stringContaining('within 2000 ms') } })
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900)
    await waitFor(() => silent.closed, 3000, 'the server to close')
  })

  it('answers malformed and oversize frames with errors and keeps serving the same connection', async () => {
    const c = rawClient(server.socket)
    c.send({ t: 'hello', token: record.token, client: 'raw test' })
    expect(await c.next(0)).toEqual({ t: 'ready' })
    // Not JSON.
    const text = Buffer.from('{not json', 'utf8')
    const header = Buffer.alloc(4)
    header.writeUInt32BE(text.length)
    c.socket.write(Buffer.concat([header, text]))
    expect(await c.next(1)).toMatchObject({ t: 'error', error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('not JSON') } })
    // JSON, not a message.
    c.send({ t: 'bogus', id: 7 })
    expect(await c.next(2)).toMatchObject({ t: 'error', id: 7, error: { code: 'INVALID_ARGUMENT' } })
    // Past the 16 MiB limit: skipped unread, said so.
    const big = Buffer.alloc(4 + MAX_FRAME_BYTES + 1, 0x20)
    big.writeUInt32BE(MAX_FRAME_BYTES + 1, 0)
    c.socket.write(big)
    expect(await c.next(3)).toMatchObject({ t: 'error', error: { code: 'INVALID_ARGUMENT', message: `message too large: ${MAX_FRAME_BYTES + 1} bytes (limit ${MAX_FRAME_BYTES})` } })
    // Still in step, still served.
    c.send({ t: 'call', id: 8, name: 'getAppInfo' })
    expect(await c.next(4)).toMatchObject({ t: 'result', id: 8, result: { ok: true, value: { name: 'Proctor' } } })
    c.socket.destroy()
  })

  it('serves the contract to a client with the token, recording its actions as the command line', async () => {
    const connection = await connectToOwner(runtimeDir, { client: 'proctor test, pid 1' })
    try {
      expect(connection.owner.pid).toBe(process.pid)
      expect((await connection.api.getAppInfo()).name).toBe('Proctor')
      const child = spawnIdle(uniqueArg('ctl'))
      await waitFor(() => child.pid, 2000)
      const report = await connection.api.killProcess({ pid: child.pid as number, signal: 'KILL' })
      expect(report.results[0]?.ok).toBe(true)
      const audit = await connection.api.getAuditLog({ limit: 5 })
      expect(audit.at(-1)?.caller).toEqual({ kind: 'cli', detail: 'control socket: proctor test, pid 1' })
      expect(server.connections()).toBeGreaterThanOrEqual(1)
    } finally {
      connection.close()
    }
  })

  it('replaces a socket file left by a dead server, and removes its socket and owner.json on close', async () => {
    const dir = join(tempDir('pr-'), 'rt')
    mkdirSync(dir, { mode: 0o700 })
    const path = join(dir, 'control.sock')
    // A server killed with SIGKILL leaves its socket file behind.
    const dead = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'ignore'] })
    await new Promise((r) => dead.stdout.once('data', r))
    dead.kill('SIGKILL')
    await new Promise((r) => dead.once('exit', r))
    expect(existsSync(path)).toBe(true)

    const second = await startControlServer({ router: engine.router, runtimeDir: dir, owner: { pid: process.pid, startTicks: 0, kind: 'daemon', since: Date.now(), dataDir } })
    const connection = await connectToOwner(dir)
    expect((await connection.api.getAppInfo()).name).toBe('Proctor')
    connection.close()
    await second.close()
    expect(existsSync(path)).toBe(false)
    expect(existsSync(join(dir, 'owner.json'))).toBe(false)
    expect(readOwnerRecord(dir)).toBeUndefined()
  })

  it('answers a call whose result would be over the frame limit with INTERNAL saying so, rather than a frame the client would skip', async () => {
    const dir = join(tempDir('pr-'), 'rt')
    const stub = stubRouter()
    const small = await startControlServer({ router: stub.router, runtimeDir: dir, maxFrameBytes: 1000, owner: { pid: process.pid, startTicks: 0, kind: 'daemon', since: Date.now(), dataDir } })
    const connection = await connectToOwner(dir)
    try {
      // The stub echoes its argument: a 1000-byte frame holds the call (991 bytes) but not its answer (1024).
      const err = await connection.api.findProcesses({ query: 'x'.repeat(930) }).catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/^the result could not be sent: message too large: \d+ bytes \(limit 1000\)$/) })
      expect(await connection.api.getAppInfo()).toEqual({ name: 'getAppInfo', arg: null })
    } finally {
      connection.close()
      await small.close()
    }
  })

  it('connectToOwner with no owner is UNAVAILABLE with how to start one', async () => {
    const empty = join(tempDir('pr-'), 'rt')
    const err = await connectToOwner(empty).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ProctorError)
    expect(err).toMatchObject({ code: 'UNAVAILABLE', message: NO_OWNER_MESSAGE })
  })
})
