import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { dialog, type App, type BrowserWindow, type MessageBoxOptions } from 'electron'
import type { Ownership } from '../core/owner/ownership'
import { SupervisorService } from '../core/supervisor/supervisorService'
import { isActive } from '../../shared/supervisor/states'

/**
 * Quitting the desktop app lets go of what it owns: the programs it
 * supervises stop with it, so it asks first, naming them, and offers to
 * hand them to `proctor daemon` (which the app shows when opened again).
 * Electron does not wait for promises in before-quit: the first quit is
 * held, the async work runs, then the app quits for real.
 */

export type QuitChoice = 'stop' | 'hand-over' | 'cancel'
const CHOICES: QuitChoice[] = ['stop', 'hand-over', 'cancel']

/** The question, in words: what runs, what quitting does to it, and the way to keep it running. */
export function quitQuestion(names: readonly string[]): MessageBoxOptions {
  const shown = names.length > 8 ? [...names.slice(0, 8), `and ${names.length - 8} more`] : names
  return {
    type: 'question',
    title: 'Proctor',
    message: `${names.length === 1 ? '1 program is' : `${names.length} programs are`} running: ${shown.join(', ')}`,
    detail:
      'Proctor supervises them, so they stop when it quits.\n\n' +
      'To keep programs running without the app, run `proctor daemon`: the app then shows its programs when you open it. ' +
      'Proctor can start the daemon now and restart these programs under it.',
    buttons: ['Stop Them and Quit', 'Keep Them Running (proctor daemon)', 'Cancel'],
    defaultId: 2,
    cancelId: 2,
    noLink: true,
  }
}

/** How to run the bundled command line with the app's own binary (Electron as Node), or from source in development. */
export function daemonArgv(mainDir: string, dataDir: string): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const bundled = join(mainDir, 'cli.js')
  const cli = existsSync(bundled) ? [bundled] : ['--import', 'tsx', join(mainDir, 'cli', 'main.ts')]
  return { command: process.execPath, args: [...cli, 'daemon', '--data-dir', dataDir], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }
}

/** Starts `proctor daemon` detached, its output in the data folder; it outlives the app. */
export function startDaemonDetached(mainDir: string, dataDir: string): void {
  const { command, args, env } = daemonArgv(mainDir, dataDir)
  const out = openSync(join(dataDir, 'daemon.log'), 'a', 0o600)
  try {
    spawn(command, args, { detached: true, stdio: ['ignore', out, out], env }).unref()
  } finally {
    closeSync(out)
  }
}

export interface QuitGuardOptions {
  ownership: Ownership
  window: () => BrowserWindow | undefined
  /** Hands the programs over: starts the daemon (after this app has let go of the lock). */
  startDaemon: () => void
  /** The user chose to keep the app: closing the window hides it again. */
  cancelled?: () => void
  log: (message: string) => void
}

/** Holds the first quit until the programs are dealt with; returns a function that removes the guard. */
export function guardQuit(app: Pick<App, 'on' | 'removeListener' | 'quit'>, options: QuitGuardOptions): () => void {
  let released = false
  let leaving = false
  const onBeforeQuit = (event: Electron.Event) => {
    if (released) return
    event.preventDefault()
    if (leaving) return
    leaving = true
    void leave(options).then(
      (go) => {
        leaving = false
        if (!go) return options.cancelled?.()
        released = true
        app.quit()
      },
      (err: unknown) => {
        options.log(`quitting: ${(err as Error).message}`)
        leaving = false
        released = true
        app.quit()
      },
    )
  }
  app.on('before-quit', onBeforeQuit)
  return () => app.removeListener('before-quit', onBeforeQuit)
}

/** Asks when programs run here, then stops them (or hands them over); false when the user cancelled. */
async function leave(options: QuitGuardOptions): Promise<boolean> {
  const { ownership } = options
  const supervisor = ownership.engine.supervisor
  if (ownership.role !== 'owner' || !(supervisor instanceof SupervisorService)) {
    await ownership.close()
    return true
  }
  const running = supervisor.overview().programs.filter((p) => isActive(p.state)).map((p) => p.name)
  let choice: QuitChoice = 'stop'
  if (running.length > 0) {
    const win = options.window()
    const question = quitQuestion(running)
    const { response } = win && !win.isDestroyed() ? await dialog.showMessageBox(win, question) : await dialog.showMessageBox(question)
    choice = CHOICES[response] ?? 'cancel'
  }
  if (choice === 'cancel') return false
  await supervisor.shutdown({ handOver: choice === 'hand-over' })
  await ownership.close()
  if (choice === 'hand-over') {
    options.startDaemon()
    options.log(`handed ${running.join(', ')} over to \`proctor daemon\``)
  }
  return true
}
