import { expect, openProctor, test } from './fixtures'
import { createDialog, fillCreateForm, poolRow, resetPools, submitTask, workersTable } from './poolsPage'
import { rowOf, searchBox } from './processPage'

/**
 * The Pools page against a real host (`proctor serve` owns the pools) and
 * real workers (the pools' worker fixture, serveTasks): pooling and IPC
 * turned on from the page's banner, a pool created from the form (its
 * field problems found first by the page, then by the engine), its
 * workers, a task's result and a failed one's error, scaling, a worker's
 * pid shown in the process list, and removal, drained and forced, behind
 * a dialog whose focus starts on the safe choice.
 */

test.afterEach(async ({ proctorHost }) => {
  await resetPools(proctorHost)
})

test('turn pools on, create a pool from the form, run tasks on its workers, scale it, find a worker, remove it', async ({ page, proctorHost, pageProblems }) => {
  // Worker starts and task round trips: under 20 s on an idle 2-core machine; room for a loaded one.
  test.setTimeout(120_000)
  await resetPools(proctorHost)
  await openProctor(page, proctorHost)
  await page.getByRole('tab', { name: 'Pools' }).click()
  await expect(page.getByRole('tabpanel', { name: 'Pools' })).toBeVisible()

  // Off by default, with IPC: one banner, one click for both.
  const banner = page.locator('.pools-off')
  await expect(banner).toContainText('Worker pools are off, and so is the IPC broker')
  await expect(page.getByRole('button', { name: 'New pool…' })).toBeDisabled()
  await banner.getByRole('button', { name: 'Turn on pools and IPC' }).click()
  await expect(banner).toBeHidden()
  await expect(page.locator('.pools-state')).toHaveText('Pools on')
  await expect(page.getByRole('heading', { name: 'No worker pools yet' })).toBeVisible()

  // The form: defaults from the settings as placeholders; problems found on the page, by field.
  await page.getByRole('button', { name: 'Create a pool…' }).click()
  const dialog = createDialog(page)
  await expect(dialog).toBeVisible()
  await expect(dialog.getByLabel('Min workers')).toHaveAttribute('placeholder', '1')
  await expect(dialog.getByLabel('Max workers')).toHaveAttribute('placeholder', '4')
  await expect(dialog.getByLabel('Task timeout (ms)')).toHaveAttribute('placeholder', '30000')
  await dialog.getByLabel('ID', { exact: true }).fill('.hidden')
  await dialog.getByLabel('Min workers').fill('3')
  await dialog.getByLabel('Max workers').fill('2')
  await dialog.getByRole('button', { name: 'Create pool' }).click()
  await expect(dialog.locator('.field-error[data-field="id"]')).toContainText('not starting with "."')
  await expect(dialog.locator('.field-error[data-field="workerCommand"]')).toContainText('must not be empty')
  await expect(dialog.locator('.field-error[data-field="minWorkers"]')).toContainText('must not exceed maxWorkers (2)')
  await expect(dialog.getByLabel('ID', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()

  // Created from the form with a real worker program.
  await page.getByRole('button', { name: 'Create a pool…' }).click()
  await fillCreateForm(page, { id: 'e2e-echo', name: 'Echo workers', min: '1', max: '3' })
  await expect(dialog).toBeHidden()
  const row = poolRow(page, 'Echo workers')
  await expect(row).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Echo workers', level: 2 })).toBeVisible()
  const workers = workersTable(page, 'Echo workers')
  await expect(workers.getByRole('row')).toHaveCount(2, { timeout: 30_000 })
  await expect(workers.locator('tbody tr').first().locator('.worker-badge')).toHaveText('Idle', { timeout: 30_000 })
  await expect(row).toContainText('1 / 1')
  for (const title of ['Throughput', 'Queue depth', 'Latency', 'Utilisation']) await expect(page.getByRole('figure', { name: title, exact: true })).toBeVisible()

  // A task and its result, through awaitTask.
  const done = await submitTask(page, '{"op": "echo", "value": {"answer": 42}}')
  await expect(done).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  await expect(done.locator('.task-id')).toHaveText(/^e2e-echo\/\d+$/)
  await expect(done.locator('.task-outcome')).toContainText('"answer": 42')
  await expect(done).toContainText('on pool.e2e-echo.')
  const workerPid = Number(/"pid": (\d+)/.exec((await done.locator('.task-outcome').textContent()) ?? '')?.[1])
  expect(workerPid).toBeGreaterThan(0)
  await expect(workers).toContainText(String(workerPid))
  // A failing one: the worker's own error, by name.
  const failed = await submitTask(page, '{"op": "fail", "message": "no such image"}')
  await expect(failed).toHaveAttribute('data-state', 'failed', { timeout: 30_000 })
  await expect(failed.locator('.task-outcome')).toContainText('RangeError')
  await expect(failed.locator('.task-outcome')).toContainText('no such image')
  // Tasks done and failed, counted on the worker and the pool.
  await expect(workers.locator('tbody tr').first()).toContainText('1 / 1')

  // Scaled within min..max: a second worker comes up.
  await page.getByRole('button', { name: 'One worker more' }).click()
  await expect(page.getByLabel('Workers', { exact: true })).toHaveValue('2')
  await expect(workers.locator('tbody tr')).toHaveCount(2, { timeout: 30_000 })
  await expect(workers.locator('tbody tr .worker-badge').filter({ hasText: 'Idle' })).toHaveCount(2, { timeout: 30_000 })
  await expect(row).toContainText('2 / 2')
  // Past max: the control does not offer it.
  await page.getByLabel('Workers', { exact: true }).fill('4')
  await expect(page.getByLabel('Workers', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByRole('button', { name: 'Scale', exact: true })).toBeDisabled()
  await page.getByLabel('Workers', { exact: true }).fill('2')

  // The engine's refusal, by field: the id is taken.
  await page.getByRole('button', { name: 'New pool…' }).click()
  await fillCreateForm(page, { id: 'e2e-echo' })
  await expect(dialog.locator('.field-error[data-field="id"]')).toHaveText('exists already')
  await dialog.getByRole('button', { name: 'Cancel' }).click()

  // A worker's pid opens the process list on it.
  await workers.getByRole('button', { name: String(workerPid) }).click()
  await expect(page.getByRole('tab', { name: 'Processes' })).toHaveAttribute('aria-selected', 'true')
  await expect(searchBox(page)).toHaveValue(`pid = ${workerPid}`)
  await expect(rowOf(page, workerPid)).toBeVisible()
  await searchBox(page).fill('')
  await page.getByRole('tab', { name: 'Pools' }).click()

  // Removed, drained: asked first, the focus on Cancel.
  await page.getByRole('button', { name: 'Remove…', exact: true }).click()
  const confirm = page.getByRole('alertdialog', { name: 'Remove pool Echo workers?' })
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await confirm.getByRole('button', { name: 'Remove', exact: true }).click()
  await expect(row).toBeHidden({ timeout: 30_000 })
  await expect(page.getByRole('heading', { name: 'No worker pools yet' })).toBeVisible()

  // Forced: a task still running is cancelled; asked every time, the focus on Cancel.
  await page.getByRole('button', { name: 'Create a pool…' }).click()
  await fillCreateForm(page, { id: 'e2e-slow', min: '1', max: '1' })
  await expect(workersTable(page, 'e2e-slow').locator('tbody tr .worker-badge')).toHaveText('Idle', { timeout: 30_000 })
  const slow = await submitTask(page, '{"op": "sleep", "ms": 60000}')
  await expect(slow).toHaveAttribute('data-state', 'pending')
  await expect(workersTable(page, 'e2e-slow').locator('tbody tr .worker-badge')).toHaveText('Busy', { timeout: 30_000 })
  await page.getByRole('button', { name: 'Force remove…' }).click()
  const force = page.getByRole('alertdialog', { name: 'Force-remove pool e2e-slow?' })
  await expect(force).toContainText('1 running and 0 queued tasks are cancelled')
  await expect(force.getByRole('button', { name: 'Cancel' })).toBeFocused()
  await expect(force.getByRole('checkbox')).toHaveCount(0)
  await force.getByRole('button', { name: 'Force remove' }).click()
  await expect(poolRow(page, 'e2e-slow')).toBeHidden({ timeout: 30_000 })
  await expect(page.getByRole('heading', { name: 'No worker pools yet' })).toBeVisible()

  expect(pageProblems).toEqual([])
})
