import { expect, openProctor, test } from './fixtures'
import { schemeShots } from './shots'
import { createDialog, poolRow, resetPools, submitTask, workersTable, workerScript } from './poolsPage'
import { withHostApi } from './processPage'

/**
 * Screenshots of the Pools page (light and dark) against a real host and
 * real workers: off, empty, the create form with a problem, then pools at
 * work (a steady stream of tasks for the charts), a task's result and a
 * failed one's error, and the force-remove question. Kept as test
 * artifacts, looked at by eye.
 */

test.afterEach(async ({ proctorHost }) => {
  await resetPools(proctorHost)
})

// One run, each state shot in light and in dark: the states take real time to reach (a run per scheme doubled it).
test(`Pools screenshots, light and dark`, async ({ page, proctorHost }, testInfo) => {
  test.setTimeout(150_000)
  await resetPools(proctorHost)
  await page.setViewportSize({ width: 1280, height: 800 })
  await openProctor(page, proctorHost)
  const shot = schemeShots(page, testInfo, 'pools')

  await page.getByRole('tab', { name: 'Pools' }).click()
  await expect(page.locator('.pools-off')).toBeVisible()
  await shot('off')
  await page.getByRole('button', { name: 'Turn on pools and IPC' }).click()
  await expect(page.getByRole('heading', { name: 'No worker pools yet' })).toBeVisible()
  await page.getByRole('button', { name: 'Create a pool…' }).click()
  const dialog = createDialog(page)
  await dialog.getByLabel('ID', { exact: true }).fill('thumbnails')
  await dialog.getByLabel('Min workers').fill('5')
  await dialog.getByLabel('Max workers').fill('4')
  await dialog.getByRole('button', { name: 'Create pool' }).click()
  await expect(dialog.locator('.field-error[data-field="minWorkers"]')).toBeVisible()
  await shot('form')
  await dialog.getByRole('button', { name: 'Cancel' }).click()

  // Two pools at work: tasks of a few hundred ms streaming into one, a fixed single worker in the other.
  const worker = workerScript()
  await withHostApi(proctorHost, async (api) => {
    await api.createPool({ poolId: 'mailer', config: { name: 'Mail sender', workerCommand: process.execPath, workerArgs: [worker], minWorkers: 1, maxWorkers: 1, scalingStrategy: 'fixed' } })
    await api.createPool({ poolId: 'thumbnails', config: { name: 'Thumbnails', workerCommand: process.execPath, workerArgs: [worker], minWorkers: 2, maxWorkers: 6, loadBalancing: 'least_busy' } })
  })
  await poolRow(page, 'Thumbnails').getByRole('button', { name: 'Thumbnails' }).click()
  await expect(workersTable(page, 'Thumbnails').locator('tbody tr .worker-badge').filter({ hasText: 'Idle' })).toHaveCount(2, { timeout: 30_000 })
  let streaming = true
  const stream = withHostApi(proctorHost, async (api) => {
    for (let i = 0; streaming; i++) {
      const ms = 150 + ((i * 37) % 400)
      await api.submitTaskToPool({ poolId: 'thumbnails', payload: { op: 'sleep', ms, value: { image: `img-${i}.jpg` } } }).catch(() => {})
      if (i % 4 === 0) await api.submitTaskToPool({ poolId: 'mailer', payload: { op: 'echo', value: i } }).catch(() => {})
      await new Promise((r) => setTimeout(r, 60 + ((i * 13) % 90)))
    }
  })
  try {
    await page.getByRole('button', { name: 'One worker more' }).click()
    const failed = await submitTask(page, '{"op": "fail", "message": "unsupported format: image/heic"}')
    await expect(failed).toHaveAttribute('data-state', 'failed', { timeout: 30_000 })
    const done = await submitTask(page, '{"op": "echo", "value": {"image": "cat.jpg", "sizes": [64, 128, 256]}}', { priority: '10' })
    await expect(done).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
    // Some seconds of charts: enough to see them move (twenty took 40 s of the suite's time in two runs).
    await page.waitForTimeout(8000)
    await shot('page')
  } finally {
    streaming = false
    await stream
  }
  // A pool whose workers cannot start: its problem said on the pool and on each worker.
  await withHostApi(proctorHost, (api) =>
    api.createPool({ poolId: 'resizer', config: { name: 'Resizer', workerCommand: '/nonexistent/resize-worker', minWorkers: 2, maxWorkers: 2 } }),
  )
  await poolRow(page, 'Resizer').getByRole('button', { name: 'Resizer' }).click()
  await expect(page.locator('.pool-problem')).toBeVisible({ timeout: 30_000 })
  await shot('problem')
  await poolRow(page, 'Thumbnails').getByRole('button', { name: 'Thumbnails' }).click()
  await page.getByRole('button', { name: 'Force remove…' }).click()
  await expect(page.getByRole('alertdialog')).toBeVisible()
  await shot('force-remove')
  await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click()
})
