import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { launchdAgent, parsePlist, plistDocument, type PlistValue } from '../../../src/shared/ecosystem/launchd'
import { parseProgram, type ProgramInput } from '../../../src/shared/supervisor/program'
import { restartSchedule } from '../../../src/shared/supervisor/schedule'
import { tempDir } from '../../helpers/tempDir'
import { golden } from './golden'

const HEALTH = { checkInterval: 30_000, unhealthyThreshold: 3, healthyThreshold: 2, restartDelay: 5000, maxRestartAttempts: 3, restartBackoffMultiplier: 2 }

function exported(input: ProgramInput) {
  const p = parseProgram(input)
  return launchdAgent(p, { schedule: restartSchedule(p, HEALTH), logDir: '/Users/me/Library/Logs/Proctor', header: [`${p.name}: a test -- of comments`] })
}

const API: ProgramInput = {
  name: 'api',
  command: '/usr/local/bin/node',
  args: ['server.js', '<b>&amp;</b>', 'say "hi"', "it's", '100% $HOME', 'cr\rlf\r\n', ']]>'],
  cwd: '/Users/me/my app',
  env: { vars: { PORT: '8080', 'A&B': '<x>' } },
  autostart: true,
  restart: 'on-failure',
  restartDelayMs: 2500,
  stopTimeoutMs: 7500,
  stopSignal: 'QUIT',
  dependsOn: [{ name: 'db' }],
}

/** Python's plistlib, where python3 is: a reader that is not ours. */
const python = spawnSync('python3', ['-c', 'import plistlib'], { encoding: 'utf8' })
function plistlib(text: string): unknown {
  const file = join(tempDir(), 'agent.plist')
  writeFileSync(file, text)
  const res = spawnSync('python3', ['-c', 'import plistlib, json, sys; print(json.dumps(plistlib.load(open(sys.argv[1], "rb"))))', file], { encoding: 'utf8' })
  expect(res.status, res.stderr).toBe(0)
  return JSON.parse(res.stdout)
}

describe('launchd agent export', () => {
  it('writes the golden plist: ProgramArguments, WorkingDirectory, EnvironmentVariables, KeepAlive, ThrottleInterval, log paths', () => {
    const out = exported(API)
    golden('api.plist', out.text)
    expect(out.fileName).toBe('dev.proctor.api.plist')
    const notes = out.notes.join('\n')
    expect(notes).toMatch(/SIGTERM, not SIGQUIT/)
    expect(notes).toMatch(/no dependencies between agents: db/)
  })

  it('reads back every field it wrote, with our parser and with plistlib', (ctx) => {
    const text = exported(API).text
    const expected = {
      Label: 'dev.proctor.api',
      ProgramArguments: ['/usr/local/bin/node', ...(API.args ?? [])],
      WorkingDirectory: '/Users/me/my app',
      EnvironmentVariables: { PORT: '8080', 'A&B': '<x>' },
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: 3,
      ExitTimeOut: 8,
      StandardOutPath: '/Users/me/Library/Logs/Proctor/api.out.log',
      StandardErrorPath: '/Users/me/Library/Logs/Proctor/api.err.log',
    }
    expect(parsePlist(text)).toEqual(expected)
    if (python.status !== 0) return ctx.skip('no python3 with plistlib here: our parser read it back, plistlib did not')
    expect(plistlib(text)).toEqual(expected)
  })

  it('KeepAlive follows the policy', () => {
    const keepAlive = (restart: ProgramInput['restart']) => (parsePlist(exported({ name: 'p', command: '/bin/true', restart }).text) as Record<string, PlistValue>).KeepAlive
    expect(keepAlive('never')).toBe(false)
    expect(keepAlive('on-failure')).toEqual({ SuccessfulExit: false })
    expect(keepAlive('always')).toBe(true)
    expect(keepAlive('unless-stopped')).toBe(true)
  })

  it('round-trips any argv through plistlib exactly', (ctx) => {
    if (python.status !== 0) return ctx.skip('no python3 with plistlib here: only our own parser read the plists')
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '"', "'", '%', '$', '\\', '<', '>', '&', ']', '\n', '\t', '\r', 'é', '😀') })
    const samples = fc.sample(fc.array(text, { maxLength: 5 }), 40)
    // One python run for all samples: a document per sample, read back as one array.
    const doc = plistDocument(samples.map((args) => (parsePlist(exported({ name: 'p', command: '/bin/echo', args }).text) as Record<string, PlistValue>).ProgramArguments as PlistValue))
    expect(plistlib(doc)).toEqual(samples.map((args) => ['/bin/echo', ...args]))
    for (const args of samples) {
      expect((parsePlist(exported({ name: 'p', command: '/bin/echo', args }).text) as Record<string, PlistValue>).ProgramArguments).toEqual(['/bin/echo', ...args])
    }
  })

  it('refuses what XML cannot hold, naming it; the parser names what it cannot read', () => {
    expect(() => exported({ name: 'p', command: '/bin/echo', args: ['a\x01'] })).toThrow(/the value.ProgramArguments\[1\] holds the control character U\+0001/)
    expect(() => parsePlist('<plist><dict><string>x</string></dict></plist>')).toThrow(/expected <key> in a dict, got <string>/)
    expect(() => parsePlist('<plist><string>a &bogus; b</string></plist>')).toThrow(/unknown entity &bogus;/)
    expect(() => parsePlist('<plist><array><string>x</string>')).toThrow(/ends early/)
  })
})
