import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { closeSupervised, supervised } from '../../helpers/supervisor'
import { waitFor } from '../../helpers/wait'

const linux = process.platform === 'linux'
const HOLDER = resolve(__dirname, '../../fixtures/scripts/portHolder.ts')

describe.runIf(linux)('the port table names supervised programs', () => {
  afterEach(closeSupervised)

  it('gives a supervised program’s sockets its program name', async () => {
    const s = supervised()
    await s.api.addProgram({ program: { name: 'porty', command: process.execPath, args: ['--import', 'tsx', HOLDER, 'serve'], cwd: resolve(__dirname, '../../..'), startSeconds: 0.2 }, start: true })
    const pid = await waitFor(async () => (await s.api.getProgram({ name: 'porty' })).pids[0], 20_000, 'the program to run')
    const rows = await waitFor(async () => {
      const t = await s.api.listPorts({ pid, listen: true })
      return t.entries.length === 4 ? t.entries : undefined
    }, 20_000, 'its four sockets')
    expect(rows.map((e) => e.owner?.program)).toEqual(['porty', 'porty', 'porty', 'porty'])
    expect(rows.every((e) => e.owner?.pid === pid)).toBe(true)
  })
})
