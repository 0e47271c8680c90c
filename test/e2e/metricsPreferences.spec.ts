import { createServer } from 'node:net'
import { expect, openProctor, test } from './fixtures'
import { schemeShots } from './shots'
import { withHostApi } from './processPage'

/**
 * Preferences' Prometheus part against a real host, which owns its data
 * folder's programs and so serves /metrics: turned on at a free port it
 * answers (401 without the token), a bad port is refused with the field
 * named. Shot in light and dark, kept as test artifacts and looked at by eye.
 */

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

test.afterEach(async ({ proctorHost }) => {
  await withHostApi(proctorHost, (api) => api.updateSettings({ metricsEndpoint: { enabled: false, port: 9464 } }))
})

test('Preferences: serving Prometheus metrics, light and dark', async ({ page, proctorHost }, testInfo) => {
  test.setTimeout(90_000)
  await page.setViewportSize({ width: 1280, height: 800 })
  await openProctor(page, proctorHost)
  const shot = schemeShots(page, testInfo, 'preferences')

  await page.getByRole('button', { name: 'Preferences' }).click()
  const panel = page.getByRole('dialog', { name: 'Preferences' })
  const serve = panel.getByRole('checkbox', { name: 'Serve metrics for Prometheus' })
  await expect(serve).not.toBeChecked()
  const port = await freePort()
  const field = panel.getByRole('textbox', { name: 'Port' })
  await field.fill(String(port))
  await field.press('Enter')
  await expect(panel.getByText(`http://127.0.0.1:${port}/metrics`)).toBeVisible()
  await serve.check()
  await expect(serve).toBeChecked()
  // The owner behind the page now serves /metrics, and only with the token.
  await expect.poll(async () => (await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined))?.status, { timeout: 10_000 }).toBe(401)
  await shot('on')

  await field.fill('70000')
  await field.press('Enter')
  await expect(panel.getByRole('alert')).toContainText('metricsEndpoint.port')
  await shot('bad-port')
  // Refused: the saved port stays.
  await expect(panel.getByText(`http://127.0.0.1:${port}/metrics`)).toBeVisible()
})
