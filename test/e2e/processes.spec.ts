import type { Locator, Page } from '@playwright/test'
import { expect, openProctor, test } from './fixtures'

/** The live process table against the real host and real processes. */

function processTable(page: Page): Locator {
  return page.getByRole('grid', { name: 'Processes' })
}

/** Text of one column for the rendered data rows, read in one go so a refresh cannot interleave. */
async function columnTexts(table: Locator, column: number): Promise<string[]> {
  return table.locator(`.process-row > [role="gridcell"]:nth-child(${column})`).allTextContents()
}

test('search finds a spawned process by a unique argument and by its pid', async ({ page, proctorHost, spawnProbe }) => {
  const probe = await spawnProbe()
  await openProctor(page, proctorHost)
  const table = processTable(page)
  const search = page.getByRole('searchbox', { name: 'Search processes' })

  await search.fill(probe.marker)
  const row = table.getByRole('row').filter({ has: page.getByRole('gridcell', { name: String(probe.pid), exact: true }) })
  await expect(row).toHaveCount(1)
  await expect(row.getByRole('gridcell').first()).toHaveText(String(probe.pid))
  await expect(row).toContainText(probe.marker)
  // The header row and the probe: nothing else carries the marker.
  await expect(table.getByRole('row')).toHaveCount(2)
  await expect(page.getByRole('contentinfo')).toContainText(/Processes: 1 of \d+/)

  // The full command is in the cell's title, even when the cell is too narrow for it.
  const command = row.getByRole('gridcell').last()
  await expect(command).toHaveAttribute('title', new RegExp(`${probe.marker}$`))

  // Case-insensitive.
  await search.fill(probe.marker.toUpperCase())
  await expect(row).toHaveCount(1)

  // An exact pid finds it too.
  await search.fill(String(probe.pid))
  await expect(row).toHaveCount(1)

  // Cleared: every process is back.
  await search.fill('')
  await expect(page.getByRole('contentinfo')).toContainText(/Processes: \d+(?! of)/)
})

test('the search box takes the query language, and hints while a query is invalid', async ({ page, proctorHost, spawnProbe }) => {
  const probe = await spawnProbe()
  await openProctor(page, proctorHost)
  const table = processTable(page)
  const search = page.getByRole('searchbox', { name: 'Search processes' })
  const row = table.getByRole('row').filter({ has: page.getByRole('gridcell', { name: String(probe.pid), exact: true }) })

  await search.fill(`pid = ${probe.pid} and cmd =~ "${probe.marker}$"`)
  await expect(row).toHaveCount(1)
  await expect(table.getByRole('row')).toHaveCount(2)
  await expect(search).not.toHaveAttribute('aria-invalid', 'true')

  await search.fill(`pid = ${probe.pid} and not name = node`)
  await expect(row).toHaveCount(0) // the probe is node
  await expect(table).toContainText('No process matches')

  // Unfinished: the hint says where, and the table keeps the last valid search.
  await search.fill(probe.marker)
  await expect(row).toHaveCount(1)
  await search.fill(`${probe.marker} and cpu >`)
  await expect(search).toHaveAccessibleDescription(/expected a value after '>' at position \d+; showing the last valid search/)
  await expect(search).toHaveAttribute('aria-invalid', 'true')
  await expect(row).toHaveCount(1)
  await page.screenshot({ path: test.info().outputPath('invalid-query-hint.png') })
  await search.fill(probe.marker)
  await expect(search).toHaveAccessibleDescription('')
  await expect(row).toHaveCount(1)
})

test('a search that matches nothing says so', async ({ page, proctorHost }) => {
  await openProctor(page, proctorHost)
  await page.getByRole('searchbox', { name: 'Search processes' }).fill('no-such-process-zz9-plural-z-alpha')
  await expect(processTable(page)).toContainText('No process matches “no-such-process-zz9-plural-z-alpha”.')
  await expect(page.getByRole('contentinfo')).toContainText('Processes: 0 of')
})

test('clicking a column header sorts by that column; clicking again reverses', async ({ page, proctorHost }) => {
  await openProctor(page, proctorHost)
  const table = processTable(page)
  const cpu = table.getByRole('columnheader', { name: 'CPU %' })
  const pid = table.getByRole('columnheader', { name: 'PID' })

  // Default: CPU, highest first.
  await expect(cpu).toHaveAttribute('aria-sort', 'descending')
  await expect(pid).not.toHaveAttribute('aria-sort')
  // Polled: once in CI a read landed on rows whose figures were newer than their order (1.2 above 1.4); the list settles sorted.
  await expect
    .poll(async () => {
      const cpuValues = (await columnTexts(table, 5)).map((t) => Number.parseFloat(t))
      return cpuValues.length > 1 && cpuValues.every((v, i) => i === 0 || v <= cpuValues[i - 1]!)
    })
    .toBe(true)

  await pid.getByRole('button', { name: 'PID' }).click()
  await expect(pid).toHaveAttribute('aria-sort', 'ascending')
  await expect(cpu).not.toHaveAttribute('aria-sort')
  const ascending = (await columnTexts(table, 1)).map(Number)
  expect(ascending.length).toBeGreaterThan(1)
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b))

  await pid.getByRole('button', { name: 'PID' }).click()
  await expect(pid).toHaveAttribute('aria-sort', 'descending')
  const descending = (await columnTexts(table, 1)).map(Number)
  expect(descending).toEqual([...descending].sort((a, b) => b - a))

  // The keyboard works too: Name, A to Z.
  await table.getByRole('button', { name: 'Name' }).focus()
  await page.keyboard.press('Enter')
  await expect(table.getByRole('columnheader', { name: 'Name' })).toHaveAttribute('aria-sort', 'ascending')
})

test('a long list keeps only the visible rows in the DOM and scrolls through all of them', async ({ page, proctorHost, spawnSleepers }) => {
  const count = 150
  const { marker, pids } = await spawnSleepers(count)
  await openProctor(page, proctorHost)
  const table = processTable(page)
  await page.getByRole('searchbox', { name: 'Search processes' }).fill(marker)
  await table.getByRole('button', { name: 'PID' }).click()
  await expect(page.getByRole('contentinfo')).toContainText(`Processes: ${count} of`)
  await expect(table).toHaveAttribute('aria-rowcount', String(count + 1))

  const rendered = await table.getByRole('row').count()
  expect(rendered).toBeLessThan(count)
  const sorted = [...pids].sort((a, b) => a - b)
  await expect(table.getByRole('row').nth(1).getByRole('gridcell').first()).toHaveText(String(sorted[0]))

  // Scrolled to the end, the last process is there, at its place in the list.
  await table.evaluate((el) => el.parentElement?.scrollTo({ top: el.parentElement.scrollHeight }))
  const last = table.getByRole('row').filter({ has: page.getByRole('gridcell', { name: String(sorted.at(-1)), exact: true }) })
  await expect(last).toBeVisible()
  await expect(last).toHaveAttribute('aria-rowindex', String(count + 1))
})

test('the window keeps no growing record of its updates', async ({ page, proctorHost }) => {
  await openProctor(page, proctorHost)
  // A few refreshes: the performance buffer holds the last update mark only (one a second, for days, would be a leak).
  await page.waitForTimeout(3500)
  expect(await page.evaluate("performance.getEntriesByName('proctor:processes-update').length")).toBe(1)
})

