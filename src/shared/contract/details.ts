import { z } from 'zod'
import type { CgroupInfo, EnvironmentVariable, MemoryMaps, OpenFile, Readable, ThreadList } from '../details/types'
import { call, pid } from './spec'

/*
 * One process looked at closely, a call per tab of the details panel, read
 * only when asked. Each names the process the user saw (pid and start
 * time): a pid now running another process answers STALE_PROCESS. What the
 * caller may not read (another user's process) answers `permitted: false`
 * with the reason, not an error.
 */

/** Details need the start time: reading the wrong process's environment is worse than reading none. */
const seen = z.strictObject({ pid, startTime: z.number().int().nonnegative() })

const revealArgs = z.strictObject({
  pid,
  startTime: z.number().int().nonnegative(),
  /** One variable, by its exact name: a reveal is per variable. */
  name: z.string().min(1).max(4096),
})

export const detailsCalls = {
  getOpenFiles: call<Readable<OpenFile[]>>()(seen, 'Open file descriptors: fd, path, mode, type, and whether the file was deleted.'),
  getEnvironment: call<Readable<EnvironmentVariable[]>>()(
    seen,
    'Environment variables; the values of secret-looking names (TOKEN, SECRET, PASSWORD, KEY, ...) are withheld.',
  ),
  revealEnvironmentVariable: call<string>()(revealArgs, 'The value of one environment variable, withheld or not, by its name.'),
  getThreads: call<Readable<ThreadList>>()(seen, 'Threads: tid, name, state and CPU % since the previous call (the first: over their life).'),
  getMemoryMaps: call<Readable<MemoryMaps>>()(seen, 'Memory by mapping (each file, heap, stack, anonymous) with resident and swapped sizes.'),
  getCgroup: call<CgroupInfo>()(seen, 'Control groups, and the Docker, Podman or other container id their path shows.'),
} as const
