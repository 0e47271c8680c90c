import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { spawnIdle, uniqueArg, killAll } from '../helpers/children'
import { bundledCli } from '../helpers/bundledCli'
import { tempDir } from '../helpers/tempDir'

const CLI = bundledCli()
const NODE = process.execPath

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(NODE, [CLI, ...args], {
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
    expect(text).toMatch(new RegExp(`^[│ ]*[├└]─ ${child.pid} node`, 'm'))
  })

  it('ps --tree draws ├─ before all children but the last, └─ before the last, │ down a branch that goes on', async () => {
    // A real tree of its own: parent -> first (-> grandchild), second; one process group to kill.
    const marker = uniqueArg('clibranch')
    const script = [
      "const { spawn } = require('node:child_process')",
      'const [role, marker] = process.argv.slice(1)',
      "const child = (r) => spawn(process.execPath, ['-e', process.env.PROCTOR_TREE, r, marker], { stdio: 'ignore' })",
      "if (role === 'parent') { child('first'); setTimeout(() => child('second'), 200) }",
      "if (role === 'first') child('grandchild')",
      'setInterval(() => {}, 1000)',
    ].join('\n')
    const parent = spawn(process.execPath, ['-e', script, 'parent', marker], { stdio: 'ignore', detached: true, env: { ...process.env, PROCTOR_TREE: script } })
    try {
      type Row = { pid: number; ppid: number; command: string }
      let rows: Row[] = []
      const deadline = Date.now() + 15_000
      while (rows.length < 4 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200))
        rows = JSON.parse(cli(['ps', '--json', '--query', `cmd =~ ${marker}`]).stdout) as Row[]
      }
      const pidOf = (role: string) => rows.find((r) => r.command.includes(` ${role} ${marker}`))?.pid ?? -1
      const [first, second, grandchild] = [pidOf('first'), pidOf('second'), pidOf('grandchild')]
      expect([first, second, grandchild].every((pid) => pid > 0), JSON.stringify(rows)).toBe(true)

      const lines = cli(['ps', '--tree']).stdout.split('\n')
      const lineOf = (pid: number) => lines.find((l) => new RegExp(`^[│ ]*(?:[├└]─ )?${pid} `).test(l)) ?? `(no line for ${pid})`
      // Whatever the parent's own place, its children hang below it with one more column.
      const at = /^([│ ]*)([├└]─ )?\d+ /.exec(lineOf(parent.pid ?? -1))
      const indent = `${at?.[1] ?? ''}${at?.[2] === '├─ ' ? '│  ' : at?.[2] === '└─ ' ? '   ' : ''}`
      // Children are in pid order; the first one started spawns the grandchild.
      const [early, late] = first < second ? [first, second] : [second, first]
      expect(lineOf(early).startsWith(`${indent}├─ ${early} node`), lineOf(early)).toBe(true)
      expect(lineOf(late).startsWith(`${indent}└─ ${late} node`), lineOf(late)).toBe(true)
      const under = first === early ? `${indent}│  └─ ` : `${indent}   └─ `
      expect(lineOf(grandchild).startsWith(`${under}${grandchild} node`), lineOf(grandchild)).toBe(true)
    } finally {
      if (parent.pid !== undefined) process.kill(-parent.pid, 'SIGKILL')
    }
  })

  it('ps --watch --json prints one JSON document per line until interrupted', async () => {
    const child = spawn(NODE, [CLI, 'ps', '--json', '--watch', '300', '--query', `pid = ${process.pid}`], {
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

  it('kill of a pid that is not running says so, without claiming it ever ran', async () => {
    const never = cli(['kill', '99999999'])
    expect(never.status).toBe(1)
    expect(never.stderr).toBe('proctor: NOT_FOUND: no process with pid 99999999 is running\n')
    // A process that did run and has ended: the same truthful answer.
    const child = spawnIdle(uniqueArg('gone'))
    await new Promise((resolve) => child.once('spawn', resolve))
    const pid = child.pid ?? 0
    await new Promise((resolve) => {
      child.once('exit', resolve)
      child.kill('SIGKILL')
    })
    const gone = cli(['kill', String(pid), '--signal', 'TERM'])
    expect(gone.status).toBe(1)
    expect(gone.stderr).toBe(`proctor: NOT_FOUND: no process with pid ${pid} is running\n`)
  })

  /** A process's nice value, from /proc (field 19 of stat, counted after the command name). */
  const niceOf = (pid: number): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[16])

  it.runIf(process.platform === 'linux')('renice PID -5 takes the negative number as the nice value', async () => {
    const child = spawnIdle(uniqueArg('renice'))
    await new Promise((resolve) => child.once('spawn', resolve))
    const pid = child.pid ?? 0
    const res = cli(['renice', String(pid), '-5'])
    if (process.getuid?.() === 0) {
      expect(res.stderr).toBe('')
      expect(res.status).toBe(0)
      expect(res.stdout).toBe(`reniced ${pid} (node): nice -5\n`)
      expect(niceOf(pid)).toBe(-5)
      // Flags after it, and the `--` form, read the same.
      expect(cli(['renice', String(pid), '-3', '--json']).status).toBe(0)
      expect(niceOf(pid)).toBe(-3)
      expect(cli(['renice', String(pid), '--', '-4']).status).toBe(0)
      expect(niceOf(pid)).toBe(-4)
    } else {
      // Raising priority needs privileges: refused by the system, not a usage error.
      expect(res.status).toBe(1)
      expect(res.stderr).toMatch(/^proctor: PERMISSION_DENIED: /)
    }
    child.kill('SIGKILL')
  })

  it('renice with a nice value that is not a number, or out of range, is a usage error naming it', () => {
    const child = spawnIdle(uniqueArg('renicebad'))
    const pid = String(child.pid)
    for (const [value, message] of [
      ['abc', 'nice value must be an integer -20..19, got "abc"'],
      ['-5x', 'nice value must be an integer -20..19, got "-5x"'],
      ['-21', 'nice value must be an integer -20..19, got "-21"'],
      ['2.5', 'nice value must be an integer -20..19, got "2.5"'],
    ] as const) {
      const res = cli(['renice', pid, value])
      expect(res.status, value).toBe(2)
      expect(res.stderr.split('\n')[0], value).toBe(`proctor: ${message}`)
    }
    const swapped = cli(['renice', '-5', pid])
    expect(swapped.status).toBe(2)
    expect(swapped.stderr.split('\n')[0]).toBe('proctor: PID must be an integer 1..2147483648, got "-5"')
    child.kill('SIGKILL')
  })

  it("kill's and terminate's odd input (-9, --signal -9, --grace -5) is a usage error saying what to write, and sends nothing", () => {
    const child = spawnIdle(uniqueArg('killbad'))
    const pid = String(child.pid)
    const cases: [string[], string][] = [
      [['kill', pid, '--signal', '-9'], 'proctor: --signal takes a signal name such as KILL, TERM or HUP, not "-9"'],
      [['kill', pid, '--signal=-9'], 'proctor: --signal takes a signal name such as KILL, TERM or HUP, not "-9"'],
      [['kill', '-9', pid], 'proctor: kill: give the signal as --signal NAME (such as --signal KILL or --signal HUP), not -9'],
      [['kill', pid, '-KILL'], 'proctor: kill: give the signal as --signal NAME (such as --signal KILL or --signal HUP), not -KILL'],
      [['terminate', pid, '--grace', '-5'], 'proctor: --grace must be an integer 0..600000, got "-5"'],
    ]
    for (const [args, message] of cases) {
      const res = cli(args)
      expect(res.status, args.join(' ')).toBe(2)
      expect(res.stderr.split('\n')[0], args.join(' ')).toBe(message)
    }
    expect(child.exitCode).toBeNull()
    expect(child.signalCode).toBeNull()
    child.kill('SIGKILL')
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
    const child = spawn(NODE, [CLI, 'serve', ...args], {
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
    [['serve', '--port', '-1'], /--port must be an integer 0\.\.65535, got "-1"/],
  ])('%j is a usage error', (args, message) => {
    const res = cli(args)
    expect(res.status).toBe(2)
    expect(res.stderr).toMatch(message)
  })

  it('ps into a reader that stops early (| head) ends quietly with status 0, not an EPIPE stack', () => {
    const script = `"${NODE}" "${CLI}" ps --tree | head -n 1; echo "ps-status=\${PIPESTATUS[0]}" >&2`
    const res = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, PROCTOR_DATA_DIR: tempDir() }, timeout: 30_000 })
    expect(res.stdout.trim().split('\n')).toHaveLength(1)
    expect(res.stderr).not.toMatch(/EPIPE|Error/)
    expect(res.stderr).toContain('ps-status=0')
  })
})
