import type { Page } from '@playwright/test'
import type { SystemMetrics } from '../../src/shared/types/system'
import { expect, openProctor, test } from './fixtures'

/** The System page against the real headless host: charts, ranges, live values, light and dark. */

/** Two readings make the first rates and shares; on a loaded 2-core machine a sample can take a while. */
const LIVE_TIMEOUT_MS = 20_000

async function openSystem(page: Page): Promise<void> {
  const tab = page.getByRole('tab', { name: 'System' })
  await tab.click()
  await expect(tab).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByRole('tabpanel', { name: 'System' })).toBeVisible()
}

const CHARTS = ['CPU', 'CPU per core', 'Memory', 'Swap', 'Network', 'Disk I/O']

test('the tabs switch between Processes, System and Supervisor, by mouse and by keyboard', async ({ page, proctorHost, pageProblems }) => {
  await openProctor(page, proctorHost)
  const processesTab = page.getByRole('tab', { name: 'Processes' })
  const systemTab = page.getByRole('tab', { name: 'System' })
  await expect(page.getByRole('tablist', { name: 'Pages' })).toBeVisible()
  await expect(processesTab).toHaveAttribute('aria-selected', 'true')
  await expect(systemTab).toHaveAttribute('aria-selected', 'false')

  // Search for something on Processes: it is still there after a visit to System.
  await page.getByRole('searchbox', { name: 'Search processes' }).fill('node')
  await openSystem(page)
  await expect(page.getByRole('grid', { name: 'Processes' })).toBeHidden()
  await expect(page.getByRole('searchbox', { name: 'Search processes' })).toHaveCount(0)
  await expect(page.getByRole('figure', { name: 'CPU', exact: true })).toBeVisible()

  // Keyboard: the selected tab is the one tab stop; arrows move and select.
  await systemTab.focus()
  await page.keyboard.press('ArrowLeft')
  await expect(processesTab).toBeFocused()
  await expect(processesTab).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByRole('grid', { name: 'Processes' })).toBeVisible()
  await expect(page.getByRole('searchbox', { name: 'Search processes' })).toHaveValue('node')
  await expect(page.getByRole('figure', { name: 'CPU', exact: true })).toHaveCount(0)
  await page.keyboard.press('End')
  const ipcTab = page.getByRole('tab', { name: /^IPC/ })
  await expect(ipcTab).toBeFocused()
  await expect(ipcTab).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('ArrowLeft')
  await expect(page.getByRole('tab', { name: /^Pools/ })).toBeFocused()
  await page.keyboard.press('ArrowLeft')
  const supervisorTab = page.getByRole('tab', { name: /^Supervisor/ })
  await expect(supervisorTab).toBeFocused()
  await expect(supervisorTab).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('ArrowLeft')
  await expect(systemTab).toBeFocused()
  await expect(systemTab).toHaveAttribute('aria-selected', 'true')
  await expect(systemTab).toHaveAttribute('tabindex', '0')
  await expect(processesTab).toHaveAttribute('tabindex', '-1')

  expect(pageProblems).toEqual([])
})

