import { createApi } from '../../src/shared/rpc/client'
import { webSocketTransport } from '../../src/shared/rpc/wsClient'
import type { ProctorApi } from '../../src/shared/contract'
import { expect, openProctor, test } from './fixtures'
import { apiSocket, type RunningHost } from './host'
import { updateHostSettings } from './processPage'

/** The monitorSystemMetrics setting from the window: Preferences, and what the System page says without history. */

/** Two readings make the first rates; on a loaded 2-core machine a sample can take a while. */
const LIVE_TIMEOUT_MS = 20_000

/** Asks the host directly, as the page does. */
async function withApi<T>(host: RunningHost, call: (api: ProctorApi) => Promise<T>): Promise<T> {
  const transport = webSocketTransport({
    connect: () => apiSocket(host),
    reconnectMinMs: 0,
  })
  try {
    return await call(createApi(transport))
  } finally {
    transport.close()
  }
}

test('Preferences turns the metrics history off and on; without it the System page says the charts begin when it opened', async ({ page, proctorHost, pageProblems }, testInfo) => {
  await openProctor(page, proctorHost)
  try {
    await page.getByRole('tab', { name: 'System' }).click()
    const note = page.getByRole('note').filter({ hasText: 'History is off' })
    await expect(note).toHaveCount(0)
    // On by default: the host has been recording since it started.
    expect((await withApi(proctorHost, (api) => api.getMetricsHistory())).timestamps.length).toBeGreaterThan(0)

    await page.getByRole('button', { name: 'Preferences' }).click()
    const keep = page.getByRole('checkbox', { name: /^Keep system metrics history/ })
    await expect(keep).toBeChecked()
    await keep.uncheck()
    await page.screenshot({ path: testInfo.outputPath('preferences.png') })
    await page.keyboard.press('Escape')
    await expect(note).toBeVisible()
    await expect(note).toContainText('only what was sampled since this page opened')
    await expect.poll(() => withApi(proctorHost, async (api) => (await api.getSettings()).monitorSystemMetrics)).toBe(false)
    expect((await withApi(proctorHost, (api) => api.getMetricsHistory())).timestamps).toEqual([])

    // The charts still fill, from the page's own samples, in any range.
    const cpu = page.getByRole('figure', { name: 'CPU', exact: true })
    await expect(cpu.locator('.recharts-area-area').first()).toBeAttached({ timeout: LIVE_TIMEOUT_MS })
    await page.getByRole('radiogroup', { name: 'Time range' }).getByRole('radio', { name: '5 min', exact: true }).click()
    await expect(cpu).toContainText('−4m')
    await expect(cpu.locator('.recharts-area-area').first()).toBeAttached()
    await page.screenshot({ path: testInfo.outputPath('system-history-off.png') })

    // Remembered: after a reload it is still off.
    await page.reload()
    await page.getByRole('tab', { name: 'System' }).click()
    await expect(note).toBeVisible()
    await page.getByRole('button', { name: 'Preferences' }).click()
    await expect(keep).not.toBeChecked()
    await keep.check()
    await page.keyboard.press('Escape')
    await expect(note).toHaveCount(0)
    await expect.poll(() => withApi(proctorHost, async (api) => (await api.getMetricsHistory()).timestamps.length), { timeout: LIVE_TIMEOUT_MS }).toBeGreaterThan(0)
    expect(pageProblems).toEqual([])
  } finally {
    // The host is shared by the tests of this file: leave the setting as it was.
    await updateHostSettings(proctorHost, { monitorSystemMetrics: true })
  }
})
