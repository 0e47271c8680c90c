import { createApi } from '../../../src/shared/rpc/client'
import { inProcessTransport } from '../../../src/shared/rpc/inProcess'
import { Engine } from '../../../src/main/core/engine'
import { tempDir } from '../../helpers/tempDir'
import { describeContract } from './suite'

describeContract('the in-process transport', async () => {
  const engine = new Engine({ dataDir: tempDir(), version: 'test' })
  const transport = inProcessTransport(engine.router)
  return { api: createApi(transport), transport, engine, teardown: () => engine.close() }
})