test('the System page shows every chart by name, live values that change, and ranges', async ({ page, proctorHost, pageProblems }) => {
  await openProctor(page, proctorHost)
  await openSystem(page)

  for (const name of CHARTS) {
    const chart = page.getByRole('figure', { name, exact: true })
    await expect(chart, name).toBeVisible()
    // A drawn chart: its svg is there with a size (swap says so when the machine has none).
    if (name === 'Swap' && (await chart.getByText('No swap configured').count()) > 0) continue
    await expect(chart.locator(name === 'CPU per core' ? 'svg.sys-core-plot' : 'svg.recharts-surface').first(), name).toBeVisible()
  }
  // One small chart per core, each named.
  const perCore = page.getByRole('figure', { name: 'CPU per core', exact: true })
  await expect(perCore.getByRole('figure', { name: 'Core 0', exact: true })).toBeVisible()
  await expect(perCore.getByRole('figure', { name: /^Core \d+$/ })).not.toHaveCount(0)
  // Each core's sparkline gets a line once a second sample gives it a value.
  await expect(perCore.locator('path.sys-core-line').first()).toHaveAttribute('d', /^M/, { timeout: LIVE_TIMEOUT_MS })
  // Filesystems: sizes for people, and a usage bar (a meter) per mount.
  const filesystems = page.getByRole('table', { name: 'Filesystems' })
  await expect(filesystems).toBeVisible()
  await expect(filesystems.getByRole('row').nth(1)).toContainText(/\d+(\.\d)? (B|KiB|MiB|GiB|TiB)/, { timeout: LIVE_TIMEOUT_MS })
  await expect(filesystems.getByRole('meter').first()).toHaveAttribute('aria-valuenow', /^\d+$/)

  // Live: the summary gets a real CPU figure, and the sample time moves on.
  const summary = page.getByRole('region', { name: 'Summary' })
  await expect(summary).toContainText(/CPU\s*\d+(\.\d)?%/, { timeout: LIVE_TIMEOUT_MS })
  await expect(summary).toContainText(/Received\s*\d/)
  const updated = page.getByText(/^Last sample \d\d:\d\d:\d\d$/)
  await expect(updated).toBeVisible()
  const first = await updated.textContent()
  await expect(updated).not.toHaveText(first!, { timeout: LIVE_TIMEOUT_MS })
  const second = await updated.textContent()
  await expect(updated).not.toHaveText(second!, { timeout: LIVE_TIMEOUT_MS })

  // The CPU chart draws its areas; its legend has values, not dashes or NaN.
  const cpu = page.getByRole('figure', { name: 'CPU', exact: true })
  await expect(cpu.locator('.recharts-area-area').first()).toBeAttached()
  await expect(cpu).toContainText(/User\s*\d/)
  await expect(page.locator('.system-page')).not.toContainText('NaN')

  // Ranges: one is checked at a time; the x axis follows.
  const ranges = page.getByRole('radiogroup', { name: 'Time range' })
  await expect(ranges.getByRole('radio', { name: '1 min', exact: true })).toHaveAttribute('aria-checked', 'true')
  await expect(cpu).toContainText('−45s')
  for (const [name, tick] of [
    ['5 min', '−4m'],
    ['15 min', '−10m'],
    ['1 hour', '−1h'],
  ] as const) {
    await ranges.getByRole('radio', { name, exact: true }).click()
    await expect(ranges.getByRole('radio', { name, exact: true })).toHaveAttribute('aria-checked', 'true')
    await expect(ranges.getByRole('radio', { checked: true })).toHaveCount(1)
    await expect(cpu).toContainText(tick)
  }
  // The keyboard moves the choice too.
  await ranges.getByRole('radio', { name: '1 hour', exact: true }).focus()
  await page.keyboard.press('ArrowLeft')
  await expect(ranges.getByRole('radio', { name: '15 min', exact: true })).toHaveAttribute('aria-checked', 'true')
  await page.keyboard.press('Home')
  await expect(ranges.getByRole('radio', { name: '1 min', exact: true })).toHaveAttribute('aria-checked', 'true')
  await expect(ranges.getByRole('radio', { name: '1 min', exact: true })).toBeFocused()

  // After a range switch the page still goes live.
  const afterSwitch = await updated.textContent()
  await expect(updated).not.toHaveText(afterSwitch!, { timeout: LIVE_TIMEOUT_MS })
  // Aggregates of the range arrive (getAggregatedMetrics).
  await expect(summary).toContainText(/avg \d/, { timeout: LIVE_TIMEOUT_MS })
  await expect(summary).toContainText(/p95 \d/)
  await expect(page.locator('.system-page')).not.toContainText('NaN')

  expect(pageProblems).toEqual([])
})

test('a tooltip shows the hovered moment with formatted values', async ({ page, proctorHost }) => {
  await openProctor(page, proctorHost)
  await openSystem(page)
  const network = page.getByRole('figure', { name: 'Network', exact: true })
  await expect(page.getByRole('region', { name: 'Summary' })).toContainText(/Received\s*\d/, { timeout: LIVE_TIMEOUT_MS })
  // Wait for a few points, then hover near the right edge (the newest samples).
  await expect(page.getByText(/^Last sample/)).toBeVisible()
  await page.waitForTimeout(2_500)
  const plot = network.locator('.recharts-surface').first()
  const box = (await plot.boundingBox())!
  await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2)
  const tooltip = network.locator('.chart-tooltip')
  await expect(tooltip).toBeVisible()
  await expect(tooltip).toContainText(/\d\d:\d\d:\d\d/)
  await expect(tooltip).toContainText(/Received\s*\d+(\.\d)? (B|KiB|MiB|GiB)\/s/)
  await page.screenshot({ path: test.info().outputPath('system-tooltip.png') })
})

