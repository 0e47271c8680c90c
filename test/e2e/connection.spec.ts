import type { Page, TestInfo } from '@playwright/test'
import { expect, openProctor, test } from './fixtures'
import { apiSocket, startHost, type RunningHost } from './host'

/** Reconnecting backs off up to 10 s; on a loaded 2-core machine a restarted host takes a while to answer too. */
const RECONNECT_TIMEOUT_MS = 30_000

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`)
  await page.screenshot({ path: file })
  await testInfo.attach(name, { path: file, contentType: 'image/png' })
}

/** Takes one of the host's connection slots from outside the page, as another tab would. */
async function holdSlot(host: RunningHost): Promise<() => Promise<void>> {
  const socket = apiSocket(host)
  await new Promise<void>((opened, failed) => {
    socket.addEventListener('open', () => opened())
    socket.addEventListener('close', () => failed(new Error('the slot was not granted')))
  })
  const gone = new Promise<void>((closed) => socket.addEventListener('close', () => closed()))
  return () => {
    socket.close()
    return gone
  }
}

test('losing the host shows a banner and marks the data as not live', async ({ page }) => {
  // Its own host: this test stops it.
  const host = await startHost()
  try {
    await openProctor(page, host)
    await expect(page.getByRole('status')).toHaveText('Connected')
    await expect(page.getByRole('alert')).toHaveCount(0)

    await host.stop()
    await expect(page.getByRole('alert')).toContainText('Connection to the Proctor host lost')
    await expect(page.getByRole('status')).toHaveText(/Disconnected|Connecting…/)
    // The last snapshot stays on screen, dimmed.
    await expect(page.getByRole('grid', { name: 'Processes' }).getByRole('row')).not.toHaveCount(1)
  } finally {
    await host.stop()
  }
})

for (const colorScheme of ['light', 'dark'] as const) {
  test(`a full host says so (not "unreachable"), and the page loads everything once a slot frees, ${colorScheme}`, async ({ page }, testInfo) => {
    test.setTimeout(90_000)
    const host = await startHost({ maxConnections: 1 })
    const release = await holdSlot(host)
    try {
      await page.emulateMedia({ colorScheme })
      await page.goto(host.url)
      const banner = page.getByRole('alert').filter({ hasText: 'full' })
      await expect(banner).toHaveText(/^The Proctor host is full \(1 connection\): close a Proctor tab you no longer use, or wait\. Retrying…$/)
      await expect(page.getByRole('alert').filter({ hasText: 'Cannot reach' })).toHaveCount(0)
      await expect(page.getByRole('status')).toHaveText(/Disconnected|Connecting…/)
      await shot(page, testInfo, `host-full-${colorScheme}`)

      await release()
      await expect(page.getByRole('status')).toHaveText('Connected', { timeout: RECONNECT_TIMEOUT_MS })
      await expect(page.getByRole('grid', { name: 'Processes' })).toHaveAttribute('aria-busy', 'false', { timeout: RECONNECT_TIMEOUT_MS })
      await expect(page.getByRole('alert').filter({ hasText: 'full' })).toHaveCount(0)
    } finally {
      await release()
      await host.stop()
    }
  })
}
