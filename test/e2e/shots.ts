import type { Page, TestInfo } from '@playwright/test'

/**
 * Shoots the page as it is in light and in dark, kept as test artifacts
 * `<prefix>-<name>-<scheme>.png` (one run reaches each state once and shoots
 * it in both), and leaves it light.
 */
export function schemeShots(page: Page, testInfo: TestInfo, prefix: string): (name: string) => Promise<void> {
  return async (name) => {
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      const file = testInfo.outputPath(`${prefix}-${name}-${colorScheme}.png`)
      await page.screenshot({ path: file })
      await testInfo.attach(`${name}-${colorScheme}`, { path: file, contentType: 'image/png' })
    }
    await page.emulateMedia({ colorScheme: 'light' })
  }
}
