import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { startSubject, SUBJECT_TOKEN, type Subject } from '../helpers/detailsSubject'
import { tempDir } from '../helpers/tempDir'
import { expect, openProctor, test } from './fixtures'
import { ROOT } from './host'
import { details, rowOf, searchBox, toast } from './processPage'

/**
 * The details panel's tabs and the Send signal… submenu on a real process
 * (test/fixtures/scripts/detailsSubject.ts): a deleted-but-open file,
 * MY_API_TOKEN in its environment, worker threads, and a record of the
 * signals it gets. With PROCTOR_UPDATE_DOCS=1 the screenshots also replace
 * docs/screenshot-details-*.png.
 */

const updateDocs = process.env.PROCTOR_UPDATE_DOCS === '1'

// Each test starts a node subject and walks several tabs: on the shared 2-core machine they took up to 25 s.
test.describe.configure({ timeout: 60_000 })

let subject: Subject | undefined
test.afterEach(() => {
  subject?.child.kill('SIGKILL')
  subject = undefined
})

/** What a service's environment may look like, for the screenshots. */
const SERVICE_ENV = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/home/app',
  LANG: 'C.UTF-8',
  NODE_ENV: 'production',
  PORT: '8080',
  LOG_LEVEL: 'info',
  DATABASE_HOST: 'db.internal',
  DATABASE_PASSWORD: 'correct-horse-battery',
  STRIPE_SECRET_KEY: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
  SESSION_COOKIE_NAME: 'sid',
  TZ: 'UTC',
}

/** Starts the subject and opens its details. */
async function openSubject(page: Page, host: Parameters<typeof openProctor>[1], env?: Record<string, string>): Promise<Subject> {
  const dir = tempDir('proctor-e2e-details-')
  subject = await startSubject(dir, env ? { env } : {})
  await openProctor(page, host)
  await searchBox(page).fill(dir)
  const row = rowOf(page, subject.child.pid!)
  await row.dblclick()
  await expect(details(page)).toBeVisible()
  return subject
}

const tab = (page: Page, name: string) => details(page).getByRole('tab', { name })

test('Environment tab: MY_API_TOKEN hidden until revealed; Open files marks the deleted file; Threads lists them', async ({ page, proctorHost }) => {
  const s = await openSubject(page, proctorHost)

  await tab(page, 'Environment').click()
  await expect(tab(page, 'Environment')).toHaveAttribute('aria-selected', 'true')
  const env = details(page).getByRole('tabpanel')
  const token = env.locator('.env-row').filter({ has: page.getByText('MY_API_TOKEN', { exact: true }) })
  await expect(token.getByLabel('hidden value')).toBeVisible()
  await expect(env.getByText('visible-value')).toBeVisible()
  await expect(token.getByRole('button', { name: 'Copy MY_API_TOKEN' })).toHaveCount(0)
  // The value is nowhere in the page until revealed.
  expect(await page.content()).not.toContain(SUBJECT_TOKEN)
  await token.getByRole('button', { name: 'Reveal MY_API_TOKEN' }).click()
  await expect(token.getByText(SUBJECT_TOKEN)).toBeVisible()
  await expect(token.getByRole('button', { name: 'Copy MY_API_TOKEN' })).toBeVisible()
  await token.getByRole('button', { name: 'Hide MY_API_TOKEN' }).click()
  await expect(token.getByLabel('hidden value')).toBeVisible()
  expect(await page.content()).not.toContain(SUBJECT_TOKEN)

  // The filter matches names, and values only where shown: a hidden value cannot be found by guessing it.
  const filter = env.getByRole('searchbox', { name: 'Filter variables' })
  await filter.fill('my_api_tok')
  await expect(env.locator('.env-row')).toHaveCount(1)
  await filter.fill(SUBJECT_TOKEN)
  await expect(env.locator('.env-row')).toHaveCount(0)
  await filter.fill('visible-val')
  await expect(env.locator('.env-row')).toHaveCount(1)
  await expect(env.locator('.env-row')).toContainText('PLAIN_SETTING')
  await filter.fill('')

  // Tabs by keyboard: Left goes back to Sockets (the tab before), then Files.
  await tab(page, 'Environment').focus()
  await page.keyboard.press('ArrowLeft')
  await expect(tab(page, 'Sockets')).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('ArrowLeft')
  await expect(tab(page, 'Files')).toHaveAttribute('aria-selected', 'true')
  const files = details(page).getByRole('table', { name: 'Open files' })
  const deleted = files.getByRole('row').filter({ hasText: s.ready.deletedPath })
  await expect(deleted).toContainText('deleted')
  await expect(deleted.getByRole('cell').nth(0)).toHaveText(String(s.ready.deletedFd))
  await expect(deleted.getByRole('cell').nth(1)).toHaveText('w')
  const kept = files.getByRole('row').filter({ hasText: s.ready.keptPath })
  await expect(kept).not.toContainText('deleted')
  await expect(kept.getByRole('cell').nth(1)).toHaveText('rw')
  await expect(details(page)).toContainText('1 deleted')

  await tab(page, 'Threads').click()
  const threads = details(page).getByRole('table', { name: 'Threads' })
  await expect(threads.getByRole('row').filter({ hasText: String(s.child.pid) }).first()).toBeVisible()
  expect(await threads.getByRole('row').count()).toBeGreaterThanOrEqual(1 + 3)

  await tab(page, 'Memory').click()
  await expect(details(page).getByRole('table', { name: 'Memory maps' }).getByRole('row', { name: /anonymous/ })).toBeVisible()
  await tab(page, 'Cgroup').click()
  await expect(details(page).getByRole('table', { name: 'Control groups' }).getByRole('row')).not.toHaveCount(0)
  await expect(details(page)).toContainText('Not in a container')
})

