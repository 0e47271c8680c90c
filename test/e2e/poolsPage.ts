import { buildSync } from 'esbuild'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, type Locator, type Page } from '@playwright/test'
import type { RunningHost } from './host'
import { ROOT } from './host'
import { withHostApi } from './processPage'

/** The Pools page's parts, found by role and name, and the worker fixture the pools' own tests use. */

export const poolsTable = (page: Page): Locator => page.getByRole('table', { name: 'Pools' })
export const poolRow = (page: Page, name: string): Locator => poolsTable(page).getByRole('row').filter({ hasText: name })
export const workersTable = (page: Page, name: string): Locator => page.getByRole('table', { name: `Workers of ${name}` })
export const taskResults = (page: Page): Locator => page.getByRole('list', { name: 'Task results' })
export const createDialog = (page: Page): Locator => page.getByRole('dialog', { name: 'Create a worker pool' })

let bundled: string | undefined
/**
 * test/fixtures/scripts/poolWorker.ts (serveTasks: echo, sleep, fail, ...)
 * bundled once into plain CommonJS outside the checkout: node starts it in
 * a fraction of tsx's time, which matters on a loaded 2-core machine.
 */
export function workerScript(): string {
  if (bundled) return bundled
  const outfile = join(mkdtempSync(join(tmpdir(), 'proctor-e2e-worker-')), 'pool-worker.cjs')
  buildSync({ entryPoints: [join(ROOT, 'test/fixtures/scripts/poolWorker.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' })
  bundled = outfile
  return outfile
}

/** From a clean slate: every pool removed at once, pooling and IPC off (the page's switch turns them on), or on. */
export async function resetPools(host: RunningHost, on = false): Promise<void> {
  await withHostApi(host, async (api) => {
    // Removal works with the switches off too.
    for (const p of (await api.getAllPools()).pools) await api.removePool({ poolId: p.id, force: true })
    await api.updateSettings({ enablePooling: on, enableIPC: on })
  })
}

/** Fills the create form and submits it. */
export async function fillCreateForm(page: Page, fields: { id: string; name?: string; min?: string; max?: string; args?: string }): Promise<void> {
  const dialog = createDialog(page)
  await dialog.getByLabel('ID', { exact: true }).fill(fields.id)
  if (fields.name !== undefined) await dialog.getByLabel('Name', { exact: true }).fill(fields.name)
  await dialog.getByLabel('Worker command').fill(process.execPath)
  await dialog.getByLabel('Arguments, one per line').fill(fields.args ?? workerScript())
  if (fields.min !== undefined) await dialog.getByLabel('Min workers').fill(fields.min)
  if (fields.max !== undefined) await dialog.getByLabel('Max workers').fill(fields.max)
  await dialog.getByRole('button', { name: 'Create pool' }).click()
}

/** Types a payload into the test task form and submits it; the newest result's item. */
export async function submitTask(page: Page, payload: string, options: { timeout?: string; priority?: string } = {}): Promise<Locator> {
  const form = page.getByRole('region', { name: 'Send a test task' })
  await form.getByLabel('Payload (JSON)').fill(payload)
  await form.getByLabel('Timeout (ms)').fill(options.timeout ?? '')
  await form.getByLabel('Priority').fill(options.priority ?? '0')
  const before = await taskResults(page).getByRole('listitem').count()
  await form.getByRole('button', { name: 'Submit and wait' }).click()
  await expect(taskResults(page).getByRole('listitem')).toHaveCount(before + 1)
  return taskResults(page).getByRole('listitem').first()
}
