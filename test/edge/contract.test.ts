import { vi } from 'vitest'
import { ipcRenderer, ipcMain, type FakeBrowserWindow } from '../fakes/electron'
import { registerBridge } from '../../src/main/desktop/bridge'
import { createMainWindow, isTrustedSender, rendererTarget } from '../../src/main/desktop/window'
import { ipcTransport } from '../../src/preload/ipcTransport'
import { Engine } from '../../src/main/core/engine'
import { createApi } from '../../src/shared/rpc/client'
import { tempDir } from '../helpers/tempDir'
import { describeContract } from '../integration/contract/suite'

// The shared contract suite samples real processes; give it the integration project's time.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 })

/**
 * The same suite as the in-process and WebSocket transports, over Electron
 * IPC: the preload's RpcClient -> (stand-in) ipcRenderer.send -> ipcMain.on
 * -> the bridge's sender check -> the window's RpcSession -> the engine's
 * router, and back with webContents.send, every message structured-cloned.
 */
describeContract('Electron IPC (bridge + preload transport, stand-in electron)', async () => {
  const engine = new Engine({ dataDir: tempDir(), version: 'test' })
  const target = rendererTarget({ packaged: false, env: {} })
  const dispose = registerBridge(ipcMain, engine.router, (event) => isTrustedSender(event, target))
  const win = createMainWindow({ target }) as unknown as FakeBrowserWindow
  ipcRenderer.connect(win.webContents)
  const transport = ipcTransport(ipcRenderer)
  return {
    api: createApi(transport),
    transport,
    engine,
    teardown: () => {
      transport.close()
      dispose()
      engine.close()
    },
  }
})
