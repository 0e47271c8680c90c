import { parseArgs } from 'node:util'
import { intArg, parse, UsageError } from './args'
import { formatIPCOverview, formatRegistration } from './ipcFormat'
import { out, OWNER_FLAGS, withOwner } from './programs'

/**
 * `proctor ipc ...`: the owner's IPC broker, through the owner. Messages
 * are JSON given on the command line; they are sent as Proctor (the
 * endpoint `proctor`), and, as every CLI action, without asking first.
 */

export const IPC_VERBS = ['status', 'on', 'off', 'send', 'request', 'broadcast', 'register', 'unregister'] as const
type Verb = (typeof IPC_VERBS)[number]

function json(text: string | undefined, verb: string): unknown {
  if (text === undefined) throw new UsageError(`ipc ${verb}: give the message as JSON, e.g. '{"hello":1}'`)
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new UsageError(`ipc ${verb}: the message is not JSON (${(err as Error).message}); quote it for the shell, e.g. '{"hello":1}'`)
  }
}

function target(positionals: string[], verb: string): string {
  const t = positionals[0]
  if (t === undefined) throw new UsageError(`ipc ${verb}: to whom? give an endpoint id (p:NAME, r:N) or a program's name`)
  return t
}

export async function ipc(args: string[]): Promise<number> {
  // `proctor ipc` and `proctor ipc --json` mean status.
  const [verb = 'status', ...rest] = args[0] === undefined || args[0].startsWith('-') ? ['status', ...args] : args
  if (!(IPC_VERBS as readonly string[]).includes(verb)) throw new UsageError(`ipc: unknown verb ${JSON.stringify(verb)}; give one of ${IPC_VERBS.join(', ')}`)
  switch (verb as Verb) {
    case 'status': {
      const { values } = parse(() => parseArgs({ args: rest, strict: true, options: OWNER_FLAGS }))
      return withOwner(values, 'ipc status', async (api) => {
        const overview = await api.getIPCConnections()
        out(values.json, overview, () => formatIPCOverview(overview))
        return 0
      })
    }
    case 'on':
    case 'off': {
      const { values } = parse(() => parseArgs({ args: rest, strict: true, options: OWNER_FLAGS }))
      return withOwner(values, `ipc ${verb}`, async (api) => {
        const settings = await api.updateSettings({ enableIPC: verb === 'on' })
        const overview = await api.getIPCConnections()
        out(values.json, { enableIPC: settings.enableIPC, listening: overview.listening, socket: overview.socket }, () =>
          settings.enableIPC
            ? `IPC is on${overview.listening ? `: listening on ${overview.socket}; programs get their token from their next start` : `, but the broker does not listen: ${overview.problem ?? 'unknown reason'}`}`
            : 'IPC is off: the broker stopped listening and closed its connections',
        )
        return 0
      })
    }
    case 'send':
    case 'request': {
      const options = { ...OWNER_FLAGS, timeout: { type: 'string' } } as const
      const { values, positionals } = parse(() => parseArgs({ args: rest, strict: true, allowPositionals: true, options }), 2)
      const processId = target(positionals, verb)
      const payload = json(positionals[1], verb) as never
      return withOwner(values, `ipc ${verb}`, async (api) => {
        if (verb === 'send') {
          const sent = await api.sendIPCMessage({ processId, payload })
          out(values.json, sent, () => `sent to ${sent.to}`)
        } else {
          const timeoutMs = values.timeout === undefined ? undefined : intArg(values.timeout, '--timeout', 1, 600_000)
          const reply = await api.requestIPCResponse({ processId, payload, ...(timeoutMs !== undefined ? { timeoutMs } : {}) })
          out(values.json, reply, () => `${JSON.stringify(reply.payload)}\n(from ${reply.from} in ${reply.durationMs} ms)`)
        }
        return 0
      })
    }
    case 'broadcast': {
      const { values, positionals } = parse(() => parseArgs({ args: rest, strict: true, allowPositionals: true, options: OWNER_FLAGS }), 1)
      const payload = json(positionals[0], verb) as never
      return withOwner(values, 'ipc broadcast', async (api) => {
        const sent = await api.broadcastIPCMessage({ payload })
        out(values.json, sent, () => `sent to ${sent.recipients} endpoint${sent.recipients === 1 ? '' : 's'}`)
        return 0
      })
    }
    case 'register': {
      const options = { ...OWNER_FLAGS, 'start-time': { type: 'string' }, name: { type: 'string' } } as const
      const { values, positionals } = parse(() => parseArgs({ args: rest, strict: true, allowPositionals: true, options }), 1)
      if (positionals[0] === undefined) throw new UsageError('ipc register: give the PID of the process to register')
      const pid = intArg(positionals[0], 'PID', 1, 2 ** 31)
      const startTime = values['start-time'] === undefined ? undefined : intArg(values['start-time'], '--start-time', 0, Number.MAX_SAFE_INTEGER)
      return withOwner(values, 'ipc register', async (api) => {
        const r = await api.registerProcessForIPC({ pid, ...(startTime !== undefined ? { startTime } : {}), ...(values.name !== undefined ? { name: values.name } : {}) })
        out(values.json, r, () => formatRegistration(r))
        return 0
      })
    }
    case 'unregister': {
      const { values, positionals } = parse(() => parseArgs({ args: rest, strict: true, allowPositionals: true, options: OWNER_FLAGS }), 1)
      const processId = target(positionals, verb)
      return withOwner(values, 'ipc unregister', async (api) => {
        const r = await api.unregisterProcessFromIPC({ processId })
        out(values.json, r, () => `unregistered ${r.unregistered}${r.disconnected ? ' and closed its connection' : ''}`)
        return 0
      })
    }
  }
}
