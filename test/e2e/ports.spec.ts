import { expect, openProctor, test } from './fixtures'
import { alive, details, rowOf, searchBox, toast } from './processPage'
import { startClient, startServer, stopHolders } from '../helpers/portHolder'

/** The Ports tab and the search's `port` on real sockets: what the page shows and what the process does. */

test.afterEach(stopHolders)

const portsTable = (page: import('@playwright/test').Page) => page.getByRole('table', { name: 'Ports' })

test('search "port = N", right-click the process, Terminate: the server holding N ends', async ({ page, proctorHost }) => {
  const server = await startServer()
  await openProctor(page, proctorHost)
  await searchBox(page).fill(`port = ${server.info.tcp4}`)
  const row = rowOf(page, server.pid)
  await expect(row).toHaveCount(1)
  // Only the server: no other process holds that port.
  await expect(page.getByRole('grid', { name: 'Processes' }).getByRole('row')).toHaveCount(2)
  await row.click({ button: 'right' })
  await page.getByRole('menu', { name: `Actions for node (PID ${server.pid})` }).getByRole('menuitem', { name: 'Terminate' }).click()
  await page.getByRole('alertdialog', { name: `Terminate node (PID ${server.pid})?` }).getByRole('button', { name: 'Terminate' }).click()
  await expect(toast(page, `Terminated node (PID ${server.pid})`)).toBeVisible()
  await expect.poll(() => alive(server.pid)).toBe(false)
})

test('the Ports tab lists a server’s sockets and both ends of a connection; Terminate from a port row ends that process', async ({ page, proctorHost }) => {
  const server = await startServer()
  const client = await startClient(server.info.tcp4)
  await openProctor(page, proctorHost)
  await page.getByRole('button', { name: 'Ports', exact: true }).click()
  const table = portsTable(page)
  await searchBox(page).fill(`pid = ${server.pid} or pid = ${client.pid}`)
  const listener = table.getByRole('row', { name: new RegExp(`127\\.0\\.0\\.1:${server.info.tcp4} .*LISTEN ${server.pid}`) })
  await expect(listener).toHaveCount(1)
  await expect(table.getByRole('row', { name: new RegExp(`\\[::1\\]:${server.info.tcp6} .*LISTEN ${server.pid}`) })).toHaveCount(1)
  await expect(table.getByRole('row', { name: new RegExp(`udp6 \\[::1\\]:${server.info.udp6} .*UNCONN ${server.pid}`) })).toHaveCount(1)
  // The connection, from both ends.
  await expect(table.getByRole('row', { name: new RegExp(`127\\.0\\.0\\.1:${client.info.local} 127\\.0\\.0\\.1:${server.info.tcp4} ESTABLISHED ${client.pid}`) })).toHaveCount(1)
  await expect(table.getByRole('row', { name: new RegExp(`127\\.0\\.0\\.1:${server.info.tcp4} 127\\.0\\.0\\.1:${client.info.local} ESTABLISHED ${server.pid}`) })).toHaveCount(1)

  const menu = page.getByRole('menu', { name: `Actions for 127.0.0.1:${server.info.tcp4}, node (PID ${server.pid})` })
  // By keyboard: a click selects the row, Shift+F10 opens its menu, Escape closes it.
  await listener.click()
  await expect(listener).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Shift+F10')
  await expect(menu.getByRole('menuitem', { name: `Copy address 127.0.0.1:${server.info.tcp4}` })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(menu).toHaveCount(0)

  // Right-click the listener: its own items, then the process's.
  await listener.click({ button: 'right' })
  await expect(menu.getByRole('menuitem', { name: `Copy address 127.0.0.1:${server.info.tcp4}` })).toBeVisible()
  await expect(menu.getByRole('menuitem', { name: `Open http://127.0.0.1:${server.info.tcp4}/` })).toBeVisible()
  await menu.getByRole('menuitem', { name: 'Terminate' }).click()
  await page.getByRole('alertdialog', { name: `Terminate node (PID ${server.pid})?` }).getByRole('button', { name: 'Terminate' }).click()
  await expect(toast(page, `Terminated node (PID ${server.pid})`)).toBeVisible()
  await expect.poll(() => alive(server.pid)).toBe(false)
  expect(alive(client.pid)).toBe(true)
  // Its sockets go at the next refresh.
  await expect(listener).toHaveCount(0)
})

test('a process’s details list its sockets', async ({ page, proctorHost }) => {
  const server = await startServer()
  await openProctor(page, proctorHost)
  await searchBox(page).fill(`listen = ${server.info.udp4}`)
  await rowOf(page, server.pid).dblclick()
  await details(page).getByRole('tab', { name: 'Sockets' }).click()
  const sockets = details(page).getByRole('region', { name: 'Sockets' })
  await expect(sockets.getByRole('table', { name: 'TCP and UDP sockets' })).toContainText(`127.0.0.1:${server.info.tcp4}`)
  await expect(sockets.getByRole('table', { name: 'TCP and UDP sockets' })).toContainText(`[::1]:${server.info.udp6}`)
  await expect(sockets.getByRole('table', { name: 'Unix sockets' })).toBeVisible()
})
