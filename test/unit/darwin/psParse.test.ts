import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  DARWIN_PS_LAYOUT,
  parsePsLine,
  parsePsOutput,
  psArgs,
  toRawProcess,
  type PsColumn,
  type PsKey,
  type PsLayout,
} from '../../../src/main/core/processes/darwin/psParse'
import { displayName } from '../../../src/main/core/processes/darwin/psFields'

/** Fixtures are read as bytes (latin1), exactly as the adapter reads ps's stdout. */
const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/darwin', name), 'latin1')

const layout = (...spec: (PsKey | [PsKey, number])[]): PsLayout => ({
  columns: spec.map((s): PsColumn => (Array.isArray(s) ? { keyword: s[0], key: s[0], width: s[1] } : { keyword: s, key: s })),
})

// `ps aux` on macOS: USER PID %CPU %MEM VSZ RSS TT STAT STARTED TIME COMMAND.
const AUX = layout('user', 'pid', 'skip', 'skip', 'vsz', 'rss', 'skip', 'state', 'skip', 'time', 'command')
// `ps -u USER`: UID PID TTY TIME CMD.
const PS_U = layout('uid', 'pid', 'skip', 'time', 'command')

const byPid = <T extends { pid: number }>(rows: T[], pid: number): T => {
  const row = rows.find((r) => r.pid === pid)
  if (!row) throw new Error(`no pid ${pid}`)
  return row
}

describe('the layout the adapter runs', () => {
  it('has the command last, the only column allowed to hold spaces of any length', () => {
    expect(DARWIN_PS_LAYOUT.columns.at(-1)?.key).toBe('command')
    expect(DARWIN_PS_LAYOUT.columns.filter((c) => c.key === 'command')).toHaveLength(1)
  })

  it('puts the fixed-width ucomm first, at byte 0', () => {
    expect(DARWIN_PS_LAYOUT.columns[0]).toEqual({ keyword: 'ucomm', key: 'ucomm', width: 16 })
    expect(DARWIN_PS_LAYOUT.columns.slice(1).some((c) => c.width !== undefined)).toBe(false)
  })

  it('becomes a headerless, unlimited-width ps argv', () => {
    expect(psArgs(DARWIN_PS_LAYOUT)).toEqual(
      ['-axww'].concat(
        ...['ucomm', 'pid', 'ppid', 'uid', 'user', 'state', 'nice', 'pri', 'time', 'rss', 'vsz', 'lstart', 'command'].map((k) => ['-o', `${k}=`]),
      ),
    )
  })
})

