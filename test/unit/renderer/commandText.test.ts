import { describe, expect, it } from 'vitest'
import { SHOWN_COMMAND_CHARS, shownCommand } from '../../../src/renderer/src/processes/commandText'

describe('a command line in a cell', () => {
  it('is shown whole when it fits any screen', () => {
    expect(shownCommand('sleep 1000')).toBe('sleep 1000')
    const edge = 'x'.repeat(SHOWN_COMMAND_CHARS)
    expect(shownCommand(edge)).toBe(edge)
  })

  it('is cut, with an ellipsis, past what a screen can show (the tooltip and the details keep it whole)', () => {
    const chromium = `/usr/lib/chromium/chromium --type=renderer ${'--flag=value '.repeat(150)}`
    const shown = shownCommand(chromium)
    expect(shown).toHaveLength(SHOWN_COMMAND_CHARS + 1)
    expect(shown.endsWith('…')).toBe(true)
    expect(chromium.startsWith(shown.slice(0, -1))).toBe(true)
  })
})
