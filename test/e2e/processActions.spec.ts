import { existsSync, readFileSync } from 'node:fs'
import { expect, openProctor, test } from './fixtures'
import { alive, details, procState, processTable, rowOf, searchBox, statusBar, toast, updateHostSettings } from './processPage'

/** Right-click actions and the details panel, on real processes: what the UI says and what /proc says. */

test('right-click a process: Suspend, Resume, then Terminate; the UI and /proc agree', async ({ page, proctorHost, spawnProbe }, testInfo) => {
  const probe = await spawnProbe()
  await openProctor(page, proctorHost)
  await searchBox(page).fill(probe.marker)
  const row = rowOf(page, probe.pid)
  await expect(row).toHaveCount(1)

  // Suspend: a destructive action asks first.
  await row.click({ button: 'right' })
  const menu = page.getByRole('menu', { name: `Actions for node (PID ${probe.pid})` })
  await expect(menu).toBeVisible()
  for (const name of ['Terminate', 'Kill', 'Suspend', 'Renice', 'Copy PID', 'Copy command line', 'Show in tree', /^Filter to user /]) {
    await expect(menu.getByRole('menuitem', { name, exact: typeof name === 'string' })).toBeVisible()
  }
  await expect(menu.getByRole('menuitem', { name: 'Resume' })).toHaveCount(0)
  await page.screenshot({ path: testInfo.outputPath('context-menu.png') })
  await menu.getByRole('menuitem', { name: 'Suspend' }).click()
  const dialog = page.getByRole('alertdialog', { name: `Suspend node (PID ${probe.pid})?` })
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: 'Suspend' }).click()
  await expect(toast(page, `Suspended node (PID ${probe.pid})`)).toBeVisible()
  await expect(row.getByRole('gridcell', { name: 'Stopped' })).toBeVisible()
  expect(procState(probe.pid)).toBe('T')

  // Resume: the menu now offers Resume instead of Suspend; it does not ask.
  await row.click({ button: 'right' })
  await expect(menu.getByRole('menuitem', { name: 'Suspend' })).toHaveCount(0)
  await menu.getByRole('menuitem', { name: 'Resume' }).click()
  await expect(toast(page, `Resumed node (PID ${probe.pid})`)).toBeVisible()
  await expect.poll(() => procState(probe.pid)).not.toBe('T')
  await expect(row.getByRole('gridcell', { name: 'Stopped' })).toHaveCount(0)

  // Terminate: asked, done, and the row shows it exited, then goes.
  await row.click({ button: 'right' })
  await menu.getByRole('menuitem', { name: 'Terminate' }).click()
  await page.getByRole('alertdialog', { name: `Terminate node (PID ${probe.pid})?` }).getByRole('button', { name: 'Terminate' }).click()
  await expect(toast(page, `Terminated node (PID ${probe.pid})`)).toContainText('It exited after SIGTERM.')
  await expect(row).toHaveCount(0)
  expect(alive(probe.pid)).toBe(false)
})