describe('the assembled fixture in the exact run layout (values from real captures; see README)', () => {
  const rows = parsePsOutput(fixture('assembled-darwin-layout.txt'), DARWIN_PS_LAYOUT)
  const procs = rows.map(toRawProcess)

  it('parses every process line and skips the line that is not ps output', () => {
    expect(rows).toHaveLength(15)
    expect(procs.every((p) => p !== undefined)).toBe(true)
  })

  it('marks kernel_task (pid 0) as a kernel thread with a bracketed command', () => {
    const k = procs.find((p) => p?.pid === 0)
    expect(k).toMatchObject({ name: 'kernel_task', command: '[kernel_task]', kernelThread: true, ppid: 0, uid: 0, state: 'running' })
    expect(k?.cpuTimeMs).toBe((31 * 60 + 45) * 1000 + 620)
    expect(procs.filter((p) => p?.kernelThread)).toHaveLength(1)
  })

  it('does not cut long names, and keeps spaces in names and commands', () => {
    const names = Object.fromEntries(procs.map((p) => [p?.pid, p?.name]))
    expect(names[154]).toBe('AirPort Base Station Agent')
    expect(names[209]).toBe('AAM Updates Notifier')
    expect(names[234]).toBe('Image Capture Extension')
    expect(names[2608]).toBe('JavaApplicationStub')
    expect(names[1650]).toBe('Sublime Text 2')
    expect(names[938]).toBe('bash')
    expect(names[4837]).toBe('mdworker')
    expect(byPid(rows, 234).command).toBe(
      '/System/Library/Image Capture/Support/Image Capture Extension.app/Contents/MacOS/Image Capture Extension -psn_0_118813',
    )
    expect(byPid(rows, 57).command).toBe('/usr/sbin/distnoted daemon')
  })

  it('reads every field of a row', () => {
    const p = procs.find((x) => x?.pid === 234)
    expect(p).toEqual({
      pid: 234,
      ppid: 113,
      startTime: new Date(2013, 1, 5, 14, 31, 47).getTime(),
      name: 'Image Capture Extension',
      command: byPid(rows, 234).command,
      user: 'andrewkowalczyk',
      uid: 501,
      state: 'sleeping',
      nice: 0,
      priority: 46,
      cpuTimeMs: (19 * 60 + 39) * 1000 + 210,
      memoryBytes: 78780 * 1024,
      virtualBytes: 2585240 * 1024,
      kernelThread: false,
    })
  })

  it('maps the state of each line', () => {
    const states = Object.fromEntries(procs.map((p) => [p?.pid, p?.state]))
    expect(states).toMatchObject({ 0: 'running', 1: 'sleeping', 33: 'running', 57: 'disk-wait', 2608: 'stopped', 4837: 'zombie', 4819: 'idle' })
  })

  it('reads negative uids, positive nice values and padded single-digit lstart days', () => {
    expect(procs.find((p) => p?.pid === 20)).toMatchObject({ uid: -2, user: 'nobody', nice: 5, priority: 20 })
    expect(byPid(rows, 1).startTime).toBe(new Date(2013, 1, 5, 14, 31, 2).getTime())
  })
})

describe('bytes and UTF-8', () => {
  const line = (ucomm: Buffer, rest: string) =>
    Buffer.concat([ucomm, Buffer.alloc(Math.max(0, 16 - ucomm.length), ' '), Buffer.from(` ${rest}`)]).toString('latin1')
  const tail = (command: string) =>
    `  812     1   501 me S     0  31   0:00.10   1000  2000000 Wed Nov 26 06:47:05 2026     ${command}`

  it('counts the ucomm width in bytes and decodes text as UTF-8', () => {
    const command = '/Applications/Café Tool.app/Contents/MacOS/Café Tool --x'
    const row = parsePsLine(line(Buffer.from('Café Tool'), tail(command)), DARWIN_PS_LAYOUT)
    expect(row).toMatchObject({ pid: 812, comm: 'Café Tool', commMayBeCut: false, command })
    expect(row && toRawProcess(row)?.name).toBe('Café Tool')
  })

  it('treats a comm that ends one byte short as possibly cut before a space', () => {
    // p_comm "VSCodium Helper " is 16 bytes ending in a space: it prints exactly like a 15-byte name.
    const command = '/Applications/VSCodium.app/Contents/Frameworks/VSCodium Helper (GPU).app/Contents/MacOS/VSCodium Helper (GPU) --type=gpu-process'
    const row = parsePsLine(line(Buffer.from('VSCodium Helper '), tail(command)), DARWIN_PS_LAYOUT)
    expect(row).toMatchObject({ comm: 'VSCodium Helper', commMayBeCut: true })
    expect(row && toRawProcess(row)?.name).toBe('VSCodium Helper (GPU)')
  })

  it('recovers the name when the 16-byte cut splits a UTF-8 character', () => {
    const name = 'Übersetzungsprüfer Helper' // 'Ü' and 'ü' take two bytes: the 16-byte cut falls inside 'ü'.
    const command = `/Applications/Übersetzer.app/Contents/Helpers/${name}.app/Contents/MacOS/${name} -psn_0_1`
    const cut = Buffer.from(name).subarray(0, 16)
    const row = parsePsLine(line(cut, tail(command)), DARWIN_PS_LAYOUT)
    expect(row?.comm).toBe('Übersetzungspr\uFFFD')
    expect(row?.commMayBeCut).toBe(true)
    expect(row && toRawProcess(row)?.name).toBe(name)
  })
})

