import { describe, expect, it } from 'vitest'
import { isRowVisible, keyCommand, moveIndex, scrollToShow, type KeyInput } from '../../../src/renderer/src/processes/keyboard'

const key = (k: string, over: Partial<KeyInput> = {}): KeyInput => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: 'other',
  ...over,
})

describe('keyCommand', () => {
  it('maps the keys of the issue', () => {
    expect(keyCommand(key('ArrowUp'))).toBe('up')
    expect(keyCommand(key('ArrowDown'))).toBe('down')
    expect(keyCommand(key('Enter'))).toBe('open')
    expect(keyCommand(key('/'))).toBe('search')
    expect(keyCommand(key('Delete'))).toBe('terminate')
    expect(keyCommand(key('Delete', { shiftKey: true }))).toBe('kill')
    expect(keyCommand(key('t'))).toBe('toggle-tree')
    expect(keyCommand(key('T', { shiftKey: true }))).toBe('toggle-tree')
    expect(keyCommand(key('Escape'))).toBe('close')
    expect(keyCommand(key('F10', { shiftKey: true }))).toBe('menu')
    expect(keyCommand(key('ContextMenu'))).toBe('menu')
  })

  it('leaves a text field its keys, a button its Enter, and shortcuts with modifiers alone', () => {
    for (const k of ['ArrowDown', 'Delete', 't', '/', 'Escape', 'Enter']) expect(keyCommand(key(k, { target: 'text' }))).toBeUndefined()
    expect(keyCommand(key('Enter', { target: 'control' }))).toBeUndefined()
    expect(keyCommand(key('ArrowDown', { target: 'control' }))).toBe('down')
    expect(keyCommand(key('t', { ctrlKey: true }))).toBeUndefined()
    expect(keyCommand(key('Delete', { metaKey: true }))).toBeUndefined()
    expect(keyCommand(key('F10'))).toBeUndefined()
  })
})

describe('moveIndex', () => {
  it('moves within bounds', () => {
    expect(moveIndex(0, 10, 'up', 5)).toBe(0)
    expect(moveIndex(0, 10, 'down', 5)).toBe(1)
    expect(moveIndex(9, 10, 'down', 5)).toBe(9)
    expect(moveIndex(2, 10, 'page-down', 5)).toBe(6)
    expect(moveIndex(8, 10, 'page-down', 5)).toBe(9)
    expect(moveIndex(3, 10, 'page-up', 5)).toBe(0)
    expect(moveIndex(3, 10, 'first', 5)).toBe(0)
    expect(moveIndex(3, 10, 'last', 5)).toBe(9)
  })

  it('starts at the first row (or the last, going up) without a selection; nothing in an empty list', () => {
    expect(moveIndex(-1, 10, 'down', 5)).toBe(0)
    expect(moveIndex(-1, 10, 'up', 5)).toBe(9)
    expect(moveIndex(-1, 0, 'down', 5)).toBe(-1)
  })
})

describe('scrolling a row into view', () => {
  // 22 px rows under a 26 px header, a 226 px viewport: 200 px for rows (9 whole rows).
  it('scrolls as little as needed', () => {
    expect(scrollToShow(0, 22, 26, 0, 226)).toBe(0)
    expect(scrollToShow(8, 22, 26, 0, 226)).toBe(0)
    expect(scrollToShow(9, 22, 26, 0, 226)).toBe(20)
    expect(scrollToShow(3, 22, 26, 100, 226)).toBe(66)
    expect(scrollToShow(5, 22, 26, 100, 226)).toBe(100)
  })

  it('tells whether a row is on screen', () => {
    expect(isRowVisible(0, 22, 26, 0, 226)).toBe(true)
    expect(isRowVisible(9, 22, 26, 0, 226)).toBe(true)
    expect(isRowVisible(10, 22, 26, 0, 226)).toBe(false)
    expect(isRowVisible(0, 22, 26, 22, 226)).toBe(false)
  })
})
