import type { AppInfo } from '../types/system'
import { call, noArgs } from './spec'

/** Proctor itself. */
export const appCalls = {
  getAppInfo: call<AppInfo>()(noArgs, 'Name, version, platform, adapter in use and start-up notices.'),
} as const
