/**
 * The desktop app end to end, through Playwright's _electron: the built
 * main process (out/main/index.js, via package.json "main"), the sandboxed
 * preload and the renderer, on real processes.
 *
 * Needs: an Electron binary (node_modules/electron/path.txt and the dist it
 * names, from a normal `npm install`), a build (`npx electron-vite build`),
 * and a display on Linux (e.g. `xvfb-run -a npx playwright test --project electron`).
 * Without the binary or the display the tests SKIP and say why.
 *
 * The app runs with PROCTOR_DATA_DIR set to a fresh temp folder: src/main/index.ts
 * makes that Electron's userData (settings, Chromium profile, single-instance
 * lock), so runs never touch, or collide with, the user's own Proctor.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'
import { callNames, streamNames } from '../../src/shared/contract'

const root = resolve(__dirname, '..', '..')
const builtMain = join(root, 'out', 'main', 'index.js')

/** The binary `require('electron')` names, or why there is none. */
function findElectron(): { path: string } | { reason: string } {
  let path: unknown
  try {
    path = createRequire(join(root, 'package.json'))('electron')
  } catch (err) {
    return { reason: `require('electron') throws: ${(err as Error).message}` }
  }
  if (typeof path !== 'string' || !existsSync(path)) return { reason: `the Electron binary ${String(path)} does not exist` }
  return { path }
}

function skipReason(): string | undefined {
  const found = findElectron()
  if ('reason' in found) return `no Electron binary on this machine (${found.reason})`
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display (DISPLAY / WAYLAND_DISPLAY unset); run under xvfb-run'
  }
  return undefined
}

const reason = skipReason()
if (reason) console.log(`[e2e-electron] SKIPPING the Electron end-to-end tests: ${reason}`)
test.skip(reason !== undefined, reason)

const running: ChildProcess[] = []
const dataDirs: string[] = []

test.afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL')
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'proctor-e2e-electron-'))
  dataDirs.push(dir)
  return dir
}

function appEnv(dataDir: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v
  delete env.ELECTRON_RENDERER_URL // always the built renderer, never a dev server
  delete env.ELECTRON_RUN_AS_NODE
  env.PROCTOR_DATA_DIR = dataDir
  return env
}

/** Chromium refuses to run as root with its sandbox; CI containers are root. */
const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : []

async function launch(dataDir: string): Promise<ElectronApplication> {
  expect(existsSync(builtMain), `${builtMain} is missing: run \`npx electron-vite build\` first`).toBe(true)
  const found = findElectron()
  return electron.launch({
    executablePath: 'path' in found ? found.path : undefined,
    args: [root, ...rootArgs],
    cwd: root,
    env: appEnv(dataDir),
  })
}

/** An idle child whose command line carries a unique word. */
function spawnProbe(): { child: ChildProcess; marker: string } {
  const marker = `proctor-e2e-electron-${randomBytes(6).toString('hex')}`
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', marker], { stdio: 'ignore' })
  running.push(child)
  return { child, marker }
}

test('the window shows live processes, including one spawned for the test', async () => {
  const { child, marker } = spawnProbe()
  const dataDir = freshDataDir()
  const app = await launch(dataDir)
  try {
    const page = await app.firstWindow()
    const table = page.getByRole('grid', { name: 'Processes' })
    await expect(table).toBeVisible({ timeout: 20_000 })
    await expect.poll(() => table.getByRole('row').count(), { timeout: 20_000 }).toBeGreaterThan(2)

    await page.getByRole('searchbox', { name: 'Search processes' }).fill(marker)
    await expect(table.getByRole('row').filter({ hasText: marker })).toHaveCount(1, { timeout: 20_000 })

    // The page sees the contract's functions and nothing of Node or Electron.
    const seen = await page.evaluate(async (pid) => {
      const g = globalThis as unknown as {
        api: { getProcessList(): Promise<{ processes: Array<{ pid: number }> }> }
        require?: unknown
        process?: unknown
      }
      const list = await g.api.getProcessList()
      return {
        keys: Object.keys(g.api).sort(),
        require: typeof g.require,
        process: typeof g.process,
        hasProbe: list.processes.some((p) => p.pid === pid),
      }
    }, child.pid!)
    expect(seen).toEqual({ keys: [...callNames, ...streamNames].sort(), require: 'undefined', process: 'undefined', hasProbe: true })

    // The main process: our data folder, and the window shows the built renderer file.
    const main = await app.evaluate(({ app: a, BrowserWindow }) => ({
      userData: a.getPath('userData'),
      windows: BrowserWindow.getAllWindows().length,
      url: BrowserWindow.getAllWindows()[0]?.webContents.getURL(),
    }))
    expect(main).toMatchObject({ userData: dataDir, windows: 1, url: expect.stringMatching(/^file:\/\/.*\/out\/renderer\/index\.html/) })
  } finally {
    await app.close()
  }
})

test('a second instance hands over to the first and exits', async () => {
  const dataDir = freshDataDir()
  const app = await launch(dataDir)
  try {
    await app.firstWindow()
    const found = findElectron()
    const second = spawn('path' in found ? found.path : 'electron', [root, ...rootArgs], { cwd: root, env: appEnv(dataDir), stdio: 'ignore' })
    running.push(second)
    const code = await new Promise<number | null>((resolveExit) => second.once('exit', (c) => resolveExit(c)))
    expect(code).toBe(0)
    expect(app.windows()).toHaveLength(1)
  } finally {
    await app.close()
  }
})
