import type { Page } from '@playwright/test'
import { expect, openProctor, test } from './fixtures'
import { details, processTable, processTree, rowOf, searchBox, statusBar, updateHostSettings } from './processPage'

/**
 * Screenshots of the process window at 1280x800 (table, tree, details,
 * context menu, the question before an action), light and dark, kept as test artifacts; and the theme
 * switch, which overrides the system's choice and is remembered.
 */

const pageBackground = async (page: Page): Promise<string> => (await page.evaluate('getComputedStyle(document.body).backgroundColor')) as string

/** The columns shown by default (DEFAULT_COLUMN_KEYS of the renderer's columns.ts). */
const DEFAULT_COLUMNS = ['pid', 'name', 'user', 'state', 'cpu', 'memory', 'treeCpu', 'treeMemory', 'command']

// The host is shared by the tests of this file: whatever a test did to the view settings, put them back.
test.afterEach(async ({ proctorHost }) => {
  await updateHostSettings(proctorHost, { ui: { theme: 'system', columns: DEFAULT_COLUMNS, confirmDestructive: true } })
})

for (const colorScheme of ['light', 'dark'] as const) {
  test(`process window screenshots, ${colorScheme}`, async ({ page, proctorHost, spawnProbe }, testInfo) => {
    const probe = await spawnProbe()
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.emulateMedia({ colorScheme })
    await openProctor(page, proctorHost)
    await expect(statusBar(page)).toContainText(/CPU\s*\d+\.\d%/)
    const shot = async (name: string) => {
      const file = testInfo.outputPath(`${name}-${colorScheme}.png`)
      await page.screenshot({ path: file })
      await testInfo.attach(`${name}-${colorScheme}`, { path: file, contentType: 'image/png' })
    }

    // The table, with a selected row.
    await processTable(page).getByRole('row').nth(3).click()
    await shot('table')

    // Details of the probe, charts drawn.
    await searchBox(page).fill(probe.marker)
    await rowOf(page, probe.pid).dblclick()
    await expect(details(page).getByRole('figure', { name: 'CPU' }).locator('svg.recharts-surface')).toBeVisible({ timeout: 15_000 })
    await searchBox(page).fill('')
    await shot('details')

    // The context menu with its Renice submenu open, on a process that takes signals (not a kernel thread).
    await details(page).getByRole('button', { name: 'Close details' }).click()
    await processTable(page).getByRole('button', { name: 'Memory' }).click()
    const row = processTable(page).getByRole('row').nth(3)
    const box = await row.boundingBox()
    await row.click({ button: 'right', position: { x: 300, y: (box?.height ?? 20) / 2 } })
    await page.getByRole('menuitem', { name: 'Renice' }).hover()
    await expect(page.getByRole('menu', { name: 'Renice' })).toBeVisible()
    await shot('context-menu')
    await page.keyboard.press('Escape')
    await page.keyboard.press('Escape')

    // The question before a destructive action, its focus on Cancel (the safe choice).
    await searchBox(page).fill(probe.marker)
    await rowOf(page, probe.pid).click()
    await page.keyboard.press('Delete')
    await expect(page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' })).toBeFocused()
    await shot('confirm')
    await page.keyboard.press('Escape')
    await searchBox(page).fill('')
    await processTable(page).focus()

    // The tree.
    await page.keyboard.press('t')
    await expect(processTree(page)).toBeVisible()
    await shot('tree')
  })
}

test('the theme switch overrides the system and is remembered', async ({ page, proctorHost }) => {
  await page.emulateMedia({ colorScheme: 'light' })
  await openProctor(page, proctorHost)
  const light = await pageBackground(page)

  await page.getByRole('button', { name: 'Preferences' }).click()
  await page.getByRole('radio', { name: 'Dark' }).check()
  await expect.poll(() => pageBackground(page)).not.toBe(light)
  const dark = await pageBackground(page)
  await page.keyboard.press('Escape')

  // Remembered: a new page opens dark on a light system.
  await page.reload()
  await openProctor(page, proctorHost)
  await expect.poll(() => pageBackground(page)).toBe(dark)

  // Back to the system's choice.
  await page.getByRole('button', { name: 'Preferences' }).click()
  await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked()
  await page.getByRole('radio', { name: 'Match the system' }).check()
  await expect.poll(() => pageBackground(page)).toBe(light)
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect.poll(() => pageBackground(page)).toBe(dark)
})

test('the column chooser shows and hides columns, and remembers them', async ({ page, proctorHost }) => {
  await openProctor(page, proctorHost)
  const table = processTable(page)
  await expect(table.getByRole('columnheader', { name: 'Threads' })).toHaveCount(0)
  await page.getByRole('button', { name: 'Columns' }).click()
  const chooser = page.getByRole('dialog', { name: 'Columns' })
  await chooser.getByRole('checkbox', { name: 'Threads' }).check()
  await chooser.getByRole('checkbox', { name: 'User' }).uncheck()
  await expect(chooser.getByRole('checkbox', { name: 'Name' })).toBeDisabled()
  await expect(table.getByRole('columnheader', { name: 'Threads' })).toBeVisible()
  await expect(table.getByRole('columnheader', { name: 'User' })).toHaveCount(0)
  await page.keyboard.press('Escape')
  await expect(chooser).toHaveCount(0)

  await page.reload()
  await openProctor(page, proctorHost)
  await expect(table.getByRole('columnheader', { name: 'Threads' })).toBeVisible()
  await expect(table.getByRole('columnheader', { name: 'User' })).toHaveCount(0)

  await page.getByRole('button', { name: 'Columns' }).click()
  await page.getByRole('button', { name: 'Reset to defaults' }).click()
  await expect(table.getByRole('columnheader', { name: 'Threads' })).toHaveCount(0)
  await expect(table.getByRole('columnheader', { name: 'User' })).toBeVisible()
})

test('quick filters: my processes, kernel threads, only managed', async ({ page, proctorHost, spawnProbe }) => {
  const probe = await spawnProbe()
  await openProctor(page, proctorHost)
  const mine = page.getByRole('button', { name: 'My processes' })
  await mine.click()
  await expect(mine).toHaveAttribute('aria-pressed', 'true')
  // The probe runs as the user that runs Proctor; every row shown is that user's.
  await searchBox(page).fill(probe.marker)
  await expect(rowOf(page, probe.pid)).toHaveCount(1)
  await searchBox(page).fill('')
  const users = await processTable(page).locator('.process-row > .user').allTextContents()
  expect(new Set(users).size).toBe(1)
  await mine.click()

  const kernel = page.getByRole('button', { name: 'Hide kernel threads' })
  await kernel.click()
  await expect(kernel).toHaveAttribute('aria-pressed', 'true')
  await expect(processTable(page).locator('.process-row > .name.kernel')).toHaveCount(0)
  await kernel.click()

  // The host supervises no program: "Only managed" leaves nothing, and says so.
  const managed = page.getByRole('button', { name: 'Only managed' })
  await managed.click()
  await expect(managed).toHaveAttribute('aria-pressed', 'true')
  await expect(processTable(page)).toContainText('No process passes the quick filters.')
  await managed.click()
  await expect(managed).toHaveAttribute('aria-pressed', 'false')
})

test('pause freezes the list, and says so; resume brings it back to life', async ({ page, proctorHost, spawnProbe }) => {
  await openProctor(page, proctorHost)
  await page.getByRole('button', { name: 'Pause updates' }).click()
  await expect(statusBar(page)).toContainText('Paused')
  const probe = await spawnProbe()
  await searchBox(page).fill(probe.marker)
  await page.waitForTimeout(2000)
  await expect(rowOf(page, probe.pid)).toHaveCount(0)
  await page.getByRole('button', { name: 'Resume updates' }).click()
  await expect(statusBar(page)).not.toContainText('Paused')
  await expect(rowOf(page, probe.pid)).toHaveCount(1)
})
