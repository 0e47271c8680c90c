import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { spawnIdle, uniqueArg, killAll } from '../helpers/children'
import { tempDir } from '../helpers/tempDir'

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

  it('ps --query filters with the query language and --sort orders', () => {
    const marker = uniqueArg('cliq')
    const a = spawnIdle(marker)
    const b = spawnIdle(marker)
    const res = cli(['ps', '--json', '--query', `cmd =~ ${marker} and ppid = ${process.pid} and cmd !~ main.ts`, '--sort', 'pid'])
    expect(res.status).toBe(0)
    const pids = (JSON.parse(res.stdout) as { pid: number }[]).map((p) => p.pid)
    expect(pids).toEqual([a.pid, b.pid].sort((x, y) => (x ?? 0) - (y ?? 0)))
    const byMem = JSON.parse(cli(['ps', '--json', '--sort', 'mem']).stdout) as { memoryBytes: number }[]
    for (let i = 1; i < byMem.length; i++) expect(byMem[i - 1]!.memoryBytes).toBeGreaterThanOrEqual(byMem[i]!.memoryBytes)
  })

  it('ps --tree --json nests children under their parent', () => {
    const marker = uniqueArg('clitree')
    const child = spawnIdle(marker)
    const res = cli(['ps', '--tree', '--json'])
    expect(res.status).toBe(0)
    type N = { process: { pid: number; ppid: number }; children: N[] }
    const roots = JSON.parse(res.stdout) as N[]
    const stack = [...roots]
    let parentOfChild: N | undefined
    while (stack.length) {
      const n = stack.pop() as N
      if (n.children.some((c) => c.process.pid === child.pid)) parentOfChild = n
      stack.push(...n.children)
    }
    expect(parentOfChild?.process.pid).toBe(process.pid)
    const text = cli(['ps', '--tree']).stdout
    expect(text).toMatch(new RegExp(`└ ${child.pid} node`))
  })

  it('ps --watch --json prints one JSON document per line until interrupted', async () => {
    const child = spawn(TSX, [CLI, 'ps', '--json', '--watch', '300', '--query', `pid = ${process.pid}`], {
      env: { ...process.env, PROCTOR_DATA_DIR: tempDir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    await new Promise<void>((resolveWait, reject) => {
      const timer = setTimeout(() => reject(new Error(`only got: ${out}`)), 15_000)
      const check = setInterval(() => {
        if (out.split('\n').filter(Boolean).length >= 3) {
          clearTimeout(timer)
          clearInterval(check)
          resolveWait()
        }
      }, 50)
    })
    child.kill('SIGINT')
    const code = await new Promise((r) => child.once('exit', r))
    expect(code).toBe(0)
    const lines = out.split('\n').filter(Boolean)
    for (const line of lines) expect((JSON.parse(line) as { pid: number }[]).map((p) => p.pid)).toEqual([process.pid])
  })

  it('a bad query prints where it went wrong and exits 2', () => {
    const res = cli(['ps', '--query', 'mem > lots'])
    expect(res.status).toBe(2)
    expect(res.stderr).toMatch(/--query: .*position 6/)
    expect(res.stderr).toContain('  mem > lots\n        ^')
  })

  it.each([
    [['ps', '--bogus'], /Unknown option '--bogus'/],
    [['ps', '--sort', 'size'], /--sort must be one of cpu, mem, pid, name/],
    [['ps', '--watch', 'often'], /--watch must be a number of milliseconds/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [[], /no command given/],
    [['serve', '--port', 'eighty'], /--port must be an integer 0\.\.65535/],
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

  const serving: ChildProcess[] = []
  afterAll(() => {
    // A serve that failed to exit as it should does not outlive the tests.
    for (const child of serving) {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue
      // Its own group: tsx and the node process it starts.
      process.kill(-child.pid, 'SIGKILL')
    }
  })

  /** Runs `proctor serve ARGS` with a small UI folder. */
  function startServe(args: string[], env: Record<string, string> = {}) {
    const staticDir = tempDir('proctor-ui-')
    writeFileSync(resolve(staticDir, 'index.html'), '<title>x</title>')
    const child = spawn(TSX, [CLI, 'serve', ...args], {
      env: { ...process.env, PROCTOR_DATA_DIR: tempDir(), PROCTOR_RENDERER_DIR: staticDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    serving.push(child)
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    return { child, exit, stderr: () => stderr }
  }

  it('serve prints one URL line with the token in its fragment and serves until stopped', async () => {
    const { child, exit } = startServe(['--port', '0'])
    const line = await new Promise<string>((resolveLine, reject) => {
      let out = ''
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.includes('\n')) resolveLine(out)
      })
      child.once('exit', (code) => reject(new Error(`serve exited ${code}`)))
    })
    expect(line).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{32}\n$/)
    const origin = new URL(line.trim()).origin
    // The page is public code; the API wants the token, which plain HTTP cannot carry.
    expect((await fetch(`${origin}/`)).status).toBe(200)
    expect((await fetch(`${origin}/api`)).status).toBe(426)
    child.kill('SIGTERM')
    expect(await exit).toBe(0)
  })

  it('serve keeps the token PROCTOR_TOKEN gives, and refuses one too short to guess hard', async () => {
    const token = 'A'.repeat(20) + '-_0123456789abcdef'
    const { child, exit } = startServe(['--port', '0'], { PROCTOR_TOKEN: token })
    const line = await new Promise<string>((resolveLine) => child.stdout.once('data', (d: Buffer) => resolveLine(d.toString())))
    expect(line).toMatch(new RegExp(`/#token=${token}\n$`))
    child.kill('SIGTERM')
    expect(await exit).toBe(0)
    const weak = cli(['serve'], { PROCTOR_TOKEN: 'secret' })
    expect(weak.status).toBe(2)
    expect(weak.stderr).toContain('PROCTOR_TOKEN must be 32 to 256 characters')
  })

  it('serve on a port in use exits 1 with one line saying so', async () => {
    const busy = createServer()
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()))
    const port = (busy.address() as AddressInfo).port
    try {
      const { exit, stderr } = startServe(['--port', String(port)])
      expect(await exit).toBe(1)
      expect(stderr()).toBe(`proctor: cannot listen on 127.0.0.1:${port}: the port is in use\n`)
    } finally {
      busy.close()
    }
  })

  it('serve on a host name that does not resolve exits 1 with one line saying so', async () => {
    // .invalid never resolves (RFC 6761); without a DNS server the answer is "try again" instead.
    const { exit, stderr } = startServe(['--host', 'no-such-host.invalid', '--port', '8080'])
    expect(await exit).toBe(1)
    expect(stderr()).toMatch(/^proctor: cannot listen on no-such-host\.invalid:8080: (no such host|the host name could not be resolved now)\n$/)
  })

  it.each([
    [['serve', '--allow-host', 'evil.example:80'], /--allow-host takes a host name or an address without a port/],
    [['serve', '--max-connections', '0'], /--max-connections must be an integer 1\.\.1000/],
  ])('%j is a usage error', (args, message) => {
    const res = cli(args)
    expect(res.status).toBe(2)
    expect(res.stderr).toMatch(message)
  })
})