describe('lines that do not fit are skipped, never fatal', () => {
  const good = fixture('assembled-darwin-layout.txt').split('\n')[1] ?? ''

  it('starts from a line that parses', () => {
    expect(parsePsLine(good, DARWIN_PS_LAYOUT)?.pid).toBe(1)
  })

  it('refuses truncated, shifted and garbled lines', () => {
    const bad = [
      '',
      'launchd',
      good.slice(0, 100), // cut inside lstart
      good.slice(0, 117), // cut before the command
      good.replace('    1     0', '    x     0'), // non-numeric pid
      good.replace('0:01.27', '0:01:2x'), // bad time
      good.replace('Feb', 'Fev'), // non-C locale month
      `${'x'.repeat(17)}${good.slice(16)}`, // ucomm wider than its 16 bytes
      'PID  PPID USER STAT COMMAND',
    ]
    for (const line of bad) expect(parsePsLine(line, DARWIN_PS_LAYOUT), JSON.stringify(line)).toBeUndefined()
  })

  it('keeps the good lines around bad ones, and tolerates CRLF', () => {
    const text = ['garbage', good, 'Wed Nov 26', good.replace('    1     0', '    2     1'), ''].join('\r\n')
    expect(parsePsOutput(text, DARWIN_PS_LAYOUT).map((r) => r.pid)).toEqual([1, 2])
  })

  it('returns undefined from toRawProcess for rows of layouts that lack required fields', () => {
    const [row] = parsePsOutput(fixture('dotfiles-ps-aux-grep.txt'), AUX)
    expect(row).toBeDefined()
    expect(row && toRawProcess(row)).toBeUndefined()
  })
})

