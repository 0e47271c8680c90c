import { loopbackPair } from './loopback'
import type { ClientMessage, ServerMessage } from './protocol'
import { RpcClient } from './rpcClient'
import type { Router } from './router'
import { RpcSession } from './session'
import { INTERNAL_CALLER, type Caller } from '../types/caller'

/**
 * The contract served in the same process (the CLI, tests): the same
 * session and client as every other transport, over a loopback pair.
 * `caller` is what the audit log records.
 */
export function inProcessTransport(router: Pick<Router, 'call' | 'subscribe'>, caller: Caller = INTERNAL_CALLER): RpcClient {
  const [serverEnd, clientEnd] = loopbackPair<ServerMessage, ClientMessage>()
  new RpcSession(router, serverEnd, caller)
  const client = new RpcClient()
  client.connect(clientEnd)
  return client
}
