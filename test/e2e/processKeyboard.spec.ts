import { expect, openProctor, test } from './fixtures'
import { alive, details, processTable, processTree, rowOf, searchBox, statusBar, toast } from './processPage'

/** In the page: "role:name" of the focused element, or null (a string: the tests compile without the DOM's types). */
const FOCUSED = `(() => {
  const el = document.activeElement
  if (!el || el === document.body) return null
  const name = el.getAttribute('aria-label') ?? (el.textContent ?? '').trim()
  return (el.getAttribute('role') ?? el.tagName.toLowerCase()) + ':' + name.slice(0, 40)
})()`

/** The whole flow by keyboard: search, move, details, tree, terminate, kill. */

test('keyboard: / searches, arrows move, Enter opens details, T toggles the tree, Delete then Tab, Enter terminates, Shift+Delete kills', async ({
  page,
  proctorHost,
  spawnSleepers,
}) => {
  const { marker, pids } = await spawnSleepers(3)
  const sorted = [...pids].sort((a, b) => a - b)
  await openProctor(page, proctorHost)
  const table = processTable(page)

  // "/" focuses the search; Down goes to the results, selecting the first.
  await page.locator('body').press('/')
  await expect(searchBox(page)).toBeFocused()
  await page.keyboard.type(marker)
  await expect(statusBar(page)).toContainText('Processes: 3 of')
  await table.getByRole('button', { name: 'PID' }).click()
  await searchBox(page).focus()
  await page.keyboard.press('ArrowDown')
  await expect(table).toBeFocused()
  await expect(rowOf(page, sorted[0]!)).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('ArrowDown')
  await expect(rowOf(page, sorted[1]!)).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await expect(rowOf(page, sorted[2]!)).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('ArrowUp')
  await expect(rowOf(page, sorted[1]!)).toHaveAttribute('aria-selected', 'true')

  // Enter: the details of the selection; Escape closes them.
  await page.keyboard.press('Enter')
  await expect(details(page)).toContainText(`PID ${sorted[1]}`)
  await page.keyboard.press('Escape')
  await expect(details(page)).toHaveCount(0)

  // T: the tree, with the same process selected; T again: the table.
  await page.keyboard.press('t')
  await expect(processTree(page)).toBeVisible()
  await expect(processTree(page).getByRole('treeitem', { selected: true })).toHaveAccessibleName(`sleep, PID ${sorted[1]}`)
  await page.keyboard.press('t')
  await expect(table).toBeVisible()
  await expect(rowOf(page, sorted[1]!)).toHaveAttribute('aria-selected', 'true')

  // Delete: terminate, after a question whose focus is on Cancel: Tab goes to the action, Enter takes it.
  await page.keyboard.press('Delete')
  const dialog = page.getByRole('alertdialog', { name: `Terminate sleep (PID ${sorted[1]})?` })
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(dialog.getByRole('button', { name: 'Terminate' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(toast(page, `Terminated sleep (PID ${sorted[1]})`)).toBeVisible()
  await expect(rowOf(page, sorted[1]!)).toHaveCount(0)
  expect(alive(sorted[1]!)).toBe(false)

  // Shift+Delete: kill; Escape at the question does nothing.
  await table.focus()
  await rowOf(page, sorted[2]!).click()
  await page.keyboard.press('Shift+Delete')
  await expect(page.getByRole('alertdialog', { name: `Kill sleep (PID ${sorted[2]})?` })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('alertdialog')).toHaveCount(0)
  await expect(table).toBeFocused()
  expect(alive(sorted[2]!)).toBe(true)
  await page.keyboard.press('Shift+Delete')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await expect(toast(page, `Killed sleep (PID ${sorted[2]})`)).toBeVisible()
  await expect.poll(() => alive(sorted[2]!)).toBe(false)
})

test('Delete then Enter does not terminate: the question starts on Cancel, the safe choice', async ({ page, proctorHost, spawnProbe }) => {
  const probe = await spawnProbe()
  await openProctor(page, proctorHost)
  await searchBox(page).fill(probe.marker)
  const table = processTable(page)
  await rowOf(page, probe.pid).click()
  await expect(rowOf(page, probe.pid)).toHaveAttribute('aria-selected', 'true')

  // A reflex Enter after Delete answers Cancel.
  await page.keyboard.press('Delete')
  const dialog = page.getByRole('alertdialog', { name: `Terminate node (PID ${probe.pid})?` })
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(dialog).toHaveCount(0)
  await expect(table).toBeFocused()
  // Past the refresh after the question: the process is alive, the UI says nothing was done.
  await page.waitForTimeout(1500)
  expect(alive(probe.pid)).toBe(true)
  await expect(toast(page, /Terminated/)).toHaveCount(0)
  await expect(rowOf(page, probe.pid)).toHaveCount(1)

  // Shift+Delete (kill) too.
  await page.keyboard.press('Shift+Delete')
  await expect(page.getByRole('alertdialog', { name: `Kill node (PID ${probe.pid})?` }).getByRole('button', { name: 'Cancel' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('alertdialog')).toHaveCount(0)
  await page.waitForTimeout(500)
  expect(alive(probe.pid)).toBe(true)
})

test('every control of the process window is reachable with Tab and named', async ({ page, proctorHost }) => {
  await openProctor(page, proctorHost)
  const seen: string[] = []
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab')
    const focused = (await page.evaluate(FOCUSED)) as string | null
    if (!focused) continue
    seen.push(focused)
  }
  const all = seen.join('\n')
  for (const want of ['searchbox:Search processes', 'button:Table', 'button:Tree', 'button:My processes', 'button:Hide kernel threads', 'button:Only managed', 'button:Columns', 'button:Pause updates', 'button:Preferences', 'grid:Processes']) {
    const [role, name] = want.split(':')
    const found = seen.some((s) => (s.startsWith(`${role}:`) || (role === 'searchbox' && s.startsWith('input:'))) && s.includes(name!))
    expect(found, `${want} in the tab order:\n${all}`).toBe(true)
  }
  // None without a name.
  for (const s of seen) expect(s.split(':')[1], s).not.toBe('')
})