test('Send signal… submenu: USR1 reaches the process, after the question; the keyboard opens and closes it', async ({ page, proctorHost }) => {
  const s = await openSubject(page, proctorHost)
  const pid = s.child.pid!
  const row = rowOf(page, pid)
  const menu = page.getByRole('menu', { name: `Actions for node (PID ${pid})` })

  // By keyboard: Right opens the submenu on its first signal, Left closes it, Escape closes the menu.
  await row.click()
  await page.mouse.move(1, 790) // away from where the menus open, so hovering focuses nothing
  await page.keyboard.press('Shift+F10')
  const send = menu.getByRole('menuitem', { name: 'Send signal…' })
  await expect(menu.getByRole('menuitem', { name: 'Terminate' })).toBeFocused()
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown')
  await expect(send).toBeFocused()
  await page.keyboard.press('ArrowRight')
  const signals = page.getByRole('menu', { name: 'Send signal…' })
  await expect(signals.getByRole('menuitem', { name: 'SIGHUP' })).toBeFocused()
  await page.keyboard.press('ArrowLeft')
  await expect(signals).toHaveCount(0)
  await expect(send).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(menu).toHaveCount(0)

  // By mouse: every signal of the platform is there; USR1 asks first, then is sent.
  await row.click({ button: 'right' })
  await menu.getByRole('menuitem', { name: 'Send signal…' }).click()
  for (const name of ['SIGHUP', 'SIGINT', 'SIGKILL', 'SIGUSR1', 'SIGUSR2', 'SIGTERM', 'SIGCONT', 'SIGSTOP', 'SIGWINCH']) {
    await expect(signals.getByRole('menuitem', { name, exact: true })).toHaveCount(1)
  }
  await signals.getByRole('menuitem', { name: 'SIGUSR1', exact: true }).click()
  const dialog = page.getByRole('alertdialog', { name: `Send SIGUSR1 to node (PID ${pid})?` })
  await expect(dialog).toContainText('unless it handles the signal, it ends')
  await dialog.getByRole('button', { name: 'Send SIGUSR1' }).click()
  await expect(toast(page, `Signalled node (PID ${pid})`)).toContainText('SIGUSR1 sent.')
  await expect.poll(() => s.signals).toEqual(['SIGUSR1'])

  // From the details' Signal picker too: HUP.
  await details(page).getByRole('combobox', { name: 'Signal' }).selectOption({ label: 'SIGHUP' })
  await page.getByRole('alertdialog', { name: `Send SIGHUP to node (PID ${pid})?` }).getByRole('button', { name: 'Send SIGHUP' }).click()
  await expect.poll(() => s.signals).toEqual(['SIGUSR1', 'SIGHUP'])
  expect(s.child.exitCode).toBeNull()
})

for (const colorScheme of ['light', 'dark'] as const) {
  test(`details tabs screenshots, ${colorScheme}`, async ({ page, proctorHost }, testInfo) => {
    // Seven screenshots: on the shared 2-core machine each has taken up to several seconds.
    test.setTimeout(90_000)
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.emulateMedia({ colorScheme })
    await openSubject(page, proctorHost, SERVICE_ENV)
    // The double-click that opened the details selected a word of the row.
    await page.evaluate('getSelection().removeAllRanges()')
    const shot = async (name: string, docs = true) => {
      const file = testInfo.outputPath(`details-${name}-${colorScheme}.png`)
      await page.screenshot({ path: file })
      await testInfo.attach(`details-${name}-${colorScheme}`, { path: file, contentType: 'image/png' })
      if (!updateDocs || !docs) return
      mkdirSync(join(ROOT, 'docs'), { recursive: true })
      await page.screenshot({ path: join(ROOT, 'docs', `screenshot-details-${name}${colorScheme === 'dark' ? '-dark' : ''}.png`) })
    }

    // Secret-looking values hidden, one revealed.
    await tab(page, 'Environment').click()
    const panel = details(page).getByRole('tabpanel')
    await expect(panel.getByRole('button', { name: 'Reveal MY_API_TOKEN' })).toBeVisible()
    await panel.getByRole('button', { name: 'Reveal DATABASE_PASSWORD' }).click()
    await expect(panel.getByText('correct-horse-battery')).toBeVisible()
    await shot('environment')

    await tab(page, 'Files').click()
    await expect(details(page).getByRole('table', { name: 'Open files' })).toContainText('deleted')
    await shot('files')

    // The other tabs, as test artifacts only.
    await tab(page, 'Threads').click()
    await expect(details(page)).toContainText(/\d+ threads/)
    await shot('threads', false)
    await tab(page, 'Memory').click()
    await expect(details(page).getByRole('table', { name: 'Memory maps' })).toBeVisible()
    await shot('memory', false)
    await tab(page, 'Cgroup').click()
    await expect(details(page).getByRole('table', { name: 'Control groups' })).toBeVisible()
    await shot('cgroup', false)
    await tab(page, 'Overview').click()
    await expect(details(page).getByRole('combobox', { name: 'Signal' })).toBeVisible()
    await shot('overview', false)
  })
}