/**
 * The first moments: no history yet and samples whose rates and shares are
 * null (what the engine sends before it has two readings). The page is
 * served by the real host; only the metrics on the WebSocket are rewritten.
 */
async function firstSampleOnly(page: Page): Promise<void> {
  await page.routeWebSocket(/\/api\b/, (ws) => {
    const server = ws.connectToServer()
    const metricsSubscriptions = new Set<number>()
    ws.onMessage((message) => {
      const m = JSON.parse(String(message)) as { t: string; id: number; name?: string; topic?: string }
      if (m.t === 'call' && m.name === 'getMetricsHistory') {
        ws.send(JSON.stringify({ t: 'result', id: m.id, result: { ok: true, value: { timestamps: [], series: {} } } }))
        return
      }
      if (m.t === 'call' && m.name === 'getAggregatedMetrics') {
        ws.send(JSON.stringify({ t: 'result', id: m.id, result: { ok: true, value: { from: 0, to: 0, series: {} } } }))
        return
      }
      if (m.t === 'sub' && m.topic === 'subscribeToMetrics') metricsSubscriptions.add(m.id)
      server.send(message)
    })
    server.onMessage((message) => {
      const m = JSON.parse(String(message)) as { t: string; id: number; payload?: SystemMetrics }
      const sample = m.payload
      if (m.t === 'event' && metricsSubscriptions.has(m.id) && sample) {
        const shares = { total: null, user: null, system: null, iowait: null, steal: null }
        sample.cpu = { total: null, cores: sample.cpu.cores.map(() => null), shares }
        Object.assign(sample.disk, { readBytesPerSec: null, writeBytesPerSec: null, readOpsPerSec: null, writeOpsPerSec: null })
        Object.assign(sample.network, { rxBytesPerSec: null, txBytesPerSec: null, rxPacketsPerSec: null, txPacketsPerSec: null })
        ws.send(JSON.stringify(m))
        return
      }
      ws.send(message)
    })
  })
}

test('before there are rates, the page says it is waiting: no NaN, no broken axes', async ({ page, proctorHost, pageProblems }, testInfo) => {
  await firstSampleOnly(page)
  await page.setViewportSize({ width: 1280, height: 800 })
  await openProctor(page, proctorHost)
  await openSystem(page)
  const updated = page.getByText(/^Last sample \d\d:\d\d:\d\d$/)
  const first = await updated.textContent({ timeout: LIVE_TIMEOUT_MS })
  await expect(updated).not.toHaveText(first!, { timeout: LIVE_TIMEOUT_MS })

  for (const name of ['CPU', 'Network', 'Disk I/O']) {
    const chart = page.getByRole('figure', { name, exact: true })
    await expect(chart, name).toContainText('Waiting for data…')
    // The axes are there, with their usual ticks.
    await expect(chart, name).toContainText('now')
    await expect(chart, name).toContainText(name === 'CPU' ? '100%' : '1 KiB')
  }
  await expect(page.getByRole('figure', { name: 'Core 0', exact: true })).toContainText('–')
  // Levels need one reading: memory is drawn.
  await expect(page.getByRole('figure', { name: 'Memory', exact: true })).not.toContainText('Waiting for data…')
  const summary = page.getByRole('region', { name: 'Summary' })
  await expect(summary).toContainText(/CPU\s*–/)
  await expect(summary).toContainText(/Received\s*–/)
  await expect(summary).not.toContainText('avg')
  await expect(page.locator('.system-page')).not.toContainText(/NaN|undefined|Infinity/)
  await page.screenshot({ path: testInfo.outputPath('system-first-sample.png') })
  expect(pageProblems).toEqual([])
})

