import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { expand, importSupervisord, parseEnvironment, parseIni } from '../../../src/shared/ecosystem/supervisord'
import { shellWords } from '../../../src/shared/ecosystem/shellWords'

const FIXTURES = resolve(__dirname, '../../fixtures/ecosystem/supervisord')
const read = (name: string) => readFileSync(resolve(FIXTURES, name), 'utf8')
const OPTIONS = { here: '/etc/supervisor/conf.d', env: { HOME: '/home/me', WORKERS: '3' }, hostname: 'box' }

describe('supervisord import, on real files', () => {
  it("celery's own example: command, directory, autorestart, startsecs, stopwaitsecs; user, log files and priority listed", () => {
    const r = importSupervisord(read('celeryd.conf'), OPTIONS)
    expect(r.problems).toEqual([])
    expect(r.programs).toHaveLength(1)
    expect(r.programs[0]?.program).toMatchObject({
      name: 'celery',
      command: 'celery',
      args: ['worker', '-A', 'proj', '---loglevel=INFO'],
      cwd: '/path/to/project',
      autostart: true,
      restart: 'always',
      startSeconds: 10,
      maxRestartAttempts: 3,
      stopSignal: 'TERM',
      stopTimeoutMs: 600_000,
    })
    expect(r.unmapped.map((u) => u.field)).toEqual(['user', 'stdout_logfile', 'stderr_logfile', 'priority', 'stopasgroup'])
    for (const u of r.unmapped) expect(u.why.length, u.field).toBeGreaterThan(10)
  })

  it('a docker image config: [supervisord], [rpcinterface:…] and [supervisorctl] listed as sections; four programs; events listed per program', () => {
    const r = importSupervisord(read('photoncms.conf'), OPTIONS)
    expect(r.programs.map((p) => p.program.name)).toEqual(['php-fpm', 'nginx', 'queue-listener', 'cron'])
    expect(r.programs[2]?.program).toMatchObject({ command: '/usr/local/bin/php', args: ['/var/www/artisan', 'queue:listen', '--timeout=0'] })
    expect(r.unmapped.filter((u) => u.program === undefined).map((u) => u.field)).toEqual(['[supervisord]', '[rpcinterface:supervisor]', '[supervisorctl]'])
    // Inline comments after whitespace are gone from the values.
    expect(r.unmapped[0]?.value).toBe('logfile, logfile_maxbytes, logfile_backups, loglevel, pidfile, nodaemon, minfds, minprocs, user, childlogdir')
    expect(r.unmapped.filter((u) => u.program === 'nginx').map((u) => u.field)).toEqual(['priority', 'stdout_events_enabled', 'stderr_events_enabled'])
  })

  it('PrivateBin: a quoted argument with a semicolon, autorestart=unexpected, maxbytes=0 and an unknown key (username) listed', () => {
    const r = importSupervisord(read('privatebin.conf'), OPTIONS)
    const [nginx, fpm] = r.programs.map((p) => p.program)
    expect(nginx).toMatchObject({ command: '/usr/sbin/nginx', args: ['-g', 'daemon off;'], restart: 'always' })
    expect(fpm).toMatchObject({ restart: 'on-failure' })
    const fields = r.unmapped.map((u) => `${u.program}:${u.field}`)
    expect(fields).toContain('nginx:username')
    expect(fields).toContain('nginx:stdout_logfile_maxbytes')
    expect(r.unmapped.find((u) => u.field === 'username')?.why).toBe('not a [program:x] setting Proctor knows')
    // exitcodes=0 is Proctor's own rule: mapped, not listed.
    expect(fields).not.toContain('php-fpm:exitcodes')
  })

  it('numprocs with %(process_num)02d names each copy; %% is a percent sign', () => {
    const r = importSupervisord(read('laravel-worker.conf'), OPTIONS)
    expect(r.programs.map((p) => p.program.name)).toEqual(['laravel-worker_00', 'laravel-worker_01'])
    expect(r.programs[0]?.program.args).toEqual(['/var/www/laravel/artisan', 'queue:work', '%QUEUE_CONNECTION%', '--queue=%QUEUE_NAME%'])
    expect(r.programs[0]?.program.maxRestartAttempts).toBe(100)
  })
})

