import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, openProctor, test } from './fixtures'
import { ROOT } from './host'
import { details, rowOf, searchBox, statusBar } from './processPage'
import { startClient, startServer, stopHolders } from '../helpers/portHolder'

/**
 * Screenshots of the Ports tab at 1280x800, light and dark, with a real
 * server and a client connected to it: the table, a port row's menu, and
 * the server's sockets in its details; kept as test artifacts. With
 * PROCTOR_UPDATE_DOCS=1 the table also replaces docs/screenshot-ports.png
 * and docs/screenshot-ports-dark.png.
 */
const updateDocs = process.env.PROCTOR_UPDATE_DOCS === '1'

test.afterEach(stopHolders)
// Four views in each scheme, on a loaded machine.
test.setTimeout(120_000)

for (const colorScheme of ['light', 'dark'] as const) {
  test(`ports screenshots, ${colorScheme}`, async ({ page, proctorHost }, testInfo) => {
    const server = await startServer()
    const client = await startClient(server.info.tcp4)
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.emulateMedia({ colorScheme })
    await openProctor(page, proctorHost)
    await expect(statusBar(page)).toContainText(/CPU\s*\d+\.\d%/)
    const shot = async (name: string, docs?: string) => {
      const file = testInfo.outputPath(`${name}-${colorScheme}.png`)
      await page.screenshot({ path: file })
      await testInfo.attach(`${name}-${colorScheme}`, { path: file, contentType: 'image/png' })
      if (updateDocs && docs) {
        mkdirSync(join(ROOT, 'docs'), { recursive: true })
        await page.screenshot({ path: join(ROOT, 'docs', colorScheme === 'light' ? `${docs}.png` : `${docs}-dark.png`) })
      }
    }

    await page.getByRole('button', { name: 'Ports', exact: true }).click()
    const table = page.getByRole('table', { name: 'Ports' })
    const listener = table.getByRole('row', { name: new RegExp(`127\\.0\\.0\\.1:${server.info.tcp4} .*LISTEN ${server.pid}`) })
    await expect(listener).toHaveCount(1)
    await expect(table.getByRole('row', { name: new RegExp(`ESTABLISHED ${client.pid}`) })).toHaveCount(1)
    await listener.click()
    await shot('ports', 'screenshot-ports')

    await listener.click({ button: 'right' })
    await expect(page.getByRole('menu', { name: /^Actions for 127\.0\.0\.1:/ })).toBeVisible()
    await shot('ports-menu')
    await page.keyboard.press('Escape')

    await page.getByRole('button', { name: 'Table', exact: true }).click()
    await searchBox(page).fill(`port = ${server.info.tcp4}`)
    await rowOf(page, server.pid).dblclick()
    await details(page).getByRole('tab', { name: 'Sockets' }).click()
    const sockets = details(page).getByRole('region', { name: 'Sockets' })
    await expect(sockets.getByRole('table', { name: 'TCP and UDP sockets' })).toBeVisible()
    await sockets.scrollIntoViewIfNeeded()
    await shot('ports-details')
  })
}
