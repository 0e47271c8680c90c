import { join } from 'node:path'
import { expect, openProctor, test } from './fixtures'
import { schemeShots } from './shots'
import { ROOT } from './host'
import { connectionRow, consoleResults, startIpcClient, type IpcClient } from './ipcPage'
import { withHostApi } from './processPage'

/**
 * Screenshots of the IPC page (light and dark) against a real host and
 * real client processes: off, then on with connections, traffic in the
 * log, a reply and an error in the console. Kept as test artifacts, looked
 * at by eye; the README's come from here.
 */

const clients: IpcClient[] = []
/** A managed program that connects with the variables Proctor gives it. */
const PROGRAM = 'web'
test.afterEach(async ({ proctorHost }) => {
  await Promise.all(clients.splice(0).map((c) => c.stop()))
  await withHostApi(proctorHost, async (api) => {
    if ((await api.listPrograms()).programs.some((p) => p.name === PROGRAM)) await api.removeProgram({ name: PROGRAM })
  })
})

// One run, each state shot in light and in dark: the states take real time to reach (a run per scheme doubled it).
test(`IPC screenshots, light and dark`, async ({ page, proctorHost }, testInfo) => {
  test.setTimeout(60_000)
  // From a clean slate: identities left by another test unregistered, IPC off.
  await withHostApi(proctorHost, async (api) => {
    const before = await api.getIPCConnections()
    if (before.enabled) for (const r of before.registrations) if (r.kind === 'registered') await api.unregisterProcessFromIPC({ processId: r.id })
    await api.updateSettings({ enableIPC: false })
  })
  await page.setViewportSize({ width: 1280, height: 800 })
  await openProctor(page, proctorHost)
  const shot = schemeShots(page, testInfo, 'ipc')

  await page.getByRole('tab', { name: 'IPC' }).click()
  await expect(page.getByRole('heading', { name: 'IPC is off' })).toBeVisible()
  await shot('off')
  await page.getByRole('button', { name: 'Turn on IPC' }).click()
  await expect(page.locator('.ipc-state')).toHaveText('Listening')

  // A program Proctor runs connects by itself (its variables come from Proctor)...
  await withHostApi(proctorHost, (api) =>
    api.addProgram({
      program: { name: PROGRAM, command: join(ROOT, 'node_modules/.bin/tsx'), args: [join(ROOT, 'test/e2e/ipcClient.ts'), '2000', 'env'], cwd: ROOT, restart: 'never' },
      start: true,
    }),
  )
  await expect(connectionRow(page, PROGRAM)).toBeVisible({ timeout: 20_000 })
  // ...and three processes it did not start, registered under names a user would give them.
  const names = ['indexer', 'thumbnailer', 'mailer']
  for (const name of names) {
    const client = await startIpcClient(2000)
    clients.push(client)
    const issued = await withHostApi(proctorHost, (api) => api.registerProcessForIPC({ pid: client.pid, name }))
    await client.connect(issued.socket, issued.token)
  }
  // And one registered that has not connected.
  const idle = await startIpcClient(2000)
  clients.push(idle)
  await withHostApi(proctorHost, (api) => api.registerProcessForIPC({ pid: idle.pid, name: 'backup-agent' }))
  await expect(connectionRow(page, 'mailer')).toBeVisible()

  // Newest first in the console: a timeout, a broadcast, then a reply on top.
  const payload = page.getByLabel('Message (JSON)')
  await connectionRow(page, 'thumbnailer').getByRole('button').first().click()
  await payload.fill('{"op": "slow"}')
  await page.getByLabel('Request timeout').fill('400')
  await page.getByRole('button', { name: 'Request' }).click()
  await expect(consoleResults(page).getByRole('listitem').first().locator('.error-code')).toHaveText('TIMEOUT')
  await page.getByLabel('Request timeout').fill('')
  await payload.fill('{"note": "reindex tonight"}')
  await page.getByRole('button', { name: 'Broadcast' }).click()
  await expect(consoleResults(page).getByRole('listitem').first()).toContainText('Broadcast to 4 connections')
  await connectionRow(page, 'indexer').getByRole('button').first().click()
  await payload.fill('{"op": "sum", "args": [19, 23]}')
  await page.getByRole('button', { name: 'Request' }).click()
  await expect(consoleResults(page).getByRole('listitem').first()).toContainText('Reply from')
  await payload.fill('{"op": "sum",\n  "args": [1, 2,]}')
  // Rates need two overviews a second apart.
  await page.waitForTimeout(2200)
  await shot('page-heartbeats')
  await page.getByRole('checkbox', { name: 'Heartbeats' }).uncheck()
  await shot('page')
})
