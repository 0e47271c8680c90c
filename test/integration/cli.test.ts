import { spawn, spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { spawnIdle, uniqueArg, killAll } from '../helpers/children'
import { tempDir } from '../helpers/tempDir'
import { afterAll } from 'vitest'

const ROOT = resolve(__dirname, '../..')
const TSX = resolve(ROOT, 'node_modules/.bin/tsx')
const CLI = resolve(ROOT, 'src/main/cli/main.ts')

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(TSX, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PROCTOR_DATA_DIR: tempDir(), ...env },
    timeout: 30_000,
  })
}

describe('the CLI', () => {
  afterAll(killAll)

  it('ps --json prints every process with the stable fields', () => {
    const marker = uniqueArg('cli')
    const child = spawnIdle(marker)
    const res = cli(['ps', '--json'])
    expect(res.status).toBe(0)
    const list = JSON.parse(res.stdout) as Record<string, unknown>[]
    expect(Array.isArray(list)).toBe(true)
    const mine = list.find((p) => p.pid === child.pid)
    expect(mine).toBeDefined()
    for (const field of ['pid', 'ppid', 'name', 'command', 'user', 'state', 'cpuPercent', 'memoryBytes', 'startTime']) {
      expect(mine, field).toHaveProperty(field)
    }
    expect(mine?.ppid).toBe(process.pid)
    expect(String(mine?.command)).toContain(marker)
    expect(typeof mine?.startTime).toBe('number')
    expect(Math.abs(Number(mine?.startTime) - Date.now())).toBeLessThan(60_000)
  })

  it('ps prints a table sorted by pid', () => {
    const res = cli(['ps'])
    expect(res.status).toBe(0)
    const lines = res.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^\s*PID\s+PPID\s+USER\s+STATE\s+CPU%\s+MEM\s+COMMAND$/)
    const pids = lines.slice(1).map((l) => Number(l.trim().split(/\s+/)[0]))
    expect(pids).toEqual([...pids].sort((a, b) => a - b))
  })

  it.each([
    [['ps', '--bogus'], /Unknown option '--bogus'/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [[], /no command given/],
    [['serve', '--port', 'eighty'], /--port must be 0\.\.65535/],
    [['ps', 'extra'], /positional/i],
  ])('%j prints usage and exits 2', (args, message) => {
    const res = cli(args)
    expect(res.status).toBe(2)
    expect(res.stderr).toMatch(message)
    expect(res.stderr).toContain('Usage: proctor')
    expect(res.stdout).toBe('')
  })

  it('help exits 0 with the usage', () => {
    const res = cli(['help'])
    expect(res.status).toBe(0)
    expect(res.stdout).toContain('Usage: proctor')
  })

  it('serve prints one URL line with a token and serves until stopped', async () => {
    const staticDir = tempDir('proctor-ui-')
    require('node:fs').writeFileSync(resolve(staticDir, 'index.html'), '<title>x</title>')
    const child = spawn(TSX, [CLI, 'serve', '--port', '0'], {
      env: { ...process.env, PROCTOR_DATA_DIR: tempDir(), PROCTOR_RENDERER_DIR: staticDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const line = await new Promise<string>((resolveLine, reject) => {
      let out = ''
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('\n')) resolveLine(out)
      })
      child.once('exit', (code) => reject(new Error(`serve exited ${code}`)))
    })
    expect(line).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}\n$/)
    const url = line.trim()
    expect((await fetch(url)).status).toBe(200)
    expect((await fetch(url.replace(/\?token=.*/, ''))).status).toBe(401)
    child.kill('SIGTERM')
    const code = await new Promise((r) => child.once('exit', r))
    expect(code).toBe(0)
  })
})
