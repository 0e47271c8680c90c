import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { cspViolations, expect, openProctor, test } from './fixtures'

test('the UI’s files are public, with a CSP and no cookie; the API is a WebSocket and wants the token', async ({ request, proctorHost }) => {
  for (const path of ['/', '/index.html', `/?token=${proctorHost.token}`]) {
    const response = await request.get(`${proctorHost.origin}${path}`)
    expect(response.status(), `GET ${path}`).toBe(200)
    expect(response.headers()['content-security-policy']).toContain("script-src 'self'")
    expect(response.headers()['set-cookie'], `GET ${path}`).toBeUndefined()
  }
  for (const path of ['/api', `/api?token=${proctorHost.token}`]) {
    expect((await request.get(`${proctorHost.origin}${path}`)).status(), `GET ${path}`).toBe(426)
  }
})

interface Seen {
  url: string
  headers: IncomingHttpHeaders
}

/** Another web server on 127.0.0.1, any port: it records every request, and its page makes a few of its own. */
async function otherLocalServer(): Promise<{ server: Server; origin: string; seen: Seen[] }> {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers })
    if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'Content-Type': 'text/html' })
      res.end(`<!doctype html><title>elsewhere</title><img src="/pixel.png"><script>fetch('/probe', { credentials: 'include' })</script>`)
    } else {
      res.writeHead(404)
      res.end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

test('the token never reaches another local web server: not as a cookie, a Referer, nor in a URL', async ({ page, context, proctorHost }) => {
  const other = await otherLocalServer()
  try {
    await openProctor(page, proctorHost)
    await expect(page.getByRole('status')).toHaveText('Connected')
    expect(await context.cookies()).toEqual([])

    // A link followed from Proctor's page (a Referer would name where it came from) ...
    await page.evaluate(`window.location.href = ${JSON.stringify(`${other.origin}/?from-proctor`)}`)
    await expect(page).toHaveTitle('elsewhere')
    // ... and another tab of the same browser opening that server.
    const tab = await context.newPage()
    await tab.goto(`${other.origin}/`)
    await expect.poll(() => other.seen.filter((s) => s.url === '/probe' || s.url === '/pixel.png').length).toBeGreaterThanOrEqual(4)

    expect(other.seen.length).toBeGreaterThanOrEqual(6)
    for (const { url, headers } of other.seen) {
      expect(url).not.toContain(proctorHost.token)
      expect(headers.cookie, `Cookie sent with ${url}`).toBeUndefined()
      expect(JSON.stringify(headers), `headers of ${url}`).not.toContain(proctorHost.token)
      expect(headers.referer ?? '', `Referer of ${url}`).not.toContain(proctorHost.origin)
    }
  } finally {
    other.server.closeAllConnections()
    other.server.close()
  }
})

test('the page takes the token out of the address bar and its history, and keeps it for reloads of this tab only', async ({ page, context, proctorHost }) => {
  await openProctor(page, proctorHost)
  await expect(page.getByRole('status')).toHaveText('Connected')
  expect(page.url()).toBe(`${proctorHost.origin}/`)
  // The entry the token came in on was replaced: back and forth, it is not there.
  await page.goBack()
  await page.goForward()
  expect(page.url()).toBe(`${proctorHost.origin}/`)

  await page.reload()
  await expect(page.getByRole('status')).toHaveText('Connected')
  expect(page.url()).toBe(`${proctorHost.origin}/`)

  // A new tab has no token: it says where to get one, and is not let in.
  const tab = await context.newPage()
  await tab.goto(`${proctorHost.origin}/`)
  await expect(tab.getByRole('alert')).toHaveText(
    'This page has no token for the Proctor host. Open the address `proctor serve` printed (it ends in #token=…).',
  )
  await expect(tab.getByRole('status')).not.toHaveText('Connected')
})

test('the old ways in no longer work: the token in the query, or a wrong token in the fragment', async ({ page, proctorHost }) => {
  await page.goto(`${proctorHost.origin}/?token=${proctorHost.token}`)
  await expect(page.getByRole('alert')).toHaveText(/^This page has no token for the Proctor host\./)
  await expect(page.getByRole('status')).not.toHaveText('Connected')

  await page.goto(`${proctorHost.origin}/#token=${'x'.repeat(32)}`)
  await page.reload()
  await expect(page.getByRole('alert')).toHaveText(/^The Proctor host refused this page’s token/)
  await expect(page.getByRole('status')).not.toHaveText('Connected')
  expect(page.url()).toBe(`${proctorHost.origin}/`)
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
