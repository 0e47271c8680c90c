import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, openProctor, test } from './fixtures'
import { ROOT } from './host'
import { withHostApi } from './processPage'
import type { ProgramInput } from '../../src/shared/supervisor/program'

/**
 * Screenshots of the window at 1280x800, light and dark, kept as test
 * artifacts: the process page, and the Supervisor page with real programs.
 * With PROCTOR_UPDATE_DOCS=1 they also replace the README's
 * docs/screenshot.png, docs/screenshot-dark.png and
 * docs/screenshot-supervisor(-dark).png; a plain test run leaves the
 * checkout as it was.
 */
const updateDocs = process.env.PROCTOR_UPDATE_DOCS === '1'

for (const colorScheme of ['light', 'dark'] as const) {
  test(`screenshot, ${colorScheme}`, async ({ page, proctorHost }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.emulateMedia({ colorScheme })
    await openProctor(page, proctorHost)
    // Wait for a complete window: CPU total (needs two samples) and the refresh interval.
    await expect(page.getByRole('contentinfo')).toContainText(/CPU\s*\d+\.\d%/)
    await expect(page.getByRole('contentinfo')).toContainText(/Refresh\s*\d/)
    // And a second process reading: the first has no CPU % yet (every row 0.0 %); Playwright's own browser is busy.
    await expect(page.getByRole('grid', { name: 'Processes' }).getByRole('row').nth(1)).not.toContainText(/(^|[^\d.])0\.0%/)

    // The whole window fits: toolbar, table and status bar.
    await expect(page.getByRole('searchbox', { name: 'Search processes' })).toBeInViewport()
    await expect(page.getByRole('contentinfo')).toBeInViewport({ ratio: 1 })

    const file = testInfo.outputPath(`proctor-${colorScheme}.png`)
    await page.screenshot({ path: file })
    await testInfo.attach(`proctor-${colorScheme}`, { path: file, contentType: 'image/png' })

    if (!updateDocs) return
    mkdirSync(join(ROOT, 'docs'), { recursive: true })
    await page.screenshot({ path: join(ROOT, 'docs', colorScheme === 'light' ? 'screenshot.png' : 'screenshot-dark.png') })
  })
}

/** Programs on the real supervisor in the states worth seeing: running (with output), backoff counting down, fatal, stopped. */
async function supervisorScene(host: Parameters<typeof withHostApi>[0]): Promise<void> {
  await withHostApi(host, async (api) => {
    await api.updateSettings({ enableAutoRestart: true })
    const have = new Set((await api.listPrograms()).programs.map((p) => p.name))
    const add = async (program: ProgramInput, start: boolean) => {
      if (!have.has(program.name)) await api.addProgram({ program, start })
    }
    const node = process.execPath
    await add(
      {
        name: 'web',
        command: node,
        args: ['-e', "let i = 0; setInterval(() => console.log(`GET /api/items?page=${i++} 200 ${3 + (i % 9)} ms`), 250)"],
        tags: ['web'],
        restart: 'always',
        startSeconds: 0.2,
        health: { checks: [{ kind: 'http', url: 'http://127.0.0.1:8080/health' }] },
      },
      true,
    )
    await add({ name: 'worker', command: "echo 'worker: connecting to redis://127.0.0.1:6379'; echo 'ConnectionRefusedError: [Errno 111]' >&2; exit 1", shell: true, tags: ['queue'], restartDelayMs: 60_000, maxRestartAttempts: 5, startSeconds: 0.1 }, true)
    await add({ name: 'api', command: "echo 'Error: listen EADDRINUSE: address already in use :::9000' >&2; exit 2", shell: true, maxRestartAttempts: 0, startSeconds: 0.1 }, true)
    await add({ name: 'nightly-report', command: 'true', restart: 'never' }, false)
  })
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`Supervisor page screenshot, ${colorScheme}`, async ({ page, supervisedHost }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.emulateMedia({ colorScheme })
    await supervisorScene(supervisedHost)
    await openProctor(page, supervisedHost)
    await page.getByRole('tab', { name: /Supervisor/ }).click()
    const table = page.getByRole('table', { name: 'Programs' })
    await expect(table.getByRole('row').filter({ hasText: 'worker' })).toContainText(/restart in \d+s/)
    await expect(table.getByRole('row').filter({ hasText: 'api' })).toContainText('Fatal')
    await expect(table.getByRole('row').filter({ hasText: 'web' })).toContainText('Running')
    await table.getByRole('button', { name: 'web', exact: true }).click()
    await expect(page.getByRole('log', { name: 'Output of web' })).toContainText('GET /api/items')

    const file = testInfo.outputPath(`proctor-supervisor-${colorScheme}.png`)
    await page.screenshot({ path: file })
    await testInfo.attach(`proctor-supervisor-${colorScheme}`, { path: file, contentType: 'image/png' })
    if (!updateDocs) return
    mkdirSync(join(ROOT, 'docs'), { recursive: true })
    await page.screenshot({ path: join(ROOT, 'docs', colorScheme === 'light' ? 'screenshot-supervisor.png' : 'screenshot-supervisor-dark.png') })
  })
}
