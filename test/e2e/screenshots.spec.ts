import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, openProctor, test } from './fixtures'
import { ROOT } from './host'

/**
 * Screenshots of the window at 1280x800, light and dark, kept as test
 * artifacts. With PROCTOR_UPDATE_DOCS=1 they also replace the README's
 * docs/screenshot.png and docs/screenshot-dark.png; a plain test run
 * leaves the checkout as it was.
 */
const updateDocs = process.env.PROCTOR_UPDATE_DOCS === '1'

for (const colorScheme of ['light', 'dark'] as const) {
  test(`screenshot, ${colorScheme}`, async ({ page, proctorHost }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.emulateMedia({ colorScheme })
    await openProctor(page, proctorHost)
    // Wait for a complete window: CPU total (needs two samples) and the refresh interval.
    await expect(page.getByRole('contentinfo')).toContainText(/CPU\s*\d+\.\d%/)
    await expect(page.getByRole('contentinfo')).toContainText(/Refresh\s*\d/)
    // And a second process reading: the first has no CPU % yet (every row 0.0 %); Playwright's own browser is busy.
    await expect(page.getByRole('grid', { name: 'Processes' }).getByRole('row').nth(1)).not.toContainText(/(^|[^\d.])0\.0%/)

    // The whole window fits: toolbar, table and status bar.
    await expect(page.getByRole('searchbox', { name: 'Search processes' })).toBeInViewport()
    await expect(page.getByRole('contentinfo')).toBeInViewport({ ratio: 1 })

    const file = testInfo.outputPath(`proctor-${colorScheme}.png`)
    await page.screenshot({ path: file })
    await testInfo.attach(`proctor-${colorScheme}`, { path: file, contentType: 'image/png' })

    if (!updateDocs) return
    mkdirSync(join(ROOT, 'docs'), { recursive: true })
    await page.screenshot({ path: join(ROOT, 'docs', colorScheme === 'light' ? 'screenshot.png' : 'screenshot-dark.png') })
  })
}
