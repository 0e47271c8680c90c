import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importPm2 } from '../../../src/shared/ecosystem/pm2'

const FIXTURES = resolve(__dirname, '../../fixtures/ecosystem/pm2')
const json = (name: string): unknown => JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8'))

describe('PM2 import, on real files', () => {
  it('streamux: a command in PATH with a string of args, and a .js script run by node in the file\'s folder', () => {
    const r = importPm2(json('streamux.ecosystem.json'), { dir: '/srv/streamux' })
    expect(r.problems).toEqual([])
    expect(r.unmapped).toEqual([])
    expect(r.programs.map((p) => p.program)).toEqual([
      expect.objectContaining({ name: 'peer', command: 'pnpm', args: ['peer'], cwd: '/srv/streamux', restart: 'always' }),
      expect.objectContaining({ name: 'streamux', command: 'node', args: ['/srv/streamux/server.js'], cwd: '/srv/streamux' }),
    ])
    expect(r.notes.join('\n')).toMatch(/without cwd runs in the file's folder/)
  })

  it('monitor-backend: cluster mode, watch, log files and instance_var each listed with why; env mapped', () => {
    const r = importPm2(json('monitor-backend.ecosystem.json'), { dir: '/srv/mb' })
    expect(r.programs[0]?.program).toMatchObject({
      name: 'newonlyfans-backend',
      command: 'ts-node',
      args: ['-r', 'tsconfig-paths/register', './src/app.ts'],
      env: { vars: { NODE_ENV: 'production' } },
    })
    expect(r.unmapped.map((u) => u.field).sort()).toEqual(['error_file', 'exec_mode', 'ignore_watch', 'instance_var', 'log_date_format', 'out_file', 'watch'].sort())
    expect(r.unmapped.find((u) => u.field === 'exec_mode')?.why).toMatch(/cluster mode/)
  })

  it('a deploy-only file: no apps is a clear error', () => {
    expect(() => importPm2(json('pm2-deploy.ecosystem.json'), { dir: '/x' })).toThrow('no apps: an ecosystem file holds { apps: [...] }; this one has deploy')
  })
})

describe('PM2 fields', () => {
  const one = (app: Record<string, unknown>, envName?: string) => importPm2({ apps: [app] }, { dir: '/srv/app', ...(envName ? { envName } : {}) })

  it('restart fields: autorestart, max_restarts, min_uptime, restart_delay, exp_backoff_restart_delay, kill_timeout', () => {
    expect(one({ name: 'a', script: 'a.js', autorestart: false }).programs[0]?.program.restart).toBe('never')
    expect(one({ name: 'a', script: 'a.js', max_restarts: 5, min_uptime: '2m', restart_delay: 3000, kill_timeout: 8000 }).programs[0]?.program).toMatchObject({
      maxRestartAttempts: 5,
      stableMs: 120_000,
      restartDelayMs: 3000,
      restartBackoffMultiplier: 1,
      stopTimeoutMs: 8000,
    })
    expect(one({ name: 'a', script: 'a.js', exp_backoff_restart_delay: 100 }).programs[0]?.program).toMatchObject({ restartDelayMs: 100, restartBackoffMultiplier: 1.5, maxRestartDelayMs: 15_000 })
    // PM2's own defaults when left out: 16 restarts, 1 s up, kill after 1.6 s, no delay.
    expect(one({ name: 'a', script: 'a.js' }).programs[0]?.program).toMatchObject({ maxRestartAttempts: 16, stableMs: 1000, stopTimeoutMs: 1600, restartDelayMs: 0 })
  })

  it('interpreter: by extension, given, none; node_args before the script; args as an array', () => {
    expect(one({ name: 'a', script: 'job.py', args: ['--x', 'y z'] }).programs[0]?.program).toMatchObject({ command: 'python', args: ['/srv/app/job.py', '--x', 'y z'] })
    expect(one({ name: 'a', script: './run', interpreter: 'none' }).programs[0]?.program).toMatchObject({ command: '/srv/app/run', args: [] })
    expect(one({ name: 'a', script: 'a.js', node_args: '--max-old-space-size=512', cwd: 'sub' }).programs[0]?.program).toMatchObject({
      command: 'node',
      args: ['--max-old-space-size=512', '/srv/app/sub/a.js'],
      cwd: '/srv/app/sub',
    })
    expect(one({ name: 'a', script: 'a.sh', node_args: '--x' }).unmapped[0]).toMatchObject({ field: 'node_args', why: 'the interpreter is bash, not node' })
  })

  it('max_memory_restart becomes a memory health check; instances > 1 is listed', () => {
    const r = one({ name: 'a', script: 'a.js', max_memory_restart: '500M', instances: 'max' })
    expect(r.programs[0]?.program.health).toEqual({ checks: [{ kind: 'memory', maxBytes: 500 * 1024 * 1024 }], unhealthyThreshold: 1 })
    expect(r.unmapped).toEqual([expect.objectContaining({ field: 'instances', value: 'max' })])
  })

  it('--env NAME lays env_NAME over env; other env_ blocks are listed', () => {
    const app = { name: 'a', script: 'a.js', env: { A: '1', B: 2 }, env_production: { B: 'prod' }, env_staging: { B: 's' } }
    const r = one(app, 'production')
    expect(r.programs[0]?.program.env).toEqual({ vars: { A: '1', B: 'prod' } })
    expect(r.unmapped).toEqual([expect.objectContaining({ field: 'env_staging', why: 'used with --env staging' })])
  })

  it('names Proctor refuses are cleaned and said; a bad field is a problem naming the app and field; unknown fields are listed', () => {
    const r = importPm2(
      { apps: [{ name: 'my app!', script: 'a.js', frobnicate: 1 }, { name: 'bad', script: 'b.js', min_uptime: 'soon' }, { name: 'noscript' }, 'text'] },
      { dir: '/srv' },
    )
    expect(r.programs.map((p) => p.program.name)).toEqual(['my-app-'])
    expect(r.notes.join('\n')).toMatch(/"my app!" is named my-app-/)
    expect(r.unmapped).toEqual([expect.objectContaining({ program: 'my app!', field: 'frobnicate', why: 'not an ecosystem field Proctor knows' })])
    expect(r.problems).toEqual([
      { program: 'bad', message: 'bad: min_uptime: "soon" is not a duration (ms, or like "10s")' },
      { program: 'noscript', message: 'noscript: script is required: the file or command to run' },
      { program: 'apps[3]', message: 'apps[3] must be an object, got "text"' },
    ])
  })
})
