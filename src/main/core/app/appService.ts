import type { AppInfo } from '../../../shared/types/system'
import type { Service } from '../service'

export interface AppServiceDeps {
  version: string
  dataDir: string
  /** The process adapter in use, as it is now. */
  adapterKind: () => AppInfo['adapter']
  /** What could not be used at start (a settings file kept aside, ...). */
  notices: () => readonly string[]
}

/** Proctor itself: name, version, where it keeps its data, and its start-up notices. */
export class AppService implements Service<'getAppInfo'> {
  readonly handlers: Service<'getAppInfo'>['handlers'] = { getAppInfo: () => this.info() }
  readonly streams = {}

  constructor(private readonly deps: AppServiceDeps) {}

  info(): AppInfo {
    return {
      name: 'Proctor',
      version: this.deps.version,
      platform: process.platform,
      adapter: this.deps.adapterKind(),
      pid: process.pid,
      dataDir: this.deps.dataDir,
      notices: [...this.deps.notices()],
    }
  }
}
