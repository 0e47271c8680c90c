import { execFile } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

/** How an action could run with more rights here, if at all. */
export interface Elevation {
  possible: boolean
  method?: 'pkexec' | 'osascript'
  /** Why not, when it is not possible. */
  reason?: string
}

function onPath(binary: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue
    const full = join(dir, binary)
    try {
      accessSync(full, constants.X_OK)
      return full
    } catch {
      // not here
    }
  }
  return undefined
}

/**
 * Linux: pkexec, which asks through the desktop's polkit agent (it cannot
 * ask without one, so a graphical session is required). macOS: the
 * administrator prompt of osascript.
 */
export function detectElevation(platform = process.platform, env = process.env): Elevation {
  if (platform === 'darwin') return { possible: true, method: 'osascript' }
  if (platform !== 'linux') return { possible: false, reason: `no elevation method on ${platform}` }
  if (!onPath('pkexec', env.PATH)) return { possible: false, reason: 'pkexec is not installed' }
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return { possible: false, method: 'pkexec', reason: 'no graphical session for the polkit prompt' }
  return { possible: true, method: 'pkexec' }
}

export type ElevatedCommand = { kind: 'signal'; signal: string; pid: number } | { kind: 'renice'; priority: number; pid: number }

/**
 * The argv to run. Never a shell string built from input: on Linux the
 * command is an argv for pkexec; on macOS the AppleScript is constant and
 * the values travel as its arguments, quoted by AppleScript itself.
 */
export function elevatedArgv(method: 'pkexec' | 'osascript', cmd: ElevatedCommand): string[] {
  const inner =
    cmd.kind === 'signal' ? ['/bin/kill', '-s', cmd.signal, String(cmd.pid)] : ['/usr/bin/renice', '-n', String(cmd.priority), '-p', String(cmd.pid)]
  if (method === 'pkexec') return ['pkexec', ...inner]
  return [
    'osascript',
    '-e',
    'on run argv',
    '-e',
    'set cmd to ""',
    '-e',
    'repeat with a in argv',
    '-e',
    'set cmd to cmd & quoted form of (a as text) & " "',
    '-e',
    'end repeat',
    '-e',
    'do shell script cmd with administrator privileges',
    '-e',
    'end run',
    ...inner,
  ]
}

export function runElevated(argv: string[]): Promise<void> {
  const [file, ...args] = argv
  return new Promise((resolve, reject) => {
    execFile(file ?? '', args, { timeout: 120_000 }, (err, _stdout, stderr) => {
      if (err) reject(new Error(stderr.trim() || err.message))
      else resolve()
    })
  })
}
