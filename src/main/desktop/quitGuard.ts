import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { dialog, type App, type BrowserWindow, type MessageBoxOptions } from 'electron'
import type { Ownership } from '../core/owner/ownership'
import { findInPath } from '../ecosystem/paths'
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

/** Where the app runs from: a packaged build keeps the command line in its resources folder (electron-builder.yml). */
export interface AppLocation {
  packaged: boolean
  /** process.resourcesPath: where extraResources are. */
  resourcesPath?: string
  /** Where to look for node; defaults to PATH. */
  path?: string
}

/**
 * How to run `proctor daemon`. From a checkout: the bundled command line
 * with the app's own binary as Node (ELECTRON_RUN_AS_NODE), or from source.
 * Packaged: the runAsNode fuse is off, so the copy beside the app
 * (resources/cli/proctor.cjs) runs on the user's node; without one, says so.
 */
export function daemonArgv(mainDir: string, dataDir: string, at: AppLocation = { packaged: false }): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  if (at.packaged) {
    if (!at.resourcesPath) throw new Error('the packaged app did not say where its resources are')
    const node = findInPath('node', at.path ?? process.env.PATH)
    if (!node) throw new Error('keeping the programs running needs Node.js: `node` was not found in PATH to run proctor daemon')
    return { command: node, args: [join(at.resourcesPath, 'cli', 'proctor.cjs'), 'daemon', '--data-dir', dataDir], env: { ...process.env } }
  }
  const bundled = join(mainDir, 'cli.js')
  const cli = existsSync(bundled) ? [bundled] : ['--import', 'tsx', join(mainDir, 'cli', 'main.ts')]
  return { command: process.execPath, args: [...cli, 'daemon', '--data-dir', dataDir], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }
}

/** Why daemonArgv cannot run the daemon from here, or undefined when it can. */
export function daemonProblem(mainDir: string, dataDir: string, at?: AppLocation): string | undefined {
  try {
    daemonArgv(mainDir, dataDir, at)
    return undefined
  } catch (err) {
    return (err as Error).message
  }
}

/** Starts `proctor daemon` detached, its output in the data folder; it outlives the app. */
export function startDaemonDetached(mainDir: string, dataDir: string, at?: AppLocation): void {
  const { command, args, env } = daemonArgv(mainDir, dataDir, at)
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
  /** Why the daemon could not be started (no node for a packaged app), asked before anything stops. */
  daemonProblem?: () => string | undefined
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
  const problem = choice === 'hand-over' ? options.daemonProblem?.() : undefined
  if (problem) {
    const win = options.window()
    const box: MessageBoxOptions = {
      type: 'error',
      title: 'Proctor',
      message: 'The programs cannot be handed over to proctor daemon',
      detail: `${problem}.\n\nProctor and its programs keep running.`,
      buttons: ['OK'],
    }
    await (win && !win.isDestroyed() ? dialog.showMessageBox(win, box) : dialog.showMessageBox(box))
    return false
  }
  await supervisor.shutdown({ handOver: choice === 'hand-over' })
  await ownership.close()
  if (choice === 'hand-over') {
    options.startDaemon()
    options.log(`handed ${running.join(', ')} over to \`proctor daemon\``)
  }
  return true
}
