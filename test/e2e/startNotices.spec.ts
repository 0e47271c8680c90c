import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, openProctor, test } from './fixtures'
import { startHost } from './host'
import { schemeShots } from './shots'

/*
 * `proctor serve` with a data folder it cannot write (its path runs
 * through a regular file): the page says so over every page, with what
 * still works, until dismissed; the process list works; the Supervisor
 * page says why there are no programs.
 */
test('a data folder that cannot be written is said over the page, and the monitor works', async ({ page }, testInfo) => {
  test.setTimeout(90_000)
  const dir = mkdtempSync(join(tmpdir(), 'proctor-e2e-ro-'))
  const file = join(dir, 'a-file')
  writeFileSync(file, 'not a folder\n')
  const host = await startHost({ dataDir: join(file, 'proctor') })
  try {
    expect(host.stderr()).toContain('cannot be written: part of its path is a file, not a folder (ENOTDIR)')
    await openProctor(page, host)
    const notice = page.getByRole('status').filter({ hasText: 'Proctor runs as a monitor only: processes' })
    await expect(notice).toContainText('Proctor runs as a monitor only: processes, system metrics, ports and process actions work')
    await expect(page.getByRole('grid', { name: 'Processes' }).getByRole('row')).not.toHaveCount(1)
    await page.setViewportSize({ width: 1280, height: 640 })
    const shoot = schemeShots(page, testInfo, 'start-notice')
    await shoot('processes')

    await page.getByRole('tab', { name: 'Supervisor' }).click()
    await expect(page.getByRole('tabpanel', { name: 'Supervisor' }).getByText('so Proctor runs as a monitor only: programs cannot be supervised')).toBeVisible()
    await shoot('supervisor')

    await notice.getByRole('button', { name: 'Dismiss' }).click()
    await expect(notice).toHaveCount(0)
  } finally {
    await host.stop()
    rmSync(dir, { recursive: true, force: true })
  }
})
