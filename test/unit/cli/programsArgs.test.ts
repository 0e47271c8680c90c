import { afterEach, describe, expect, it, vi } from 'vitest'
import { main } from '../../../src/main/cli/main'

/** Usage errors of the supervisor's verbs are found before any owner is asked: exit 2, the reason first. */
describe('programs, logs and adopt on bad input', () => {
  afterEach(() => vi.restoreAllMocks())

  it.each([
    [['programs'], 'programs: give a verb'],
    [['programs', 'frob'], 'programs: unknown verb "frob"'],
    [['programs', 'show'], 'programs show: which program? give its NAME'],
    [['programs', 'add', 'web'], 'programs add: give the command after `--`'],
    [['programs', 'add', 'web', '--restart', 'sometimes', '--', 'node'], '--restart takes never, on-failure, always, unless-stopped, got "sometimes"'],
    [['programs', 'add', 'web', '--env', 'NOVALUE', '--', 'node'], '--env takes NAME=VALUE, got "NOVALUE"'],
    [['programs', 'edit', 'web'], 'programs edit: say what changes with --set field=VALUE'],
    [['programs', 'stop', 'a', 'b'], 'unexpected argument "b"'],
    [['programs', 'export'], 'programs export: which program? give its NAME'],
    [['programs', 'export', 'web'], 'programs export: say which format: --systemd (a systemd user unit) or --launchd (a launchd agent)'],
    [['programs', 'export', 'web', '--systemd', '--launchd'], 'programs export: say which format'],
    [['programs', 'import'], 'programs import: which file? give a PM2 ecosystem file (.json, .config.js) or a supervisord configuration (.conf)'],
    [['programs', 'import', 'a.json', 'b.json'], 'unexpected argument "b.json"'],
    [['daemon', '--install', '--uninstall'], 'daemon: --install or --uninstall, not both'],
    [['completion'], 'completion: give bash or zsh'],
    [['logs'], 'logs: whose? give the program NAME'],
    [['logs', 'web', '--lines', '0'], '--lines must be an integer 1..100000, got "0"'],
    [['logs', 'web', '--stream', 'both2'], '--stream takes stdout or stderr, got "both2"'],
    [['adopt', 'abc'], 'PID must be an integer'],
    [['daemon', 'extra'], "Unexpected argument 'extra'"],
  ])('%j exits 2 saying why', async (argv, why) => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    expect(await main(argv)).toBe(2)
    expect(String(err.mock.calls[0]?.[0])).toContain(`proctor: ${why}`)
  })
})
