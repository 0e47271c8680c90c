import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { launchdAgent } from '../../shared/ecosystem/launchd'
import { systemdUnit } from '../../shared/ecosystem/systemd'
import { parseProgram } from '../../shared/supervisor/program'
import type { RestartSchedule } from '../../shared/supervisor/schedule'
import { launchAgentsDir, launchdLogDir, systemdUserDir } from './paths'

/**
 * `proctor daemon --install`: the daemon itself as a systemd user unit or
 * a launchd agent, so the programs come back after a reboot (PM2's
 * `startup`). Written with the same writers as `programs export`.
 */

export type ServiceKind = 'systemd' | 'launchd'

export const DAEMON_UNIT = 'proctor.service'
export const DAEMON_LABEL = 'dev.proctor.daemon'

/** Restarted after a crash, 5 s apart, at most 5 times in a row. */
const SCHEDULE: RestartSchedule = { policy: 'on-failure', delayMs: 5000, multiplier: 1, maxDelayMs: 5000, maxAttempts: 5, stableMs: 60_000 }

export interface DaemonService {
  kind: ServiceKind
  path: string
  text: string
  /** What to run to turn it on now and at every login. */
  enable: string
}

/**
 * The file for the daemon: `argv` is how to start this very CLI (node and
 * the script), `dataDir` the data folder it supervises when not the default.
 */
export function daemonService(kind: ServiceKind, argv: string[], o: { dataDir?: string; path?: string } = {}): DaemonService {
  const dataDir = o.dataDir
  const [command, ...args] = argv
  if (command === undefined) throw new Error('daemonService needs the command that starts proctor')
  const program = parseProgram({
    name: 'proctor',
    command,
    args: [...args, 'daemon', ...(dataDir !== undefined ? ['--data-dir', dataDir] : [])],
    // The user's PATH, as PM2's startup keeps it: the user manager's own is short, and programs name commands found in it.
    ...(o.path ? { env: { vars: { PATH: o.path } } } : {}),
    autostart: true,
    restart: 'on-failure',
    // The daemon stops its programs before it exits: give it their time.
    stopTimeoutMs: 60_000,
  })
  // No double dash: a property list's comments cannot hold one.
  const header = ["Proctor's daemon, written by the install option of `proctor daemon`; its uninstall option removes it."]
  if (kind === 'systemd') {
    const path = join(systemdUserDir(), DAEMON_UNIT)
    const { text } = systemdUnit(program, { schedule: SCHEDULE, prefix: '', header, description: 'Proctor daemon: supervises your programs' })
    return { kind, path, text, enable: 'systemctl --user daemon-reload && systemctl --user enable --now proctor' }
  }
  const path = join(launchAgentsDir(), `${DAEMON_LABEL}.plist`)
  const { text } = launchdAgent({ ...program, name: 'daemon' }, { schedule: SCHEDULE, logDir: launchdLogDir(), header })
  return { kind, path, text, enable: `launchctl load -w ${path}` }
}

export function installDaemonService(service: DaemonService): void {
  mkdirSync(dirname(service.path), { recursive: true })
  if (service.kind === 'launchd') mkdirSync(launchdLogDir(), { recursive: true })
  writeFileSync(service.path, service.text, { mode: 0o644 })
}

/**
 * Removes the file, and systemd's enable link to it when there is one
 * (what `systemctl --user disable` would remove). Answers what was removed.
 */
export function uninstallDaemonService(kind: ServiceKind): { removed: string[]; stop: string } {
  const removed: string[] = []
  if (kind === 'systemd') {
    const path = join(systemdUserDir(), DAEMON_UNIT)
    const link = join(systemdUserDir(), 'default.target.wants', DAEMON_UNIT)
    try {
      if (lstatSync(link).isSymbolicLink() && resolve(dirname(link), readlinkSync(link)) === path) {
        rmSync(link)
        removed.push(link)
      }
    } catch {
      // not enabled
    }
    if (existsSync(path)) {
      rmSync(path)
      removed.push(path)
    }
    return { removed, stop: 'systemctl --user stop proctor; systemctl --user daemon-reload' }
  }
  const path = join(launchAgentsDir(), `${DAEMON_LABEL}.plist`)
  if (existsSync(path)) {
    rmSync(path)
    removed.push(path)
  }
  return { removed, stop: `launchctl bootout gui/$(id -u)/${DAEMON_LABEL}` }
}
