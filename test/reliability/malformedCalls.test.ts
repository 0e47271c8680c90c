import { join } from 'node:path'
import fc from 'fast-check'
import WebSocket from 'ws'
import { afterAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { Engine } from '../../src/main/core/engine'
import { connectToOwner } from '../../src/main/core/owner/controlClient'
import { startControlServer } from '../../src/main/core/owner/controlServer'
import { startHost } from '../../src/main/host/host'
import { callNames, calls, type CallName } from '../../src/shared/contract'
import { ERROR_CODES } from '../../src/shared/errors'
import type { ClientTransport } from '../../src/shared/rpc/client'
import { inProcessTransport } from '../../src/shared/rpc/inProcess'
import { apiSubprotocols } from '../../src/shared/rpc/protocol'
import { webSocketTransport, type SocketLike } from '../../src/shared/rpc/wsClient'
import { tempDir } from '../helpers/tempDir'
import { figure, scaled } from './figures'

/*
 * Malformed input over every transport: random calls (a contract name, now
 * and then an unknown one, with arguments that are random values or
 * objects with the call's own field names holding random values). Every
 * answer must be a result or a well-formed error (a known code other than
 * INTERNAL, which would mean a handler failed on input it let through),
 * and the engine must still answer afterwards.
 */

/**
 * Calls that act on processes of this machine or run a command: a random
 * argument the schema accepts is not sent to them (as root, a random pid
 * could be pid 1). Their validation is still exercised by every argument
 * the schema refuses.
 */
const ACTS_ON_THE_MACHINE = new Set<string>([
  'killProcess',
  'terminateProcess',
  'suspendProcess',
  'resumeProcess',
  'reniceProcess',
  'adoptProcess',
  'addProgram',
  'editProgram',
  'startProgram',
  'restartProgram',
  'createPool',
  'scalePool',
  'submitTaskToPool',
  'registerProcessForIPC',
  'revealExecutable',
  'popupProcessMenu',
  'openPortInBrowser',
])

/** The field names of a call's argument object, through optional and refined wrappers. */
function fieldsOf(schema: z.ZodType): string[] {
  let s: unknown = schema
  for (let i = 0; i < 4 && s; i++) {
    const shape = (s as { shape?: Record<string, unknown> }).shape
    if (shape) return Object.keys(shape)
    const def = (s as { def?: { innerType?: unknown; in?: unknown } }).def
    s = def?.innerType ?? def?.in
  }
  return []
}

const value = fc.anything({ maxDepth: 3, maxKeys: 5, withBigInt: false, withMap: false, withSet: false, withTypedArray: false })

const randomCall: fc.Arbitrary<{ name: string; arg: unknown }> = fc.oneof(
  { weight: 19, arbitrary: fc.constantFrom(...callNames).chain((name) => fc.record({ name: fc.constant<string>(name), arg: argFor(name) })) },
  { weight: 1, arbitrary: fc.record({ name: fc.string({ maxLength: 30 }), arg: value }) },
)

function argFor(name: CallName): fc.Arbitrary<unknown> {
  const fields = fieldsOf(calls[name].args as z.ZodType)
  if (fields.length === 0) return value
  return fc.oneof(value, fc.dictionary(fc.constantFrom(...fields, 'extra'), value, { maxKeys: fields.length + 1 }))
}

/** A structured clone of what JSON carries: transports differ on undefined and -0, the engine's answer must not. */
function sendable(arg: unknown): boolean {
  try {
    JSON.stringify(arg)
    return true
  } catch {
    return false
  }
}

interface Tally {
  calls: number
  ok: number
  skipped: number
  codes: Record<string, number>
  malformed: string[]
}

async function fuzz(transport: ClientTransport, runs: number, seed: number): Promise<Tally> {
  const tally: Tally = { calls: 0, ok: 0, skipped: 0, codes: {}, malformed: [] }
  const samples = fc.sample(randomCall, { numRuns: runs, seed })
  for (const { name, arg } of samples) {
    const spec = (calls as Record<string, { args: z.ZodType } | undefined>)[name]
    if (!sendable(arg) || (ACTS_ON_THE_MACHINE.has(name) && spec?.args.safeParse(arg).success)) {
      tally.skipped++
      continue
    }
    tally.calls++
    const answer = await transport.call(name, arg)
    if (answer.ok) {
      tally.ok++
      continue
    }
    const { code, message } = answer.error
    tally.codes[code] = (tally.codes[code] ?? 0) + 1
    const wellFormed = (ERROR_CODES as readonly string[]).includes(code) && code !== 'INTERNAL' && typeof message === 'string' && message.length > 0
    if (!wellFormed && tally.malformed.length < 5) tally.malformed.push(`${name}(${JSON.stringify(arg)?.slice(0, 200)}) -> ${code}: ${message}`)
  }
  return tally
}

const RUNS = scaled(300, 10_000)

describe(`malformed input: ${RUNS} random calls over each transport`, () => {
  const closers: Array<() => unknown> = []
  afterAll(async () => {
    for (const close of closers.reverse()) await close()
  })

  const transports: Array<[string, () => Promise<{ transport: ClientTransport; engine: Engine }>]> = [
    [
      'in-process',
      async () => {
        const engine = new Engine({ dataDir: tempDir(), version: 'test' })
        closers.push(() => engine.close())
        return { transport: inProcessTransport(engine.router), engine }
      },
    ],
    [
      'WebSocket',
      async () => {
        const engine = new Engine({ dataDir: tempDir(), version: 'test' })
        const host = await startHost({ router: engine.router, staticDir: tempDir(), port: 0 })
        const transport = webSocketTransport({
          connect: () => new WebSocket(`ws://127.0.0.1:${host.port}/api`, apiSubprotocols(host.token)) as unknown as SocketLike,
        })
        closers.push(() => engine.close(), () => host.close(), () => transport.close())
        return { transport, engine }
      },
    ],
    [
      'control socket',
      async () => {
        const dataDir = tempDir()
        const engine = new Engine({ dataDir, version: 'test' })
        const runtimeDir = join(tempDir('pr-'), 'rt')
        const server = await startControlServer({
          router: engine.router,
          runtimeDir,
          owner: { pid: process.pid, startTicks: 0, kind: 'daemon', since: Date.now(), dataDir },
        })
        const connection = await connectToOwner(runtimeDir, { client: 'reliability fuzz' })
        closers.push(() => engine.close(), () => server.close(), () => connection.close())
        return { transport: connection.client, engine }
      },
    ],
  ]

  transports.forEach(([name, setup], i) => {
    it(`over the ${name} transport: every answer a result or a well-formed error, none INTERNAL, and the engine still answers`, async () => {
      const { transport } = await setup()
      const tally = await fuzz(transport, RUNS, 20261202 + i)
      const after = await transport.call('getAppInfo', undefined)
      figure(`malformed calls, ${name}`, {
        calls: tally.calls,
        ok: tally.ok,
        skipped_valid_machine_actions: tally.skipped,
        ...Object.fromEntries(Object.entries(tally.codes).map(([c, n]) => [c, n])),
        malformed_answers: tally.malformed.length,
        answers_after: after.ok,
      })
      expect(tally.malformed).toEqual([])
      expect(tally.codes.INVALID_ARGUMENT ?? 0).toBeGreaterThan(tally.calls / 2)
      expect(after.ok).toBe(true)
    })
  })
})
