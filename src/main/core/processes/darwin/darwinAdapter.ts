import { execFile } from 'node:child_process'
import { availableParallelism, totalmem } from 'node:os'
import type { RawProcess, RawProcessSample } from '../../../../shared/types/process'
import type { ProcessAdapter } from '../adapter'
import { DARWIN_PS_LAYOUT, PROCPS_PS_LAYOUT, parsePsOutput, psArgs, toRawProcess, type PsLayout } from './psParse'

/**
 * macOS adapter: there is no /proc, so it runs /bin/ps exactly once per
 * sample and parses the output with the pure functions in psParse.ts.
 * /bin/ps is setuid root on macOS, which is why it can read other users'
 * arguments and counters where an unprivileged libproc call cannot.
 */

export const PS_PATH = '/bin/ps'
/** `-axww -o ucomm= -o pid= … -o command=`; see psParse.ts for why this layout. */
export const PS_ARGS: readonly string[] = Object.freeze(psArgs(DARWIN_PS_LAYOUT))

const PS_TIMEOUT_MS = 15_000
const PS_MAX_BUFFER = 64 * 1024 * 1024

/**
 * The environment ps runs in. lstart is strftime `%c`, which follows
 * LC_TIME, so time is pinned to C; ctype is pinned to UTF-8 so ps's
 * strvis() passes non-ASCII arguments through instead of escaping them.
 * LC_ALL would override both, so it is dropped.
 */
export function psEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { LC_ALL: _dropped, ...env } = base
  return { ...env, LC_TIME: 'C', LC_CTYPE: 'UTF-8' }
}

/** Runs ps; resolves its stdout as a latin1 byte string (widths in the layout are bytes). */
export type PsRunner = (file: string, args: readonly string[]) => Promise<string>

const runPs: PsRunner = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { encoding: 'latin1', env: psEnvironment(process.env), timeout: PS_TIMEOUT_MS, maxBuffer: PS_MAX_BUFFER },
      (error, stdout) => {
        // A non-zero exit with output still lists every process it could read.
        if (error && !stdout) reject(error)
        else resolve(stdout)
      },
    )
  })

/**
 * The same argv runs on Linux procps, which pads ucomm to 15 bytes, not 16;
 * picking that layout there lets the adapter be exercised off a Mac.
 */
export function layoutForPlatform(platform: NodeJS.Platform): PsLayout {
  return platform === 'linux' ? PROCPS_PS_LAYOUT : DARWIN_PS_LAYOUT
}

export class DarwinProcessAdapter implements ProcessAdapter {
  readonly kind = 'darwin' as const
  private readonly cpuCount = availableParallelism()

  constructor(
    private readonly run: PsRunner = runPs,
    private readonly file: string = PS_PATH,
    private readonly layout: PsLayout = layoutForPlatform(process.platform),
  ) {}

  async sample(): Promise<RawProcessSample> {
    const startMono = performance.now()
    const startWall = Date.now()
    const stdout = await this.run(this.file, PS_ARGS)
    // ps reads counters process by process while it runs; its midpoint is the best single instant.
    const monotonicMs = (startMono + performance.now()) / 2
    const timestamp = Math.round((startWall + Date.now()) / 2)
    const processes: RawProcess[] = []
    for (const row of parsePsOutput(stdout, this.layout)) {
      const p = toRawProcess(row)
      if (p) processes.push(p)
    }
    return { monotonicMs, timestamp, cpuCount: this.cpuCount, memoryTotal: totalmem(), processes }
  }

  close(): void {}
}