describe('supervisord syntax', () => {
  it('expands here, program_name, process_num with widths, ENV_ variables; a missing one is named', () => {
    const vars = { here: '/etc/s', program_name: 'w', process_num: 7, ENV_HOME: '/home/me' }
    expect(expand('%(here)s/%(program_name)s-%(process_num)03d-%(process_num)d-%(process_num)s %(ENV_HOME)s 100%%', vars, 'x')).toBe('/etc/s/w-007-7-7 /home/me 100%')
    expect(() => expand('%(ENV_NOPE)s', vars, '[program:w] command (line 2)')).toThrow('[program:w] command (line 2): %(ENV_NOPE)s needs the environment variable NOPE, which is not set')
    expect(() => expand('%(bogus)s', vars, 'x')).toThrow('x: %(bogus)s names nothing supervisord defines here')
    expect(() => expand('50% off', vars, 'x')).toThrow(/a lone %/)
  })

  it('environment=KEY="val",KEY2=val2, over continuation lines, quotes keeping commas', () => {
    expect(parseEnvironment('A="1, 2",B=plain,C=\'x=y\'', 'e')).toEqual({ A: '1, 2', B: 'plain', C: 'x=y' })
    const [section] = parseIni('[program:a]\ncommand=/bin/a\nenvironment=\n    A="1",\n    B=2 ; a comment\n')
    expect(parseEnvironment(section?.values.get('environment')?.value ?? '', 'e')).toEqual({ A: '1', B: '2' })
    expect(() => parseEnvironment('A="open', 'env')).toThrow('env: no closing " in environment= for A')
  })

  it('%(here)s and relative directory= are the file\'s folder; %(process_num)s in environment; stopsignal with SIG; sizes', () => {
    const text = [
      '[program:w]',
      'command = %(here)s/bin/worker --n %(process_num)s',
      'process_name = w-%(process_num)s',
      'numprocs = %(ENV_WORKERS)s',
      'numprocs_start = 1',
      'directory = ../app',
      'environment = N="%(process_num)s",HOME_DIR=%(ENV_HOME)s',
      'stopsignal = SIGQUIT',
      'stopasgroup = true',
      'autostart = no',
      'stdout_logfile_maxbytes = 1MB',
      'stdout_logfile_backups = 4',
    ].join('\n')
    const r = importSupervisord(text, OPTIONS)
    expect(r.problems).toEqual([])
    expect(r.unmapped).toEqual([])
    expect(r.programs.map((p) => p.program.name)).toEqual(['w-1', 'w-2', 'w-3'])
    expect(r.programs[1]?.program).toMatchObject({
      command: '/etc/supervisor/conf.d/bin/worker',
      args: ['--n', '2'],
      cwd: '/etc/supervisor/app',
      env: { vars: { N: '2', HOME_DIR: '/home/me' } },
      stopSignal: 'QUIT',
      autostart: false,
      logs: { maxBytes: 1024 * 1024, files: 5 },
    })
  })

  it('a bad program is a problem naming the setting and line, and the others still import', () => {
    const text = '[program:good]\ncommand=/bin/true\n\n[program:bad]\ncommand=/bin/false\nautorestart=sometimes\n\n[program:env]\ncommand=%(ENV_MISSING)s\n\n[program:sig]\ncommand=/bin/x\nstopsignal=WINCH\n\n[program:many]\ncommand=/bin/x\nnumprocs=2\n\n[program:none]\ndirectory=/tmp\n'
    const r = importSupervisord(text, OPTIONS)
    expect(r.programs.map((p) => p.program.name)).toEqual(['good'])
    expect(r.problems).toEqual([
      { program: 'bad', message: '[program:bad] autorestart (line 6): "sometimes" is not true, false or unexpected' },
      { program: 'env', message: '[program:env] command (line 9): %(ENV_MISSING)s needs the environment variable MISSING, which is not set' },
      { program: 'sig', message: '[program:sig] stopsignal (line 13): WINCH is not one of TERM, INT, QUIT, HUP, KILL, USR1, USR2' },
      { program: 'many', message: '[program:many] process_name (line 15): numprocs=2 needs %(process_num)s in process_name, or every copy has the same name' },
      { program: 'none', message: '[program:none] (line 19) has no command=' },
    ])
  })

  it('a malformed file is an error naming the line', () => {
    expect(() => parseIni('[program:a]\ncommand=/bin/a\nthis is not a setting\n')).toThrow('line 3: expected [section] or key=value, got "this is not a setting"')
    expect(() => parseIni('command=/bin/a\n')).toThrow('line 1: "command=/bin/a" comes before any [section]')
    expect(() => parseIni('[program:a]\ncommand=/bin/a\ncommand=/bin/b\n')).toThrow('line 3: command is set twice in [program:a] (first on line 2)')
    expect(() => parseIni('[a]\n[a]\n')).toThrow('line 2: section [a] appears twice')
  })

  it('shellWords splits as shlex does', () => {
    expect(shellWords(`a "b c" 'd "e"' f\\ g "h\\"i" ""`)).toEqual(['a', 'b c', 'd "e"', 'f g', 'h"i', ''])
    expect(() => shellWords('a "b')).toThrow(/no closing quotation/)
  })
})
