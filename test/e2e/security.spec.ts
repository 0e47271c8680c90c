import { cspViolations, expect, openProctor, test } from './fixtures'

test('the host refuses requests without the right token', async ({ request, proctorHost }) => {
  for (const path of ['/', '/index.html', '/api', '/?token=wrong-token']) {
    const response = await request.get(`${proctorHost.origin}${path}`)
    expect(response.status(), `GET ${path}`).toBe(401)
  }
  const ok = await request.get(proctorHost.url)
  expect(ok.status()).toBe(200)
  expect(ok.headers()['content-security-policy']).toContain("script-src 'self'")
})

test('the UI runs with no console errors and no CSP violations', async ({ page, proctorHost, pageProblems }) => {
  await openProctor(page, proctorHost)
  // A few refreshes in: system metrics have their second sample (CPU total), settings have loaded.
  const status = page.getByRole('contentinfo')
  await expect(status).toContainText(/CPU\s*\d+\.\d%/)
  await expect(status).toContainText(/Refresh\s*\d/)
  // Exercise search and sort while updates keep arriving.
  await page.getByRole('searchbox', { name: 'Search processes' }).fill('node')
  await page.getByRole('button', { name: 'Memory' }).click()
  await expect(page.getByRole('columnheader', { name: 'Memory' })).toHaveAttribute('aria-sort', 'descending')
  await page.getByRole('searchbox', { name: 'Search processes' }).fill('')
  await expect(page.getByRole('alert')).toHaveCount(0)
  await expect(page.getByRole('status')).toHaveText('Connected')

  expect(pageProblems).toEqual([])
  expect(await cspViolations(page)).toEqual([])
})
