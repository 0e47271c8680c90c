import { describe, expect, it } from 'vitest'
import { autostartEntry, execLine, START_HIDDEN_FLAG } from '../../../src/shared/ecosystem/desktopEntry'
import { EcosystemError } from '../../../src/shared/ecosystem/errors'

describe('the autostart desktop entry', () => {
  it('is an application entry that runs the command with --hidden', () => {
    expect(autostartEntry(['/opt/Proctor/proctor', START_HIDDEN_FLAG])).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.5',
        'Name=Proctor',
        'Comment=Process monitor and supervisor, started in the tray',
        'Exec=/opt/Proctor/proctor --hidden',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    )
  })

  it('quotes per the spec: reserved characters in double quotes, ` " $ \\ escaped, % doubled, then the value escapes', () => {
    expect(execLine(['/home/me/Apps/Proctor 1.0.AppImage', '--hidden'])).toBe('"/home/me/Apps/Proctor 1.0.AppImage" --hidden')
    expect(execLine(['/a', 'say "hi"'])).toBe('/a "say \\\\"hi\\\\""')
    expect(execLine(['/a', '$HOME', '`id`'])).toBe('/a "\\\\$HOME" "\\\\`id\\\\`"')
    // A backslash: escaped once for the quotes, and each of those once more for the string value.
    expect(execLine(['/a', 'x\\y'])).toBe('/a "x\\\\\\\\y"')
    expect(execLine(['/a', '100%', '%f'])).toBe('/a 100%% %%f')
    expect(execLine(['/a', ''])).toBe('/a ""')
    expect(execLine(['/a', "it's"])).toBe(`/a "it's"`)
    // No raw line break can stand in a value.
    expect(execLine(['/a', 'two\nlines'])).toBe('/a "two\\nlines"')
  })

  it('refuses a command that is not an absolute path, or an argument with a control character, naming it', () => {
    expect(() => execLine(['proctor', '--hidden'])).toThrow(new EcosystemError('the autostart command must start with an absolute path, got "proctor"'))
    expect(() => execLine([])).toThrow(/must start with an absolute path, got ""/)
    expect(() => execLine(['/a', 'b\u0000c'])).toThrow(/holds a control character: "b\\u0000c"/)
    expect(() => execLine(['/a', 'b\u001bc'])).toThrow(/holds a control character: "b\\u001bc"/)
  })
})
