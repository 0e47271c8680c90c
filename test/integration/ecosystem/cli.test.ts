import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseEnvironment, parseExecStart, parseUnitFile, unitValues } from '../../../src/shared/ecosystem/systemd'
import { parsePlist } from '../../../src/shared/ecosystem/launchd'
import { bundledCli } from '../../helpers/bundledCli'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'

/*
 * programs export / import and daemon --install as the user runs them:
 * the bundled CLI as a real process, one real daemon as the owner.
 */

const ROOT = resolve(__dirname, '../../..')
const FIXTURES = join(ROOT, 'test/fixtures/ecosystem')
const CLI = bundledCli()
const started: ChildProcess[] = []

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 })
}

/** `script` (util-linux) gives the CLI a terminal, so it asks; `answer` is typed at the prompt. */
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0
function cliOnTerminal(args: string[], answer: string, env: Record<string, string> = {}) {
  const line = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')
  return spawnSync('script', ['-qec', line, '/dev/null'], { cwd: ROOT, input: answer, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 })
}

describe('programs export and import through a daemon', () => {
  const dataDir = tempDir()
  const env = { PROCTOR_RUNTIME_DIR: join(tempDir('pr-'), 'rt'), PROCTOR_DATA_DIR: dataDir }

  beforeAll(async () => {
    const d = spawn(process.execPath, [CLI, 'daemon'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    started.push(d)
    let out = ''
    d.stdout?.on('data', (b: Buffer) => (out += b.toString()))
    await waitFor(() => /listening on /.test(out) || d.exitCode !== null, 20_000, 'the daemon to listen')
    expect(d.exitCode).toBe(null)
  })
  afterAll(() => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
  })

  const ARGS = ['-e', 'setTimeout(() => {}, 1e6)', 'two words', 'say "hi"', "it's", '100%', '$HOME', 'back\\slash', ';']

  it('export --systemd writes a unit whose ExecStart, Environment and policy read back exactly; notes go to stderr', () => {
    const add = cli(['programs', 'add', 'tricky', '--cwd', '/tmp', '--env', 'GREETING=50% "$USER"', '--restart', 'always', '--', 'node', ...ARGS], env)
    expect(add.status, add.stderr).toBe(0)
    const res = cli(['programs', 'export', 'tricky', '--systemd'], env)
    expect(res.status, res.stderr).toBe(0)
    const unit = parseUnitFile(res.stdout)
    const node = spawnSync('sh', ['-c', 'command -v node'], { encoding: 'utf8' }).stdout.trim()
    // node found in this PATH, written as an absolute path: systemd would not search the user's PATH.
    expect(parseExecStart(unitValues(unit, 'Service', 'ExecStart')[0] ?? '')).toEqual([node, ...ARGS])
    expect(parseEnvironment(unitValues(unit, 'Service', 'Environment'))).toEqual({ GREETING: '50% "$USER"' })
    expect(unitValues(unit, 'Service', 'WorkingDirectory')).toEqual(['/tmp'])
    expect(unitValues(unit, 'Service', 'Restart')).toEqual(['always'])
    // The owner's settings fill what the program leaves out: 5 s, 3 attempts.
    expect(unitValues(unit, 'Service', 'RestartSec')).toEqual(['5s'])
    expect(unitValues(unit, 'Unit', 'StartLimitBurst')).toEqual(['4'])
    expect(res.stdout).toMatch(/^# Install: save as .*\/systemd\/user\/proctor-tricky\.service, then run$/m)
    expect(res.stderr).toMatch(/^note: its output goes to the journal/m)
  })

  it('export --launchd --output FILE writes a plist that reads back; a missing program and a missing format are named', () => {
    const file = join(tempDir(), 'agent.plist')
    const res = cli(['programs', 'export', 'tricky', '--launchd', '--output', file], env)
    expect(res.status, res.stderr).toBe(0)
    expect(res.stderr).toMatch(new RegExp(`^wrote ${file}$`, 'm'))
    const plist = parsePlist(readFileSync(file, 'utf8')) as Record<string, unknown>
    expect((plist.ProgramArguments as string[]).slice(1)).toEqual(ARGS)
    expect(plist).toMatchObject({ Label: 'dev.proctor.tricky', WorkingDirectory: '/tmp', KeepAlive: true, ThrottleInterval: 5, EnvironmentVariables: { GREETING: '50% "$USER"' } })
    const missing = cli(['programs', 'export', 'nope', '--systemd'], env)
    expect(missing.status).toBe(1)
    expect(missing.stderr).toMatch(/NOT_FOUND/)
    const noFormat = cli(['programs', 'export', 'tricky'], env)
    expect(noFormat.status).toBe(2)
    expect(noFormat.stderr.split('\n')[0]).toBe('proctor: programs export: say which format: --systemd (a systemd user unit) or --launchd (a launchd agent)')
  })

  it('import --dry-run of a supervisord file shows the programs and every unmapped field, and saves nothing', () => {
    const res = cli(['programs', 'import', join(FIXTURES, 'supervisord/celeryd.conf'), '--dry-run'], env)
    expect(res.status, res.stderr).toBe(0)
    expect(res.stdout).toContain('supervisord/celeryd.conf (supervisord): 1 program to add')
    expect(res.stdout).toContain('    command  celery worker -A proj ---loglevel=INFO')
    for (const field of ['user = nobody', 'stdout_logfile = /var/log/celery/worker.log', 'stderr_logfile', 'priority = 998']) expect(res.stdout).toContain(`celery: ${field}`)
    expect(res.stdout).toMatch(/Nothing was saved \(--dry-run\)\.$/m)
    expect(JSON.parse(cli(['programs', 'list', '--json'], env).stdout).programs.map((p: { name: string }) => p.name)).toEqual(['tricky'])
  })

  it('import without --yes and without a terminal shows the result and saves nothing; with --yes it adds through the owner', () => {
    const file = join(FIXTURES, 'pm2/streamux.ecosystem.json')
    const ask = cli(['programs', 'import', file], env)
    expect(ask.status, ask.stderr).toBe(0)
    expect(ask.stdout).toMatch(/Nothing was saved: run again with --yes to add them \(proctor programs import .*streamux\.ecosystem\.json --yes\)\.$/m)
    const yes = cli(['programs', 'import', file, '--yes', '--json'], env)
    expect(yes.status, yes.stderr).toBe(0)
    const report = JSON.parse(yes.stdout)
    expect(report).toMatchObject({ format: 'pm2', saved: true, unmapped: [], problems: [] })
    expect(report.added.map((s: { name: string; state: string }) => `${s.name}:${s.state}`)).toEqual(['peer:stopped', 'streamux:stopped'])
    const detail = JSON.parse(cli(['programs', 'show', 'streamux', '--json'], env).stdout)
    expect(detail.program).toMatchObject({ command: 'node', args: [join(FIXTURES, 'pm2/server.js')], cwd: join(FIXTURES, 'pm2'), restart: 'always', tags: ['pm2'] })
    // Again: the names are taken, so nothing is added.
    const again = cli(['programs', 'import', file, '--yes'], env)
    expect(again.status).toBe(1)
    expect(again.stderr).toMatch(/already a program named peer, streamux: remove them or rename in .*; nothing was saved/)
  })

  it('a .config.js is not run without consent; with --yes it is run in its own folder and mapped', () => {
    const dir = tempDir()
    const marker = join(dir, 'was-run')
    const file = join(dir, 'ecosystem.config.js')
    writeFileSync(file, `require('fs').writeFileSync(${JSON.stringify(marker)}, process.cwd())\nmodule.exports = { apps: [{ name: 'js-app', script: 'app.js', watch: true, env: { PORT: 3000 } }] }\n`)
    const refused = cli(['programs', 'import', file, '--dry-run'], env)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toMatch(/ecosystem\.config\.js is JavaScript: reading it runs it \(with node, in its folder\), as pm2 would\. Nothing was run: run again with --yes/)
    expect(existsSync(marker)).toBe(false)
    const res = cli(['programs', 'import', file, '--yes', '--dry-run', '--json'], env)
    expect(res.status, res.stderr).toBe(0)
    expect(readFileSync(marker, 'utf8')).toBe(dir)
    const report = JSON.parse(res.stdout)
    expect(report.programs[0].program).toMatchObject({ name: 'js-app', command: 'node', args: [join(dir, 'app.js')], env: { vars: { PORT: '3000' } } })
    expect(report.unmapped).toEqual([expect.objectContaining({ program: 'js-app', field: 'watch', why: 'Proctor does not restart programs on file changes' })])
    // The real PM2 .config.js fixture, run the same way.
    const csms = JSON.parse(cli(['programs', 'import', join(FIXTURES, 'pm2/csms.ecosystem.config.js'), '--yes', '--dry-run', '--json', '--env', 'production'], env).stdout)
    expect(csms.programs[0].program).toMatchObject({ name: 'csms-app', command: 'npm', args: ['start'], cwd: '/home/latest', maxRestartAttempts: 10, stableMs: 10_000 })
    expect(csms.unmapped.map((u: { field: string }) => u.field)).toEqual(['log_file', 'out_file', 'error_file', 'log_date_format'])
  })

  it('on a terminal, import asks before it runs a .config.js and before it saves; no is no', (ctx) => {
    if (!hasScript) return ctx.skip('no `script` command (util-linux) here to give the CLI a terminal')
    const dir = tempDir()
    const marker = join(dir, 'was-run')
    const file = join(dir, 'ecosystem.config.js')
    writeFileSync(file, `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')\nmodule.exports = { apps: [{ name: 'asked', script: 'app.js' }] }\n`)
    const no = cliOnTerminal(['programs', 'import', file], 'n\n', env)
    expect(no.stdout).toMatch(/ecosystem\.config\.js is JavaScript: reading it runs it \(with node, in its folder\), as pm2 would\. Run it\? \[y\/N\]/)
    expect(no.stdout).toMatch(/proctor: nothing was run or saved/)
    expect(no.status).toBe(1)
    expect(existsSync(marker)).toBe(false)
    // Yes to running it, no to saving.
    const runOnly = cliOnTerminal(['programs', 'import', file], 'y\nn\n', env)
    expect(existsSync(marker)).toBe(true)
    expect(runOnly.stdout).toMatch(/Add this program to Proctor\? \[y\/N\]/)
    expect(runOnly.stdout).toMatch(/Nothing was saved: run again with --yes to add it/)
    expect(runOnly.status).toBe(0)
    const both = cliOnTerminal(['programs', 'import', file], 'y\ny\n', env)
    expect(both.status, both.stdout).toBe(0)
    expect(both.stdout).toMatch(/added asked: stopped/)
    expect(cli(['programs', 'remove', 'asked'], env).status).toBe(0)
  })

  it('import --yes --start starts what it adds', () => {
    const dir = tempDir()
    const file = join(dir, 'run.ecosystem.json')
    writeFileSync(file, JSON.stringify({ apps: [{ name: 'sleeper', script: 'sleep.js', env: { X: 1 } }] }))
    writeFileSync(join(dir, 'sleep.js'), 'setTimeout(() => {}, 60_000)\n')
    const res = cli(['programs', 'import', file, '--yes', '--start'], env)
    expect(res.status, res.stderr).toBe(0)
    expect(res.stdout).toMatch(/^added sleeper: (starting|running), pid \d+$/m)
    expect(cli(['programs', 'stop', 'sleeper'], env).status).toBe(0)
  })

  it('a malformed file, a failing .config.js and a file with problems each exit 1 naming what was wrong', () => {
    const dir = tempDir()
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text)
      return join(dir, name)
    }
    const ini = cli(['programs', 'import', write('bad.conf', '[program:a]\ncommand=/bin/a\nnot a setting\n'), '--dry-run'], env)
    expect(ini.status).toBe(1)
    expect(ini.stderr).toBe(`proctor: ${join(dir, 'bad.conf')}: line 3: expected [section] or key=value, got "not a setting"\n`)
    const json = cli(['programs', 'import', write('bad.json', '{ "apps": [ { "name": "a", } ] }'), '--dry-run'], env)
    expect(json.status).toBe(1)
    expect(json.stderr).toMatch(/bad\.json: not valid JSON: /)
    const throws = cli(['programs', 'import', write('boom.config.js', 'throw new Error("no config here")'), '--yes', '--dry-run'], env)
    expect(throws.status).toBe(1)
    expect(throws.stderr).toMatch(/boom\.config\.js: running it failed: .*Error: no config here/)
    const problem = cli(['programs', 'import', write('env.conf', '[program:w]\ncommand=%(ENV_PROCTOR_SURELY_UNSET)s\n'), '--yes'], env)
    expect(problem.status).toBe(1)
    expect(problem.stdout).toContain('w: [program:w] command (line 2): %(ENV_PROCTOR_SURELY_UNSET)s needs the environment variable PROCTOR_SURELY_UNSET, which is not set')
    expect(problem.stdout).toMatch(/Nothing was saved: fix the problems above first\.$/m)
    const missing = cli(['programs', 'import', join(dir, 'nope.json')], env)
    expect(missing.stderr).toBe(`proctor: ${join(dir, 'nope.json')}: no such file\n`)
  })
})

