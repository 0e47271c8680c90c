import { join } from 'node:path'
import { Engine } from '../../../src/main/core/engine'
import { connectToOwner } from '../../../src/main/core/owner/controlClient'
import { startControlServer } from '../../../src/main/core/owner/controlServer'
import { tempDir } from '../../helpers/tempDir'
import { describeContract } from './suite'

describeContract("the owner's control socket", async () => {
  const dataDir = tempDir()
  const engine = new Engine({ dataDir, version: 'test' })
  const runtimeDir = join(tempDir('pr-'), 'rt')
  const server = await startControlServer({
    router: engine.router,
    runtimeDir,
    owner: { pid: process.pid, startTicks: 0, kind: 'daemon', since: Date.now(), dataDir },
  })
  const connection = await connectToOwner(runtimeDir, { client: 'contract suite' })
  return {
    api: connection.api,
    transport: connection.client,
    engine,
    teardown: async () => {
      connection.close()
      await server.close()
      engine.close()
    },
  }
})
