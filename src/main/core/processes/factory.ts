import type { Settings } from '../../../shared/settings'
import type { ProcessAdapter } from './adapter'
import { GenericProcessAdapter } from './generic/siAdapter'
import { LinuxProcessAdapter } from './linux/linuxAdapter'

export type AdapterKind = ProcessAdapter['kind']
export type AdapterSetting = Settings['platformAdapter']

/** 'auto' picks by platform; darwin falls back to generic until its adapter lands. */
export function resolveAdapterKind(setting: AdapterSetting, platform = process.platform): AdapterKind {
  if (setting !== 'auto') return setting
  if (platform === 'linux') return 'linux'
  return 'generic'
}

export function createProcessAdapter(setting: AdapterSetting): ProcessAdapter {
  const kind = resolveAdapterKind(setting)
  switch (kind) {
    case 'linux':
      return new LinuxProcessAdapter()
    case 'darwin':
    case 'generic':
      return new GenericProcessAdapter()
  }
}