describe('daemon --install and --uninstall', () => {
  it('writes a systemd user unit under XDG_CONFIG_HOME that starts this CLI as the daemon, says how to enable it, and removes it with its enable link', () => {
    const home = tempDir()
    const config = join(home, 'xdg')
    const env = { HOME: home, XDG_CONFIG_HOME: config }
    const res = cli(['daemon', '--install', '--systemd', '--data-dir', join(home, 'data')], env)
    expect(res.status, res.stderr).toBe(0)
    const path = join(config, 'systemd/user/proctor.service')
    expect(res.stdout).toBe(`wrote ${path}\nto start the daemon now and at every login, run: systemctl --user daemon-reload && systemctl --user enable --now proctor\n`)
    const unit = parseUnitFile(readFileSync(path, 'utf8'))
    expect(parseExecStart(unitValues(unit, 'Service', 'ExecStart')[0] ?? '')).toEqual([process.execPath, CLI, 'daemon', '--data-dir', join(home, 'data')])
    expect(parseEnvironment(unitValues(unit, 'Service', 'Environment'))).toEqual({ PATH: process.env.PATH })
    expect(unitValues(unit, 'Service', 'Restart')).toEqual(['on-failure'])
    expect(unitValues(unit, 'Install', 'WantedBy')).toEqual(['default.target'])
    // What `systemctl --user enable` makes: a link the uninstall removes too.
    mkdirSync(join(config, 'systemd/user/default.target.wants'))
    symlinkSync(path, join(config, 'systemd/user/default.target.wants/proctor.service'))
    const un = cli(['daemon', '--uninstall', '--systemd'], env)
    expect(un.status, un.stderr).toBe(0)
    expect(un.stdout).toMatch(/^removed .*default\.target\.wants\/proctor\.service and .*systemd\/user\/proctor\.service\nto stop a daemon it started, run: systemctl --user stop proctor; systemctl --user daemon-reload\n$/)
    expect(existsSync(path)).toBe(false)
    expect(cli(['daemon', '--uninstall', '--systemd'], env).stdout).toBe('no systemd unit for proctor daemon was installed\n')
  })

  it('writes a launchd agent in ~/Library/LaunchAgents, and removes it', () => {
    const home = tempDir()
    const res = cli(['daemon', '--install', '--launchd'], { HOME: home })
    expect(res.status, res.stderr).toBe(0)
    const path = join(home, 'Library/LaunchAgents/dev.proctor.daemon.plist')
    expect(res.stdout).toBe(`wrote ${path}\nto start the daemon now and at every login, run: launchctl load -w ${path}\n`)
    const plist = parsePlist(readFileSync(path, 'utf8')) as Record<string, unknown>
    expect(plist).toMatchObject({ Label: 'dev.proctor.daemon', ProgramArguments: [process.execPath, CLI, 'daemon'], RunAtLoad: true, KeepAlive: { SuccessfulExit: false } })
    expect(plist.StandardErrorPath).toBe(join(home, 'Library/Logs/Proctor/daemon.err.log'))
    expect(cli(['daemon', '--uninstall', '--launchd'], { HOME: home }).stdout).toBe(`removed ${path}\nto stop a daemon it started, run: launchctl bootout gui/$(id -u)/dev.proctor.daemon\n`)
    expect(existsSync(path)).toBe(false)
  })

  it('refuses --install with --uninstall, and --systemd without either', () => {
    expect(cli(['daemon', '--install', '--uninstall']).stderr.split('\n')[0]).toBe('proctor: daemon: --install or --uninstall, not both')
    expect(cli(['daemon', '--systemd']).stderr.split('\n')[0]).toBe('proctor: daemon: --systemd and --launchd go with --install or --uninstall')
  })
})
