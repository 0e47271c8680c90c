import { expect, openProctor, test } from './fixtures'
import { startHost } from './host'

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
