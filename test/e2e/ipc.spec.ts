import { randomBytes } from 'node:crypto'
import { expect, openProctor, test } from './fixtures'
import { connectionRow, consoleResults, messageLog, registerFromPage, startIpcClient, type IpcClient } from './ipcPage'
import { rowOf, searchBox, withHostApi } from './processPage'

/**
 * The IPC page against a real host (`proctor serve` owns the broker) and a
 * real client process (the client module, test/e2e/ipcClient.ts): IPC
 * turned on from the page's own button, the client registered through the
 * page and connected, its counters in the table, a request from the console
 * answered by the client, a message the client receives, the live log with
 * its filters, and errors shown with their codes (TIMEOUT, NOT_FOUND).
 */

let client: IpcClient | undefined
test.afterEach(async () => {
  await client?.stop()
  client = undefined
})

test('turn IPC on from the page, connect a real client, talk to it from the console, read and filter the log', async ({ page, proctorHost, pageProblems }) => {
  // About 15 s on an idle 2-core machine; room for one loaded by other work.
  test.setTimeout(60_000)
  const name = `e2e-${randomBytes(3).toString('hex')}`
  await openProctor(page, proctorHost)
  // The last tab, by keyboard as well as by mouse.
  await page.getByRole('tab', { name: 'Processes' }).focus()
  await page.keyboard.press('End')
  const tab = page.getByRole('tab', { name: 'IPC' })
  await expect(tab).toBeFocused()
  await expect(tab).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByRole('tabpanel', { name: 'IPC' })).toBeVisible()

  // Off by default: said plainly, with one click to turn it on.
  await expect(page.getByRole('heading', { name: 'IPC is off' })).toBeVisible()
  client = await startIpcClient()
  await page.getByRole('button', { name: 'Turn on IPC' }).click()
  await expect(page.locator('.ipc-state')).toHaveText('Listening')
  const socket = (await page.locator('.ipc-socket code').textContent()) ?? ''
  expect(socket).toMatch(/^\//)

  // Registered through the page: the token it shows is the one the client connects with.
  const issued = await registerFromPage(page, client.pid, name)
  expect(issued.socket).toBe(socket)
  await expect(page.getByRole('table', { name: /Registered, not connected/ })).toContainText(name)
  const id = await client.connect(issued.socket, issued.token)
  expect(id).toBe(issued.id)

  // In the table: ready, heartbeats, counted messages (its greeting to Proctor at least).
  const row = connectionRow(page, name)
  await expect(row).toContainText(String(client.pid))
  await expect(row.getByText('Ready', { exact: true })).toBeVisible()
  await expect(row.locator('td.heartbeat-ok')).toBeVisible()
  await expect.poll(async () => Number(/^([\d,]+) \//.exec((await row.locator('.in-out').first().textContent()) ?? '')?.[1]?.replace(/,/g, '') ?? 0)).toBeGreaterThan(0)

  // Picking the row targets the console; a request gets the client's real answer, with its duration.
  await row.getByRole('button', { name: id }).click()
  await expect(page.getByLabel('To', { exact: true })).toHaveValue(id)
  const payload = page.getByLabel('Message (JSON)')
  await payload.fill('{"op": "sum", "args": [2, 3, 37]')
  await expect(page.locator('.console-check')).toHaveText(/^Line 1, column \d+: /)
  await expect(page.getByRole('button', { name: 'Request' })).toBeDisabled()
  await payload.fill('{"op": "sum", "args": [2, 3, 37]}')
  await expect(page.locator('.console-check')).toHaveText(/^Valid JSON/)
  await page.getByRole('button', { name: 'Request' }).click()
  const reply = consoleResults(page).getByRole('listitem').first()
  await expect(reply).toContainText(`Reply from ${id}`)
  await expect(reply.locator('.result-reply')).toContainText('"sum": 42')
  await expect(reply.locator('.result-reply')).toContainText(`"by": ${client.pid}`)
  await expect(reply.locator('.result-duration')).toHaveText(/^[\d.]+ m?s$/)

  // A message sent from the console reaches the client.
  await payload.fill('{"note": "hello from the page"}')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(consoleResults(page).getByRole('listitem').first()).toContainText(`Sent to ${id}`)
  await expect.poll(() => client!.output()).toContain(`message proctor {"note":"hello from the page"}`)

  // The log: the traffic both ways, found through its filters (kind, text, endpoint).
  const log = messageLog(page)
  const events = log.locator('.ipc-event')
  const tools = page.getByRole('group', { name: 'Message log tools' })
  const kind = tools.getByLabel('Kind')
  const text = tools.getByRole('searchbox', { name: 'Filter messages' })
  await kind.selectOption('requests')
  await expect(events).toHaveCount(2)
  await expect(events.nth(0)).toHaveAttribute('data-kind', 'request')
  await expect(events.nth(0)).toContainText(`proctor → ${id}`)
  await expect(events.nth(0)).toContainText('"op":"sum"')
  await expect(events.nth(1)).toHaveAttribute('data-kind', 'response')
  await expect(events.nth(1)).toContainText('"sum":42')
  await kind.selectOption('all')
  await text.fill('E2E CLIENT')
  await expect(events).toHaveCount(1)
  await expect(events.first()).toHaveAttribute('data-kind', 'send')
  await expect(events.first()).toContainText(`${id} → proctor`)
  await text.fill('hello from the page')
  await expect(events).toHaveCount(1)
  await expect(events.first()).toContainText(`proctor → ${id}`)
  await tools.getByRole('button', { name: 'Show all' }).click()
  await tools.getByLabel('Endpoint').selectOption(id)
  await kind.selectOption('liveness')
  const heartbeats = tools.getByRole('checkbox', { name: 'Heartbeats' })
  await heartbeats.uncheck()
  await expect(events).toHaveCount(1)
  await expect(events.first()).toHaveAttribute('data-kind', 'ready')
  await heartbeats.check()
  await expect(log.locator('[data-kind="heartbeat"]').first()).toBeVisible()
  await expect(log.locator('[data-kind="send"], [data-kind="request"]')).toHaveCount(0)
  // Paused, the log stands still while heartbeats keep coming; resumed, they show; cleared, it starts over.
  await tools.getByRole('button', { name: 'Pause' }).click()
  const frozen = await events.count()
  await expect(tools.getByRole('button', { name: /^Resume \(\d+ new\)$/ })).toBeVisible()
  expect(await events.count()).toBe(frozen)
  await tools.getByRole('button', { name: /^Resume/ }).click()
  await tools.getByRole('button', { name: 'Show all' }).click()
  const foot = page.locator('.ipc-log-foot')
  const count = async () => Number(/^(\d+) events/.exec((await foot.textContent()) ?? '')?.[1] ?? -1)
  await expect(foot).toHaveText(/^\d+ events/)
  const before = await count()
  expect(before).toBeGreaterThan(10)
  await tools.getByRole('button', { name: 'Clear' }).click()
  await expect.poll(count).toBeLessThan(before)

  // Errors show with their code: a request the client never answers times out...
  await payload.fill('{"op": "slow"}')
  await page.getByLabel('Request timeout').fill('300')
  await page.getByRole('button', { name: 'Request' }).click()
  await expect(consoleResults(page).getByRole('listitem').first().locator('.error-code')).toHaveText('TIMEOUT')

  // ...and once it is unregistered (asked first), it is gone: NOT_FOUND.
  await row.getByRole('button', { name: 'Unregister' }).click()
  const confirm = page.getByRole('alertdialog', { name: `Unregister ${name}?` })
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await confirm.getByRole('button', { name: 'Unregister' }).click()
  await expect(row).toHaveCount(0)
  await expect(page.getByLabel('To', { exact: true })).toHaveValue(id)
  await payload.fill('{"after": "unregister"}')
  await page.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(consoleResults(page).getByRole('listitem').first().locator('.error-code')).toHaveText('NOT_FOUND')

  expect(pageProblems).toEqual([])
})

test('Register for IPC… on a process opens the register dialog filled from it, bound to its start time', async ({ page, proctorHost, spawnProbe }) => {
  const probe = await spawnProbe()
  await withHostApi(proctorHost, (api) => api.updateSettings({ enableIPC: true }))
  try {
    await openProctor(page, proctorHost)
    await searchBox(page).fill(probe.marker)
    const row = rowOf(page, probe.pid)
    await expect(row).toHaveCount(1)
    await row.click({ button: 'right' })
    await page.getByRole('menu', { name: `Actions for node (PID ${probe.pid})` }).getByRole('menuitem', { name: 'Register for IPC…' }).click()

    await expect(page.getByRole('tab', { name: 'IPC' })).toHaveAttribute('aria-selected', 'true')
    const dialog = page.getByRole('dialog', { name: 'Register a process for IPC' })
    await expect(dialog.getByLabel('Process ID')).toHaveValue(String(probe.pid))
    await expect(dialog.getByLabel('Name (optional)')).toHaveValue('node')
    await dialog.getByRole('button', { name: 'Register', exact: true }).click()
    const done = page.getByRole('dialog', { name: /^node registered as r:\d+$/ })
    await expect(done.getByLabel('Environment')).toHaveValue(/PROCTOR_IPC_TOKEN=/)
    await done.getByRole('button', { name: 'Done' }).click()
    await expect(done).toBeHidden()

    // Bound to the process the page showed: its start time, not only its pid.
    const seen = await withHostApi(proctorHost, (api) => api.findProcesses({ query: `pid = ${probe.pid}` }))
    const registered = await withHostApi(proctorHost, async (api) => (await api.getIPCConnections()).registrations.find((r) => r.pid === probe.pid))
    expect(registered).toMatchObject({ name: 'node', startTime: seen[0]!.startTime })
  } finally {
    await withHostApi(proctorHost, async (api) => {
      for (const r of (await api.getIPCConnections()).registrations) if (r.kind === 'registered') await api.unregisterProcessFromIPC({ processId: r.id })
      await api.updateSettings({ enableIPC: false })
    })
  }
})