test('an action the user cancels does nothing; Renice from the submenu; Copy PID', async ({ page, proctorHost, spawnProbe }) => {
  const probe = await spawnProbe()
  await openProctor(page, proctorHost)
  await searchBox(page).fill(probe.marker)
  const row = rowOf(page, probe.pid)

  await row.click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Kill' }).click()
  const dialog = page.getByRole('alertdialog')
  await expect(dialog).toContainText('SIGKILL')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toHaveCount(0)
  expect(alive(probe.pid)).toBe(true)

  // Renice: a submenu of levels; raising the nice value needs no privilege.
  await row.click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Renice' }).click()
  const levels = page.getByRole('menu', { name: 'Renice' })
  await expect(levels.getByRole('menuitem', { name: '0 (current)' })).toHaveAttribute('aria-disabled', 'true')
  await levels.getByRole('menuitem', { name: '+10' }).click()
  await expect(toast(page, `Reniced node (PID ${probe.pid})`)).toContainText('Its nice value is now +10.')
  await expect.poll(() => Number(readFileSync(`/proc/${probe.pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[16])).toBe(10)

  // By keyboard: Shift+F10 opens the menu of the selected row, arrows and Enter choose.
  await row.click()
  await page.keyboard.press('Shift+F10')
  const menu = page.getByRole('menu', { name: `Actions for node (PID ${probe.pid})` })
  await expect(menu.getByRole('menuitem', { name: 'Terminate' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(menu).toHaveCount(0)
  await expect(processTable(page)).toBeFocused()

  await row.click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Copy PID' }).click()
  await expect(toast(page, `Copied PID ${probe.pid}`)).toBeVisible()
})

test('an action refused by the system says why and what to do', async ({ page, proctorHost }) => {
  // pid 1 is protected: never signalled, whoever asks.
  await openProctor(page, proctorHost)
  await searchBox(page).fill('pid = 1')
  const row = rowOf(page, 1)
  await expect(row).toHaveCount(1)
  await row.click({ button: 'right' })
  await page.getByRole('menuitem', { name: 'Suspend' }).click()
  await page.getByRole('alertdialog').getByRole('button', { name: 'Suspend' }).click()
  const refused = toast(page, /Could not suspend .* \(PID 1\)/)
  await expect(refused).toBeVisible()
  await expect(refused).toContainText(/Proctor does not act on init/)
  expect(procState(1)).not.toBe('T')
})

test('the details panel: identity, command line, parent, live charts, actions', async ({ page, proctorHost, spawnProbe }, testInfo) => {
  const probe = await spawnProbe()
  await openProctor(page, proctorHost)
  await searchBox(page).fill(probe.marker)
  const row = rowOf(page, probe.pid)
  await row.dblclick()
  const panel = details(page)
  await expect(panel).toBeVisible()
  await expect(panel.getByRole('heading', { name: 'Details of node' })).toBeVisible()
  await expect(panel).toContainText(`PID ${probe.pid}`)
  await expect(panel.getByRole('region', { name: 'Command line' })).toContainText(probe.marker)
  await expect(panel).toContainText(/User\s*\S+ \(uid \d+\)/)
  await expect(panel).toContainText(/Started.*\(\d+s ago\)|Started.*\(\d+m \d+s ago\)/)
  await expect(panel).toContainText(/Threads\s*\d+/)
  await expect(panel).toContainText(/Open files\s*\d+/)
  await expect(panel.getByRole('button', { name: 'Terminate' })).toBeEnabled()
  // Live charts from watchProcess: drawn once two samples are in.
  await expect(panel.getByRole('figure', { name: 'CPU' }).locator('svg.recharts-surface')).toBeVisible({ timeout: 15_000 })
  await expect(panel.getByRole('figure', { name: 'Memory' }).locator('svg.recharts-surface')).toBeVisible()
  await page.screenshot({ path: testInfo.outputPath('details.png') })

  // The parent (the test runner) is a click away; the panel follows the selection.
  const parent = panel.getByRole('term').filter({ hasText: 'Parent' })
  await expect(parent).toBeVisible()
  await panel.getByRole('definition').getByRole('button', { name: new RegExp(`\\(PID ${process.pid}\\)`) }).click()
  await expect(panel).toContainText(`PID ${process.pid}`)
  await expect(panel.getByRole('list', { name: 'Children' }).getByRole('button', { name: new RegExp(`\\(PID ${probe.pid}\\)`) })).toBeVisible()

  await page.keyboard.press('Escape')
  await expect(panel).toHaveCount(0)
})

test('selection follows the process across refreshes and sorts; new processes are highlighted', async ({ page, proctorHost, spawnSleepers, spawnProbe }) => {
  const { marker, pids } = await spawnSleepers(5)
  await openProctor(page, proctorHost)
  await searchBox(page).fill(marker)
  const table = processTable(page)
  await expect(statusBar(page)).toContainText(`Processes: 5 of`)
  const target = pids[2]!
  await rowOf(page, target).click()
  await expect(table.getByRole('row', { selected: true })).toHaveCount(1)
  await expect(rowOf(page, target)).toHaveAttribute('aria-selected', 'true')

  // Another sort puts it elsewhere; a few refreshes later it is still the one selected.
  await table.getByRole('button', { name: 'PID' }).click()
  await table.getByRole('button', { name: 'PID' }).click()
  await page.waitForTimeout(2500)
  await expect(rowOf(page, target)).toHaveAttribute('aria-selected', 'true')
  await expect(table.getByRole('row', { selected: true })).toHaveCount(1)

  // A process that starts while we look is marked new for a moment.
  await searchBox(page).fill('')
  const probe = await spawnProbe()
  await searchBox(page).fill(probe.marker)
  await expect(rowOf(page, probe.pid)).toHaveClass(/row-new/)
  await expect(rowOf(page, probe.pid)).not.toHaveClass(/row-new/, { timeout: 10_000 })
  expect(existsSync(`/proc/${probe.pid}`)).toBe(true)
})

test('"Don’t ask again" turns the confirmations off, and Preferences turns them back on', async ({ page, proctorHost, spawnProbe }) => {
  const first = await spawnProbe()
  const second = await spawnProbe()
  await openProctor(page, proctorHost)
  try {
    await searchBox(page).fill(first.marker)
    await rowOf(page, first.pid).click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Terminate' }).click()
    const dialog = page.getByRole('alertdialog')
    await dialog.getByRole('checkbox', { name: 'Don’t ask again' }).check()
    await dialog.getByRole('button', { name: 'Terminate' }).click()
    await expect(toast(page, `Terminated node (PID ${first.pid})`)).toBeVisible()

    // No question now: Kill acts at once.
    await searchBox(page).fill(second.marker)
    await rowOf(page, second.pid).click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Kill' }).click()
    await expect(toast(page, `Killed node (PID ${second.pid})`)).toBeVisible()
    await expect(page.getByRole('alertdialog')).toHaveCount(0)
    await expect.poll(() => alive(second.pid)).toBe(false)

    await page.getByRole('button', { name: 'Preferences' }).click()
    const ask = page.getByRole('checkbox', { name: 'Ask before terminating, killing or suspending' })
    await expect(ask).not.toBeChecked()
    await ask.check()
    await page.keyboard.press('Escape')
    const third = await spawnProbe()
    await searchBox(page).fill(third.marker)
    await rowOf(page, third.pid).click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Kill' }).click()
    await expect(page.getByRole('alertdialog', { name: `Kill node (PID ${third.pid})?` })).toBeVisible()
    await page.keyboard.press('Escape')
    expect(alive(third.pid)).toBe(true)
  } finally {
    // The host is shared by the tests of this file: leave the setting as it was.
    await updateHostSettings(proctorHost, { ui: { confirmDestructive: true } })
  }
})
