import { randomBytes } from 'node:crypto'
import type { Page } from '@playwright/test'
import { expect, openProctor, test } from './fixtures'
import { alive, rowOf, searchBox, withHostApi } from './processPage'

/**
 * The Supervisor page against a real host (`proctor serve` owns the
 * programs of its data folder) on real programs: add a program in the form, see it
 * run, read its output in the log viewer, stop it, and see its process
 * gone. And against a host without one: the page says so, and how to start one.
 */

const programs = (page: Page) => page.getByRole('table', { name: 'Programs' })
const programRow = (page: Page, name: string) => programs(page).getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}\\b`) }) })

test('add a program in the form, see it run, read its logs, stop it: its process is gone', async ({ page, supervisedHost }) => {
  const name = `ticker-${randomBytes(3).toString('hex')}`
  await openProctor(page, supervisedHost)
  await page.getByRole('tab', { name: /Supervisor/ }).click()
  await page.getByRole('button', { name: 'Add program', exact: true }).click()

  const form = page.getByRole('dialog', { name: 'Add a program' })
  await form.getByLabel('Name').fill(name)
  await form.getByLabel('Command', { exact: true }).fill(process.execPath)
  await form.getByLabel('Arguments, one per line').fill(`-e\nlet i = 0; setInterval(() => console.log('tick ' + i++), 100)`)
  await form.getByLabel('Up for (s)').fill('0.3')
  // The schedule the policy makes is shown before saving.
  await expect(form.locator('.schedule-preview')).toContainText('then fatal')
  await form.getByRole('button', { name: 'Add and start' }).click()
  await expect(form).toBeHidden()

  const row = programRow(page, name)
  await expect(row).toContainText('Running')
  const pidText = (await row.getByRole('cell').nth(6).textContent()) ?? ''
  const pid = Number(/\d+/.exec(pidText)?.[0])
  expect(pid).toBeGreaterThan(1)
  expect(alive(pid)).toBe(true)

  // Added and started, it is selected: its logs are open, and follow.
  const log = page.getByRole('log', { name: `Output of ${name}` })
  await expect(log).toContainText(/tick [3-9]/)
  await page.getByRole('searchbox', { name: 'Search logs' }).fill('tick 2')
  await expect(log.locator('mark').first()).toHaveText('tick 2')

  await row.getByRole('button', { name: 'Stop' }).click()
  await expect(row).toContainText('Stopped')
  await expect.poll(() => alive(pid), { timeout: 5000 }).toBe(false)

  // The process page no longer lists it.
  await page.getByRole('tab', { name: 'Processes' }).click()
  await searchBox(page).fill(`pid = ${pid}`)
  await expect(rowOf(page, pid)).toHaveCount(0)

  // Remove asks first, the safe choice focused.
  await page.getByRole('tab', { name: /Supervisor/ }).click()
  await row.getByRole('button', { name: 'Remove' }).click()
  const confirm = page.getByRole('alertdialog', { name: `Remove ${name}?` })
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await confirm.getByRole('button', { name: 'Remove' }).click()
  await expect(row).toHaveCount(0)
})

test('wrong fields are named next to them: the form’s own checks, then the supervisor’s', async ({ page, supervisedHost }) => {
  await openProctor(page, supervisedHost)
  await page.getByRole('tab', { name: /Supervisor/ }).click()
  await page.getByRole('button', { name: 'Add program', exact: true }).click()
  const form = page.getByRole('dialog', { name: 'Add a program' })
  await form.getByLabel('Name').fill('.hidden')
  await form.getByLabel('Command', { exact: true }).fill('sleep')
  await form.getByLabel('Working directory').fill('relative/dir')
  await form.getByRole('button', { name: 'Add', exact: true }).click()
  await expect(form.locator('[data-field="name"]')).toContainText('not starting with')
  await expect(form.locator('[data-field="cwd"]')).toContainText('absolute path')
  await expect(form.getByLabel('Name')).toBeFocused()

  // A dependency on a program that does not exist: only the supervisor knows its programs.
  await form.getByLabel('Name').fill(`dep-${randomBytes(3).toString('hex')}`)
  await form.getByLabel('Working directory').fill('/tmp')
  await form.getByRole('button', { name: 'Add dependency' }).click()
  await form.getByLabel('Program', { exact: true }).fill('no-such-program')
  await form.getByRole('button', { name: 'Add', exact: true }).click()
  await expect(form.locator('[data-field="dependsOn.0.name"]')).toContainText('no program is named "no-such-program"')
  await expect(form.getByLabel('Program', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await form.getByRole('button', { name: 'Cancel' }).click()
  await expect(form).toBeHidden()
})

test('Supervise this… on a process: the form pre-filled from it, a confirmation, then it runs under Proctor', async ({ page, supervisedHost, spawnProbe }) => {
  const probe = await spawnProbe()
  await openProctor(page, supervisedHost)
  await searchBox(page).fill(probe.marker)
  await rowOf(page, probe.pid).click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Supervise this…' }).click()

  const form = page.getByRole('dialog', { name: new RegExp(`^Supervise .* \\(PID ${probe.pid}\\)$`) })
  await expect(form.getByLabel('Arguments, one per line')).toHaveValue(new RegExp(probe.marker))
  const name = await form.getByLabel('Name').inputValue()
  await form.getByRole('button', { name: 'Supervise…' }).click()
  const confirm = page.getByRole('alertdialog', { name: /and run it under Proctor\?$/ })
  await expect(confirm).toContainText('stopped')
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await confirm.getByRole('button', { name: 'Stop and supervise' }).click()

  await expect(form).toBeHidden()
  await expect(programRow(page, name)).toContainText('Running')
  await expect.poll(() => alive(probe.pid), { timeout: 8000 }).toBe(false)
  await programRow(page, name).getByRole('button', { name: 'Stop' }).click()
  await expect(programRow(page, name)).toContainText('Stopped')
})

test('while health checks, auto-restart or IPC are off, the page says so; one click turns each on', async ({ page, supervisedHost }) => {
  const name = `checked-${randomBytes(3).toString('hex')}`
  await withHostApi(supervisedHost, async (api) => {
    await api.updateSettings({ enableHealthChecks: false, enableAutoRestart: false, enableIPC: false })
    await api.addProgram({ program: { name, command: 'sleep', args: ['60'], health: { checks: [{ kind: 'alive' }, { kind: 'ipc' }] } }, start: false })
  })
  try {
    await openProctor(page, supervisedHost)
    await page.getByRole('tab', { name: /Supervisor/ }).click()
    const health = page.getByRole('status').filter({ hasText: 'Health checks are configured' })
    const restart = page.getByRole('status').filter({ hasText: 'Auto-restart is off' })
    const ipc = page.getByRole('status').filter({ hasText: 'IPC is off: 1 program waits for a ready message or heartbeats' })
    await expect(health).toBeVisible()
    await expect(restart).toBeVisible()
    await expect(ipc).toBeVisible()
    await ipc.getByRole('button', { name: 'Turn on' }).click()
    await expect(ipc).toHaveCount(0)
    await health.getByRole('button', { name: 'Turn on' }).click()
    await expect(health).toHaveCount(0)
    await restart.getByRole('button', { name: 'Turn on' }).click()
    await expect(restart).toHaveCount(0)
    await expect.poll(() => withHostApi(supervisedHost, (api) => api.getSettings())).toMatchObject({ enableHealthChecks: true, enableAutoRestart: true, enableIPC: true })
  } finally {
    await withHostApi(supervisedHost, async (api) => {
      await api.removeProgram({ name })
      await api.updateSettings({ enableHealthChecks: false, enableAutoRestart: false, enableIPC: false })
    })
  }
})

test('without a supervisor the page says so, and how to start one', async ({ page, unsupervisedHost }) => {
  await openProctor(page, unsupervisedHost)
  await page.getByRole('tab', { name: /Supervisor/ }).click()
  const panel = page.getByRole('tabpanel', { name: /Supervisor/ })
  await expect(panel).toContainText('No supervisor is running')
  await expect(panel).toContainText('proctor daemon')
  await expect(panel.getByRole('button', { name: 'Add program' })).toBeDisabled()
  // The process page's "Only managed" says why it cannot be used.
  await page.getByRole('tab', { name: 'Processes' }).click()
  await expect(page.getByRole('button', { name: 'Only managed' })).toHaveAttribute('aria-disabled', 'true')
})
