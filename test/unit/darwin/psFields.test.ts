import { describe, expect, it } from 'vitest'
import { displayName, parseCpuTime, parseLstart, parseState } from '../../../src/main/core/processes/darwin/psFields'

const lstart = (text: string) => parseLstart(text.trim().split(/\s+/))

describe('parseCpuTime', () => {
  it('reads the macOS form M:SS.cc, minutes unbounded', () => {
    expect(parseCpuTime('0:00.01')).toBe(10)
    expect(parseCpuTime('0:00.00')).toBe(0)
    expect(parseCpuTime('12:34.56')).toBe((12 * 60 + 34) * 1000 + 560)
    // Real values from the captures: minutes run past 60 instead of rolling into hours.
    expect(parseCpuTime('126:16.73')).toBe((126 * 60 + 16) * 1000 + 730)
    expect(parseCpuTime('32:25.49')).toBe((32 * 60 + 25) * 1000 + 490)
  })

  it('reads hours, days and procps forms', () => {
    expect(parseCpuTime('1:02:03.45')).toBe(((1 * 60 + 2) * 60 + 3) * 1000 + 450)
    expect(parseCpuTime('1-02:03:04')).toBe((((1 * 24 + 2) * 60 + 3) * 60 + 4) * 1000)
    expect(parseCpuTime('00:00:05')).toBe(5000)
    expect(parseCpuTime('12:34')).toBe((12 * 60 + 34) * 1000)
  })

  it('reads fractions of any precision as decimal seconds', () => {
    expect(parseCpuTime('0:01.5')).toBe(1500)
    expect(parseCpuTime('0:01.123456')).toBe(1123)
  })

  it('refuses what is not a time', () => {
    for (const bad of ['', 'abc', '1:60.00', '1:2', '1:02.5x', '-1:00.00', '1--02:03:04', ':00.01']) {
      expect(parseCpuTime(bad), bad).toBeUndefined()
    }
  })
})

describe('parseLstart', () => {
  it('reads the C-locale %c form in local time', () => {
    const ms = lstart('Wed Nov 26 06:47:05 2026')
    expect(ms).toBe(new Date(2026, 10, 26, 6, 47, 5).getTime())
    const d = new Date(ms ?? 0)
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()]).toEqual([2026, 10, 26, 6, 47, 5])
  })

  it('reads single-digit days, which strftime pads with a space', () => {
    expect(lstart('Tue Feb  5 14:31:02 2013')).toBe(new Date(2013, 1, 5, 14, 31, 2).getTime())
    expect(lstart('Sun Mar  1 00:00:00 2026')).toBe(new Date(2026, 2, 1, 0, 0, 0).getTime())
  })

  it('refuses impossible dates, other locales and wrong token counts', () => {
    expect(lstart('Thu Feb 31 10:00:00 2026')).toBeUndefined()
    expect(lstart('Mi 26 Nov 06:47:05 2026')).toBeUndefined()
    expect(lstart('Wed Nov 26 6:47 2026')).toBeUndefined()
    expect(lstart('Wed Nov 26 06:47:05')).toBeUndefined()
    expect(parseLstart(['Wed', 'Nov', '26', '06:47:05', '2026', 'extra'])).toBeUndefined()
  })
})

describe('parseState', () => {
  it('maps every macOS state letter', () => {
    expect(['R', 'S', 'I', 'U', 'Z', 'T'].map(parseState)).toEqual(['running', 'sleeping', 'idle', 'disk-wait', 'zombie', 'stopped'])
  })

  it('reads only the first letter; the rest are flags', () => {
    expect(parseState('Ss')).toBe('sleeping')
    expect(parseState('U<s')).toBe('disk-wait')
    expect(parseState('SNs')).toBe('sleeping')
    expect(parseState('R+')).toBe('running')
    expect(parseState('Is')).toBe('idle')
  })

  it('reports a stopped process with the traced flag X as tracing', () => {
    expect(parseState('TX')).toBe('tracing')
    expect(parseState('T+')).toBe('stopped')
  })

  it('maps the procps letters too, and unknown letters to unknown', () => {
    expect(['D', 't', 'X', 'W', '?', ''].map(parseState)).toEqual(['disk-wait', 'tracing', 'dead', 'unknown', 'unknown', 'unknown'])
  })
})

describe('displayName', () => {
  const chrome =
    '/Applications/Google Chrome.app/Contents/Frameworks/Google Chrome Framework.framework/Versions/120.0.6099.129/Helpers/' +
    'Google Chrome Helper (Renderer).app/Contents/MacOS/Google Chrome Helper (Renderer) --type=renderer --lang=en-US'

  it('uses comm as is when it is shorter than the cut', () => {
    const sublime = '/Applications/Sublime Text 2.app/Contents/MacOS/Sublime Text 2 -psn_0_831691'
    expect(displayName('Sublime Text 2', false, sublime)).toBe('Sublime Text 2')
    expect(displayName('postgres', false, 'postgres: checkpointer')).toBe('postgres')
  })

  it('recovers a long name with spaces through the app-bundle path, not the directory that shares its prefix', () => {
    expect(displayName('Google Chrome He', true, chrome)).toBe('Google Chrome Helper (Renderer)')
  })

  it('recovers long names with spaces from the command line', () => {
    const aam = '/Library/Application Support/Adobe/OOBE/PDApp/UWA/AAM Updates Notifier.app/Contents/MacOS/AAM Updates Notifier -psn_0_110619'
    expect(displayName('AAM Updates Noti', true, aam)).toBe('AAM Updates Notifier')
    const java = '/Applications/Logisim.app/Contents/MacOS/JavaApplicationStub -psn_0_1274167'
    expect(displayName('JavaApplicationS', true, java)).toBe('JavaApplicationStub')
  })

  it('keeps positional arguments out of the name', () => {
    expect(displayName('com.apple.someth', true, '/usr/libexec/com.apple.something.helperd agent 2')).toBe('com.apple.something.helperd')
  })

  it('treats a 15-byte comm as possibly cut before a space', () => {
    // p_comm "VSCodium Helper " (16 bytes ending in a space) prints as 15 visible bytes.
    const gpu = '/Applications/VSCodium.app/Contents/Frameworks/VSCodium Helper (GPU).app/Contents/MacOS/VSCodium Helper (GPU) --type=gpu-process'
    expect(displayName('VSCodium Helper', true, gpu)).toBe('VSCodium Helper (GPU)')
  })

  it('ignores a cut UTF-8 sequence at the end of comm', () => {
    const app = '/Applications/Prüfungs-Assistent.app/Contents/MacOS/Prüfungs-Assistent'
    expect(displayName('Prüfungs-Assist\uFFFD', true, app)).toBe('Prüfungs-Assistent')
  })

  it('falls back to comm when the command line does not show the executable', () => {
    expect(displayName('com.apple.WebKi', true, 'xpcproxy com.apple.WebKit.WebContent')).toBe('com.apple.WebKi')
  })

  it('names processes whose arguments ps cannot read, and zombies, by comm', () => {
    expect(displayName('kernel_task', false, '(kernel_task)')).toBe('kernel_task')
    expect(displayName(undefined, false, '(kernel_task)')).toBe('kernel_task')
    expect(displayName('mdworker', false, '<defunct>')).toBe('mdworker')
  })

  it('without a comm column, takes the first word without a login-shell dash', () => {
    expect(displayName(undefined, false, '/usr/sbin/distnoted daemon')).toBe('distnoted')
    expect(displayName(undefined, false, '-bash')).toBe('bash')
    expect(displayName(undefined, false, 'autofsd')).toBe('autofsd')
  })
})
