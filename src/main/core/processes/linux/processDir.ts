import { readlinkSync, statSync } from 'node:fs'
import type { TextFiles } from '../../linux/textFiles'
import { isKernelThreadFlags, parseCmdline } from './procParse'

export interface ProcessDir {
  /** The directory's owner: the process's real user. */
  uid: number
  kernelThread: boolean
  /** The command line, '' for a kernel thread. */
  cmdline: string
  /** The executable, when it may be read (not another user's process, not a zombie). */
  exe: string | undefined
}

/**
 * What /proc/PID says of a process beyond its stat, read when it is first
 * seen (the collector) or looked at alone (an action); undefined once it is gone.
 */
export function readProcessDir(dir: string, statFlags: number, files: TextFiles): ProcessDir | undefined {
  let uid: number
  try {
    uid = statSync(dir).uid
  } catch {
    return undefined
  }
  const kernelThread = isKernelThreadFlags(statFlags)
  const cmdline = kernelThread ? '' : parseCmdline(files.read(`${dir}/cmdline`, 'utf8') ?? '')
  let exe: string | undefined
  if (!kernelThread) {
    try {
      exe = readlinkSync(`${dir}/exe`)
    } catch {
      exe = undefined // another user's process, or a zombie
    }
  }
  return { uid, kernelThread, cmdline, exe }
}