describe('real macOS captures (see test/fixtures/darwin/README.md)', () => {
  it('ps aux, root block: every line parses, with real states and times', () => {
    const rows = parsePsOutput(fixture('cmsi387-ps-aux-root.txt'), AUX)
    expect(rows).toHaveLength(33)
    expect(byPid(rows, 1)).toMatchObject({ user: 'root', command: '/sbin/launchd', stat: 'Ss', cpuTimeMs: 1270, rssKiB: 1772, vszKiB: 2475372 })
    expect(byPid(rows, 57)).toMatchObject({ stat: 'Us', command: '/usr/sbin/distnoted daemon' })
    expect(byPid(rows, 33).stat).toBe('Rs')
    expect(byPid(rows, 941)).toMatchObject({ stat: 'R+', command: 'ps aux' })
    expect(byPid(rows, 18).command).toBe('/usr/sbin/ntpd -c /private/etc/ntp-restrict.conf -n -g -p /var/run/ntpd.pid -f /var/db/ntp.drift')
    expect(byPid(rows, 935).command).toBe('login -pfl andrewkowalczyk /bin/bash -c exec -la bash /bin/bash')
  })

  it('ps aux, user block: skips the header and the shell error captured with it', () => {
    const text = fixture('cmsi387-ps-aux-user.txt')
    const rows = parsePsOutput(text, AUX)
    expect(text.trimEnd().split('\n')).toHaveLength(46)
    expect(rows).toHaveLength(44)
    expect(byPid(rows, 130)).toMatchObject({ stat: 'U', cpuTimeMs: (4 * 60 + 14) * 1000 + 340 })
    expect(byPid(rows, 20)).toMatchObject({ user: 'nobody', stat: 'SNs' })
    expect(byPid(rows, 4836).stat).toBe('SN')
    expect(byPid(rows, 2608)).toMatchObject({ rssKiB: 138896, vszKiB: 3016488, cpuTimeMs: 115680 })
    expect(byPid(rows, 1650).command).toBe('/Applications/Sublime Text 2.app/Contents/MacOS/Sublime Text 2 -psn_0_831691')
    expect(byPid(rows, 154).command).toBe(
      '/System/Library/CoreServices/AirPort Base Station Agent.app/Contents/MacOS/AirPort Base Station Agent -launchd -allowquit',
    )
    expect(rows.map((r) => r.stat?.charAt(0))).not.toContain(undefined)
  })

  it('without ucomm a name is cut at the first space: why the run layout carries ucomm', () => {
    const rows = parsePsOutput(fixture('cmsi387-ps-aux-user.txt'), AUX)
    expect(displayName(undefined, false, byPid(rows, 234).command)).toBe('Image')
    expect(displayName(undefined, false, byPid(rows, 938).command)).toBe('bash')
  })

  it('ps -u: numeric uids including -2, long minute counts, lines cut at the terminal width', () => {
    const root = parsePsOutput(fixture('cmsi387-ps-u-root.txt'), PS_U)
    expect(root).toHaveLength(31)
    expect(byPid(root, 20)).toMatchObject({ uid: -2, command: '/usr/libexec/warmd', cpuTimeMs: 540 })
    expect(byPid(root, 90)).toMatchObject({ uid: 88, cpuTimeMs: (9 * 60 + 9) * 1000 + 400 })
    const user = parsePsOutput(fixture('cmsi387-ps-u-user.txt'), PS_U)
    expect(user).toHaveLength(33)
    expect(byPid(user, 234).cpuTimeMs).toBe((32 * 60 + 25) * 1000 + 490)
    expect(byPid(user, 8745).command).toBe('-bash')
  })

  it('a 16-byte fixed-width column after a right-justified one (ps -eo pid,comm,command)', () => {
    const rows = parsePsOutput(fixture('jprocesses-pr4-ps-eo-pid-comm-command.txt'), layout('pid', ['skip', 16], 'command'))
    expect(rows.map((r) => [r.pid, r.command])).toEqual([
      [1, '/sbin/launchd'],
      [45, '/usr/sbin/syslogd'],
      [46, '/usr/libexec/UserEventAgent (System)'],
      [48, '/usr/libexec/kextd'],
      [49, '/System/Library/Frameworks/CoreServices.framework/Versions/A/Frameworks/FSEvents.framework/Versions/A/Support/fseventsd'],
    ])
  })

  it('two cut 16-byte columns mid-line, Apple silicon (ps uwwxo pid,pid,ppid,uid,%cpu,%mem,comm,args)', () => {
    // u adds USER PID %CPU %MEM VSZ RSS TT STAT STARTED TIME COMMAND(cut to 16); then the -o list.
    const u = layout('user', 'pid', 'skip', 'skip', 'vsz', 'rss', 'skip', 'state', 'skip', 'time', ['skip', 16])
    const spec: PsLayout = { columns: [...u.columns, ...layout('skip', 'skip', 'ppid', 'uid', 'skip', 'skip', ['skip', 16], 'command').columns] }
    const [row, ...rest] = parsePsOutput(fixture('ps-list-issue-49-uwwxo.txt'), spec)
    expect(rest).toHaveLength(0)
    expect(row).toMatchObject({ user: 'rafal', pid: 3897, ppid: 3884, uid: 501, vszKiB: 408700720, rssKiB: 736, stat: 'S', cpuTimeMs: 5500 })
    expect(row?.command).toBe(
      '/opt/homebrew/Cellar/powerlevel10k/1.15.0/gitstatus/usrbin/gitstatusd-darwin-arm64 -G v1.5.1 -s -1 -u -1 -d -1 -c -1 -m -1 -v FATAL -t 16',
    )
  })

  it('a recent ps aux line', () => {
    const [row] = parsePsOutput(fixture('dotfiles-ps-aux-grep.txt'), AUX)
    expect(row).toMatchObject({ user: 'henry', pid: 10868, vszKiB: 410059936, rssKiB: 336, stat: 'R+', cpuTimeMs: 0 })
    expect(row?.command.startsWith('grep --color=auto ')).toBe(true)
  })
})
