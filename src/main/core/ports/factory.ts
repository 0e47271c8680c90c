import { ProctorError } from '../../../shared/errors'
import { LinuxSocketReader } from './linuxSockets'
import { LsofSocketReader } from './lsofSockets'
import type { SocketReader } from './socketReader'

/** The platform's socket reader: /proc on Linux, lsof on macOS; elsewhere every read says it is unavailable. */
export function createSocketReader(platform: NodeJS.Platform = process.platform): SocketReader {
  if (platform === 'linux') return new LinuxSocketReader()
  if (platform === 'darwin') return new LsofSocketReader()
  const unavailable = () => Promise.reject(new ProctorError('UNAVAILABLE', `the port table is read on Linux and macOS, not on ${platform}`))
  return { readAll: unavailable, readProcess: unavailable, close: () => {} }
}
