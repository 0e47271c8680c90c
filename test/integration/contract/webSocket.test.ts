import WebSocket from 'ws'
import { createApi } from '../../../src/shared/rpc/client'
import { webSocketTransport, type SocketLike } from '../../../src/shared/rpc/wsClient'
import { Engine } from '../../../src/main/core/engine'
import { startHost } from '../../../src/main/host/host'
import { apiSubprotocols } from '../../../src/shared/rpc/protocol'
import { tempDir } from '../../helpers/tempDir'
import { describeContract } from './suite'

describeContract('the WebSocket transport of the headless host', async () => {
  const engine = new Engine({ dataDir: tempDir(), version: 'test' })
  const host = await startHost({ router: engine.router, staticDir: tempDir(), port: 0 })
  const transport = webSocketTransport({
    connect: () => new WebSocket(`ws://127.0.0.1:${host.port}/api`, apiSubprotocols(host.token)) as unknown as SocketLike,
  })
  return {
    api: createApi(transport),
    transport,
    engine,
    teardown: async () => {
      transport.close()
      await host.close()
      engine.close()
    },
  }
})
