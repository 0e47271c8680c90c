import { describe, expect, it } from 'vitest'
import { formatProgramTable } from '../../../src/main/cli/programsFormat'
import { parseProgram } from '../../../src/shared/supervisor/program'
import type { ProgramsOverview, ProgramStatus } from '../../../src/shared/supervisor/status'

const NOW = 1_800_000_000_000

function status(name: string, extra: Partial<ProgramStatus>): ProgramStatus {
  return {
    name,
    program: parseProgram({ name, command: 'node', args: ['server.js'] }),
    state: 'stopped',
    since: NOW - 5000,
    reason: 'added',
    descendants: 0,
    pids: [],
    restarts: 0,
    totalRestarts: 0,
    health: { status: 'none', results: [] },
    ...extra,
  }
}

describe('programs list as text', () => {
  it('is a pm2 ls-like table: names and words left, numbers right, – where there is nothing, then the owner', () => {
    const overview: ProgramsOverview = {
      programs: [
        status('web', { state: 'running', pid: 4242, lastStartAt: NOW - 192_000, restarts: 2, cpu: 1.25, memory: 50 * 1024 * 1024, health: { status: 'healthy', results: [] } }),
        status('worker-long-name', { state: 'backoff', restarts: 3, nextRestartAt: NOW + 4000 }),
      ],
      owner: { kind: 'daemon', pid: 77, since: NOW - 3_600_000, socket: '/run/user/1000/proctor/x/control.sock', local: true },
      healthChecks: true,
      autoRestart: false,
      ipc: false,
      notices: ['registry.json could not be used'],
    }
    expect(formatProgramTable(overview, NOW).split('\n')).toEqual([
      'NAME              STATE          PID  UPTIME  RESTARTS  CPU%       MEM  HEALTH',
      'web               running       4242  3m 12s         2   1.3  50.0 MiB  healthy',
      'worker-long-name  backoff (4s)     –       –         3     –         –  –',
      'supervised by proctor daemon (pid 77, up 1h 0m)',
      'automatic restarts are off, so no restart policy acts: `proctor programs enable auto-restart` turns them on',
      'notice: registry.json could not be used',
    ])
  })

  it('says when programs wait for IPC that is off, and how to turn it on', () => {
    const ipcReady = status('a', { program: parseProgram({ name: 'a', command: 'node', ready: { kind: 'ipc' } }) })
    const ipcBeat = status('b', { program: parseProgram({ name: 'b', command: 'node', health: { checks: [{ kind: 'ipc' }] } }) })
    const owner = { kind: 'daemon' as const, pid: 5, since: NOW, socket: '/s', local: true as const }
    const base = { programs: [ipcReady, ipcBeat, status('c', {})], owner, healthChecks: true, autoRestart: true, notices: [] }
    expect(formatProgramTable({ ...base, ipc: false }, NOW).split('\n').at(-1)).toBe(
      'IPC is off, but 2 programs wait for a ready message or heartbeats over it: `proctor ipc on` turns it on',
    )
    expect(formatProgramTable({ ...base, ipc: true }, NOW)).not.toContain('IPC is off')
  })

  it('says how to add a program when there is none', () => {
    const overview: ProgramsOverview = {
      programs: [],
      owner: { kind: 'desktop', pid: 5, since: NOW, socket: '/s', local: false },
      healthChecks: true,
      autoRestart: true,
      ipc: false,
      notices: [],
    }
    expect(formatProgramTable(overview, NOW)).toBe(
      'no programs yet: add one with `proctor programs add NAME -- COMMAND ARGS...`\nsupervised by the desktop app (pid 5, up 0s)',
    )
  })
})
