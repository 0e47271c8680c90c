import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page, TestInfo } from '@playwright/test'
import { expect, openProctor, test } from './fixtures'
import { apiSocket, startHost, type RunningHost } from './host'
import { statusBar, updateHostSettings } from './processPage'

/** Reconnecting backs off up to 10 s; on a loaded 2-core machine a restarted host takes a while to answer too. */
const RECONNECT_TIMEOUT_MS = 30_000

const settingsProblem = (page: Page) => page.getByRole('alert').filter({ hasText: 'Could not load the settings' })

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
      // The list does not claim to be loading what it cannot reach.
      await expect(page.getByRole('grid', { name: 'Processes' })).toContainText('Not connected to the Proctor host: see the message above.')
      await shot(page, testInfo, `host-full-${colorScheme}`)

      await release()
      await expect(page.getByRole('status')).toHaveText('Connected', { timeout: RECONNECT_TIMEOUT_MS })
      await expect(page.getByRole('grid', { name: 'Processes' })).toHaveAttribute('aria-busy', 'false', { timeout: RECONNECT_TIMEOUT_MS })
      // Settings were read on connecting: no "Could not load the settings" left over from the refused attempts.
      await expect(statusBar(page)).toContainText(/Refresh\s*1 s/)
      await expect(settingsProblem(page)).toHaveCount(0)
      await expect(page.getByRole('alert')).toHaveCount(0)
    } finally {
      await release()
      await host.stop()
    }
  })
}

test('when the host comes back, the page reads the settings again; a host with a new token says it refused the page', async ({ page }) => {
  test.setTimeout(120_000)
  const token = randomBytes(24).toString('base64url')
  // The test's own data folder: each host below uses it, none removes it.
  const dataDir = mkdtempSync(join(tmpdir(), 'proctor-e2e-data-'))
  let host = await startHost({ token, dataDir })
  const { port } = host
  try {
    await openProctor(page, host)
    await expect(statusBar(page)).toContainText(/Refresh\s*1 s/)
    // Changed behind the page's back (nothing streams settings): only reading them again shows it.
    await updateHostSettings(host, { refreshInterval: 2000 })
    await host.stop()
    await expect(page.getByRole('alert')).toContainText('Connection to the Proctor host lost')

    // Same port, same data, same token: the page reconnects by itself.
    host = await startHost({ port, dataDir, token })
    await expect(page.getByRole('status')).toHaveText('Connected', { timeout: RECONNECT_TIMEOUT_MS })
    await expect(statusBar(page)).toContainText(/Refresh\s*2 s/)
    await expect(page.getByRole('alert')).toHaveCount(0)

    // A fresh token: the page cannot get back in, and says why.
    await host.stop()
    host = await startHost({ port, dataDir })
    await expect(page.getByRole('alert')).toHaveText(
      /^The Proctor host refused this page’s token: a restarted host has a new one\. Open the address `proctor serve` printed\. The data shown is not live\.$/,
      { timeout: RECONNECT_TIMEOUT_MS },
    )
  } finally {
    await host.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
