import { expect, openProctor, test } from './fixtures'

/**
 * "Export as systemd unit…" on the Supervisor page, against the stand-in
 * supervisor: the unit of a program (the CLI's writer), what it cannot
 * say, copying it; screenshots in light and dark, looked at by eye.
 * (After supervisorScreens in a worker's order: its backoff countdown
 * must not run out while this file runs first.)
 */

for (const colorScheme of ['light', 'dark'] as const) {
  test(`export as systemd unit, ${colorScheme}`, async ({ page, fakeSupervisedHost }, testInfo) => {
    // Three screenshots and a clipboard round trip: on a loaded 2-core machine that can pass 30 s.
    test.slow()
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.emulateMedia({ colorScheme })
    await openProctor(page, fakeSupervisedHost)
    await page.getByRole('tab', { name: /^Supervisor/ }).click()
    const table = page.getByRole('table', { name: 'Programs' })
    const exportButton = table.getByRole('row', { name: /^web/ }).getByRole('button', { name: 'Export…' })
    await expect(exportButton).toHaveAttribute('title', 'Export as systemd unit…')
    const rows = testInfo.outputPath(`supervisor-export-rows-${colorScheme}.png`)
    await page.screenshot({ path: rows })
    await testInfo.attach(`export-rows-${colorScheme}`, { path: rows, contentType: 'image/png' })
    await exportButton.click()
    const dialog = page.getByRole('dialog', { name: 'Export web as a systemd unit' })
    const unit = dialog.getByRole('textbox', { name: 'proctor-web.service' })
    await expect(unit).toHaveValue(/^ExecStart=node server\.js --port 8080$/m)
    await expect(unit).toHaveValue(/^WorkingDirectory=\/srv\/web$/m)
    await expect(unit).toHaveValue(/^Restart=always$/m)
    await expect(dialog.getByRole('listitem').filter({ hasText: 'health checks (http) are not exported' })).toHaveCount(1)
    await expect(dialog.getByRole('listitem').filter({ hasText: 'systemd looks node up in its own PATH' })).toHaveCount(1)
    const file = testInfo.outputPath(`supervisor-export-${colorScheme}.png`)
    await page.screenshot({ path: file })
    await testInfo.attach(`export-${colorScheme}`, { path: file, contentType: 'image/png' })
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    await dialog.getByRole('button', { name: 'Copy unit' }).click()
    await expect(page.getByText('Unit copied')).toBeVisible()
    // In the page: its navigator (this project's node types have no DOM).
    const clipboard = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())
    expect(clipboard).toMatch(/^ExecStart=node server\.js --port 8080$/m)
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(dialog).toBeHidden()
  })
}
