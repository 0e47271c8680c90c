import { expect, openProctor, test } from './fixtures'
import { updateHostSettings, withHostApi } from './processPage'

/**
 * Preferences in a browser, light and dark, with "Start Proctor at login":
 * the page shows the setting but cannot change it (the desktop app applies
 * it, with its own path in the login entry), and says so.
 */

for (const colorScheme of ['light', 'dark'] as const) {
  test(`Preferences with start at login, ${colorScheme}`, async ({ page, proctorHost, pageProblems }, testInfo) => {
    await page.emulateMedia({ colorScheme })
    await updateHostSettings(proctorHost, { startAtLogin: true })
    try {
      await openProctor(page, proctorHost)
      await page.getByRole('button', { name: 'Preferences' }).click()
      const option = page.getByRole('checkbox', { name: /^Start Proctor at login, in the tray/ })
      // The owner's setting, shown as it is, not changeable from here.
      await expect(option).toBeChecked()
      await expect(option).toBeDisabled()
      await expect(page.getByRole('group', { name: 'Startup' })).toContainText('(set in the desktop app)')
      await expect(page.getByText('Start Proctor at login, in the tray')).toHaveAttribute('title', /desktop app/)
      const file = testInfo.outputPath(`preferences-${colorScheme}.png`)
      await page.screenshot({ path: file })
      await testInfo.attach(`preferences-${colorScheme}`, { path: file, contentType: 'image/png' })

      // Off at the owner: the page follows after a reload.
      await updateHostSettings(proctorHost, { startAtLogin: false })
      await page.reload()
      await openProctor(page, proctorHost)
      await page.getByRole('button', { name: 'Preferences' }).click()
      await expect(option).not.toBeChecked()
      expect(await withHostApi(proctorHost, async (api) => (await api.getSettings()).startAtLogin)).toBe(false)
      expect(pageProblems).toEqual([])
    } finally {
      // The host is shared by the tests of this file: leave the setting as it was.
      await updateHostSettings(proctorHost, { startAtLogin: false })
    }
  })
}
