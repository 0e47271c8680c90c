import { expect, openProctor, test } from './fixtures'

/**
 * Screenshots of the Supervisor page (light and dark) against a stand-in
 * supervisor with programs in every state worth seeing: running, backoff
 * counting down, fatal; the add form with its schedule preview; the log
 * viewer. Kept as test artifacts, looked at by eye.
 */

for (const colorScheme of ['light', 'dark'] as const) {
  test(`supervisor screenshots, ${colorScheme}`, async ({ page, fakeSupervisedHost }, testInfo) => {
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.emulateMedia({ colorScheme })
    await openProctor(page, fakeSupervisedHost)
    const shot = async (name: string) => {
      const file = testInfo.outputPath(`supervisor-${name}-${colorScheme}.png`)
      await page.screenshot({ path: file })
      await testInfo.attach(`${name}-${colorScheme}`, { path: file, contentType: 'image/png' })
    }

    // The managed badge on the process page, and the fatal count on the tab.
    await page.getByRole('button', { name: 'Only managed' }).click()
    await expect(page.locator('.process-row .name.managed')).toHaveCount(2)
    await expect(page.locator('.process-row .name.managed').first()).toHaveAttribute('title', /^Managed by Proctor: program (web|db-backup)$/)
    await shot('managed')
    // The tree too: each managed process with its badge.
    await page.getByRole('button', { name: 'Tree', exact: true }).click()
    await expect(page.getByRole('tree', { name: 'Process tree' }).locator('.managed-badge')).toHaveCount(2)
    await shot('managed-tree')
    await page.getByRole('button', { name: 'Table', exact: true }).click()
    await page.getByRole('button', { name: 'Only managed' }).click()

    await page.getByRole('tab', { name: 'Supervisor (1 program fatal)' }).click()
    const table = page.getByRole('table', { name: 'Programs' })
    await expect(table.getByRole('row')).toHaveCount(6)
    await expect(table).toContainText(/restart in \d+s/)
    await shot('page')

    await table.getByRole('button', { name: 'web', exact: true }).click()
    await expect(page.getByRole('log', { name: 'Output of web' })).toContainText('GET /api/items')
    await page.getByRole('searchbox', { name: 'Search logs' }).fill('slow query')
    await shot('logs')

    await page.getByRole('button', { name: 'Add program' }).click()
    const form = page.getByRole('dialog', { name: 'Add a program' })
    await form.getByLabel('Name').fill('Bad name!')
    await form.getByLabel('Command', { exact: true }).fill('node')
    await form.getByLabel('Arguments, one per line').fill('server.js\n--port\n8080')
    await form.getByLabel('First delay (s)').fill('2')
    await form.getByLabel('Attempts').fill('5')
    await form.getByRole('button', { name: 'Add check' }).click()
    await form.getByRole('button', { name: 'Add', exact: true }).click()
    await expect(form.locator('.field-error').first()).toBeVisible()
    await expect(form).toContainText('after 2 s, 4 s, 8 s, 16 s, 32 s')
    await shot('form')
    await form.locator('.form-body').evaluate((el) => el.scrollTo(0, el.scrollHeight / 2))
    await shot('form-lower')
  })
}
