import type { Settings } from '../../../shared/settings'
import type { ProcessAdapter } from './adapter'
import { GenericProcessAdapter } from './generic/siAdapter'
import { LinuxProcessAdapter } from './linux/linuxAdapter'
import { DarwinProcessAdapter } from './darwin/darwinAdapter'

export type AdapterKind = ProcessAdapter['kind']
export type AdapterSetting = Settings['platformAdapter']

export interface AdapterOptions {
  /** Linux: yield to the event loop after this many ms of reading; Infinity reads in one go. */
  sliceMs?: number
}

/** 'auto' picks by platform: /proc on Linux, ps on macOS, systeminformation elsewhere. */
export function resolveAdapterKind(setting: AdapterSetting, platform = process.platform): AdapterKind {
  if (setting !== 'auto') return setting
  if (platform === 'linux') return 'linux'
  if (platform === 'darwin') return 'darwin'
  return 'generic'
}

export function createProcessAdapter(setting: AdapterSetting, options: AdapterOptions = {}): ProcessAdapter {
  const kind = resolveAdapterKind(setting)
  switch (kind) {
    case 'linux':
      return new LinuxProcessAdapter(options.sliceMs !== undefined ? { sliceMs: options.sliceMs } : {})
    case 'darwin':
      return new DarwinProcessAdapter()
    case 'generic':
      return new GenericProcessAdapter()
  }
}