for (const colorScheme of ['light', 'dark'] as const) {
  test(`System page screenshot, ${colorScheme}`, async ({ page, proctorHost }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.emulateMedia({ colorScheme })
    await openProctor(page, proctorHost)
    await openSystem(page)
    await expect(page.getByRole('region', { name: 'Summary' })).toContainText(/CPU\s*\d+(\.\d)?%/, { timeout: LIVE_TIMEOUT_MS })
    await expect(page.getByRole('region', { name: 'Summary' })).toContainText(/avg \d/, { timeout: LIVE_TIMEOUT_MS })
    // A few samples, so the charts have lines to show.
    const updated = page.getByText(/^Last sample \d\d:\d\d:\d\d$/)
    for (let i = 0; i < 3; i++) {
      const before = await updated.textContent()
      await expect(updated).not.toHaveText(before!, { timeout: LIVE_TIMEOUT_MS })
    }
    // The whole first screen: toolbar, summary and the first rows of charts.
    await expect(page.getByRole('figure', { name: 'CPU', exact: true })).toBeInViewport({ ratio: 1 })
    await expect(page.getByRole('contentinfo')).toBeInViewport({ ratio: 1 })

    const file = testInfo.outputPath(`system-${colorScheme}.png`)
    await page.screenshot({ path: file })
    await testInfo.attach(`system-${colorScheme}`, { path: file, contentType: 'image/png' })
    // And the rest of the page, scrolled.
    await page.locator('.system-page').evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
    const bottom = testInfo.outputPath(`system-${colorScheme}-bottom.png`)
    await page.screenshot({ path: bottom })
    await testInfo.attach(`system-${colorScheme}-bottom`, { path: bottom, contentType: 'image/png' })
  })
}

/** A size as the page prints it ("252 GiB", "23.5 GiB", "0 B"), back in bytes. */
function bytesOf(text: string): number {
  const m = /^(\d+(?:\.\d+)?) (B|KiB|MiB|GiB|TiB|PiB)$/.exec(text.trim())
  if (!m) throw new Error(`not a size: ${JSON.stringify(text)}`)
  return Number(m[1]) * 1024 ** ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'].indexOf(m[2]!)
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`filesystems: used, available and reserved add up to the size, as df counts them (${colorScheme})`, async ({ page, proctorHost, pageProblems }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.emulateMedia({ colorScheme })
    await openProctor(page, proctorHost)
    await openSystem(page)
    const table = page.getByRole('table', { name: 'Filesystems' })
    await expect(table.getByRole('row').nth(1)).toContainText(/\d+(\.\d)? (B|KiB|MiB|GiB|TiB)/, { timeout: LIVE_TIMEOUT_MS })
    await expect(table.getByRole('columnheader')).toHaveText(['Mount', 'Type', 'Size', 'Used', 'Available', 'Reserved', 'Use'])
    for (const row of await table.getByRole('row').all()) {
      const cells = await row.getByRole('cell').allTextContents()
      if (cells.length === 0) continue // the header row
      const [size, used, available, reserved] = cells.slice(2, 6).map(bytesOf) as [number, number, number, number]
      // The page rounds to about three figures: allow that much per figure.
      const rounding = (size + used + available + reserved) * 0.01
      expect(Math.abs(used + available + reserved - size), cells.join(' | ')).toBeLessThanOrEqual(rounding)
      // The meter is df's Use%: used of used + available.
      const meter = row.getByRole('meter')
      const expected = used + available > 0 ? (used / (used + available)) * 100 : 0
      expect(Math.abs(Number(await meter.getAttribute('aria-valuenow')) - expected), cells.join(' | ')).toBeLessThanOrEqual(2)
      await expect(meter).toHaveAttribute('aria-valuetext', /used of .* usable \(.*%\), .* available/)
    }
    const card = page.locator('section.filesystems')
    await card.scrollIntoViewIfNeeded()
    const file = testInfo.outputPath(`filesystems-${colorScheme}.png`)
    await card.screenshot({ path: file })
    await testInfo.attach(`filesystems-${colorScheme}`, { path: file, contentType: 'image/png' })
    await page.screenshot({ path: testInfo.outputPath(`system-${colorScheme}.png`), fullPage: true })
    // The narrowest window: the table still fits its card, or scrolls inside it.
    await page.setViewportSize({ width: 900, height: 600 })
    await card.scrollIntoViewIfNeeded()
    const narrow = testInfo.outputPath(`filesystems-narrow-${colorScheme}.png`)
    await card.screenshot({ path: narrow })
    await testInfo.attach(`filesystems-narrow-${colorScheme}`, { path: narrow, contentType: 'image/png' })
    expect(pageProblems).toEqual([])
  })
}
