/* eslint-disable no-empty-pattern -- Playwright fixtures must destructure their first argument, even when they use none. */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { test as base, expect, type Page } from '@playwright/test'
import { startHost, type RunningHost } from './host'

export { expect }

export interface Probe {
  pid: number
  /** A unique argument on the probe's command line. */
  marker: string
}

interface TestFixtures {
  /** Starts an idle child process with a unique argument; it is killed after the test. */
  spawnProbe: () => Promise<Probe>
  /** Starts `count` sleeping processes whose argv[0] is one shared unique marker; killed after the test. */
  spawnSleepers: (count: number) => Promise<{ marker: string; pids: number[] }>
  /** Console errors, page errors and CSP violations seen by `page` during the test. */
  pageProblems: string[]
}

interface WorkerFixtures {
  /** One real headless host per worker, with a temp PROCTOR_DATA_DIR. */
  proctorHost: RunningHost
  /** A host of its own for the supervisor's tests (`proctor serve` owns the programs of its data folder); started only where used. */
  supervisedHost: RunningHost
  /** A host without a supervisor: every supervisor call answers UNAVAILABLE. */
  unsupervisedHost: RunningHost
  /** A host with a stand-in supervisor showing programs in every state (screenshots). */
  fakeSupervisedHost: RunningHost
}

const hostFixture = (options: Parameters<typeof startHost>[0]): [(args: object, use: (host: RunningHost) => Promise<void>) => Promise<void>, { scope: 'worker'; timeout: number }] => [
    async ({}, use: (host: RunningHost) => Promise<void>) => {
      const host = await startHost(options)
      try {
        await use(host)
      } finally {
        await host.stop()
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ]

const CSP_RECORDER = `
  window.__proctorCspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__proctorCspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber);
  });
`

export const test = base.extend<TestFixtures, WorkerFixtures>({
  proctorHost: hostFixture({}),
  supervisedHost: hostFixture({}),
  unsupervisedHost: hostFixture({ supervisor: 'none' }),
  fakeSupervisedHost: hostFixture({ supervisor: 'fake' }),

  spawnProbe: async ({}, use) => {
    const children: ChildProcess[] = []
    await use(async () => {
      const marker = newMarker()
      const child = await started(spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', marker], { stdio: 'ignore' }))
      children.push(child)
      return { pid: child.pid!, marker }
    })
    await killAll(children)
  },

  spawnSleepers: async ({}, use) => {
    const children: ChildProcess[] = []
    await use(async (count) => {
      const marker = newMarker()
      for (let i = 0; i < count; i++) {
        // exec -a: the sleep itself carries the marker as argv[0]; no shell stays behind.
        children.push(await started(spawn('bash', ['-c', `exec -a ${marker} sleep 1000`], { stdio: 'ignore' })))
      }
      return { marker, pids: children.map((c) => c.pid!) }
    })
    await killAll(children)
  },

  pageProblems: async ({ page }, use) => {
    const problems: string[] = []
    await page.addInitScript({ content: CSP_RECORDER })
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`)
    })
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
    await use(problems)
  },
})

function newMarker(): string {
  return `proctor-e2e-${randomBytes(6).toString('hex')}`
}

function started(child: ChildProcess): Promise<ChildProcess> {
  return new Promise((ready, fail) => {
    child.once('spawn', () => ready(child))
    child.once('error', fail)
  })
}

async function killAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const gone = new Promise((done) => child.once('exit', done))
      child.kill('SIGKILL')
      await gone
    }),
  )
}

/** The CSP violations the page has reported so far. */
export async function cspViolations(page: Page): Promise<string[]> {
  return (await page.evaluate('window.__proctorCspViolations ?? []')) as string[]
}

/** The host's first process reading; on a 2-core machine loaded by other work it has taken over 10 s. */
const FIRST_SNAPSHOT_TIMEOUT_MS = 20_000

/** Opens the UI and waits until the first process snapshot is on screen. */
export async function openProctor(page: Page, host: RunningHost): Promise<void> {
  await page.goto(host.url)
  await expect(page.getByRole('grid', { name: 'Processes' })).toHaveAttribute('aria-busy', 'false', { timeout: FIRST_SNAPSHOT_TIMEOUT_MS })
}
