import { z } from 'zod'
import type { IPCOverview, IPCRegistration, IPCTrafficEvent } from '../broker/status'
import { call, noArgs, pid, stream } from './spec'

/*
 * The IPC broker: programs connect to a Unix socket of the owner's and
 * exchange framed JSON messages with Proctor and with each other (the
 * wire protocol: docs/ipc-protocol.md). Only the owner runs the broker;
 * another engine forwards these calls to it. Every call but
 * getIPCConnections answers UNAVAILABLE while enableIPC is off.
 */

/** An endpoint: its id (`p:web`, `r:3`) or a managed program's name. */
const endpoint = z.string().min(1).max(200)
/** Any JSON value; its encoded size is checked against the broker's frame limit. */
const payload = z.json()

export const brokerCalls = {
  getIPCConnections: call<IPCOverview>()(noArgs, 'Whether the broker listens and where; its caps; every connection with its counters; the registered identities.'),
  sendIPCMessage: call<{ to: string }>()(
    z.strictObject({ processId: endpoint, payload }),
    'Send a message from Proctor to an endpoint (by id or program name); NOT_FOUND when none is connected.',
  ),
  requestIPCResponse: call<{ from: string; payload: unknown; durationMs: number }>()(
    z.strictObject({ processId: endpoint, payload, timeoutMs: z.number().int().min(1).max(600_000).optional() }),
    "Send a request from Proctor and wait for the endpoint's response; TIMEOUT after the timeout (ipcConfig.messageTimeout by default).",
  ),
  broadcastIPCMessage: call<{ recipients: number }>()(z.strictObject({ payload }), 'Send a message from Proctor to every connected endpoint.'),
  registerProcessForIPC: call<IPCRegistration & { token: string; socket: string }>()(
    z.strictObject({ pid, startTime: z.number().int().nonnegative().optional(), name: z.string().min(1).max(100).optional() }),
    'Issue an id and a token for a running process Proctor did not start, bound to its pid and start time (a recycled pid cannot use it).',
  ),
  unregisterProcessFromIPC: call<{ unregistered: string; disconnected: boolean }>()(
    z.strictObject({ processId: endpoint }),
    'Revoke a registered identity and close its connection.',
  ),
} as const

export const brokerStreams = {
  subscribeToIPCConnections: stream<IPCOverview>()(noArgs, 'The broker overview, every refresh and on each connect or disconnect.'),
  subscribeToIPCTraffic: stream<IPCTrafficEvent[]>()(noArgs, 'Messages through the broker, connects, disconnects and rejections, in batches as they happen.'),
} as const
