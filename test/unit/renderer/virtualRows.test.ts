import { describe, expect, it } from 'vitest'
import { CHUNK, OVERSCAN, rowWindow, viewportOf } from '../../../src/renderer/src/processes/virtualRows'

describe('the virtual window of a long list', () => {
  it('renders the visible rows and some around them, not the whole list', () => {
    const viewport = viewportOf(0, 700, 22)
    const { start, end } = rowWindow(viewport, 2000)
    expect(start).toBe(0)
    expect(end).toBeGreaterThanOrEqual(Math.ceil(700 / 22) + 1)
    expect(end).toBeLessThan(100)
  })

  it('always covers what is on screen, wherever the list is scrolled', () => {
    for (let scrollTop = 0; scrollTop < 2000 * 22; scrollTop += 37) {
      const { start, end } = rowWindow(viewportOf(scrollTop, 700, 22), 2000)
      const firstVisible = Math.floor(scrollTop / 22)
      const lastVisible = Math.min(1999, Math.floor((scrollTop + 700) / 22))
      expect(start).toBeLessThanOrEqual(firstVisible)
      expect(end).toBeGreaterThan(lastVisible)
    }
  })

  it('changes only every CHUNK rows while scrolling', () => {
    const windows = new Set<string>()
    for (let row = 100; row < 100 + CHUNK; row++) {
      const w = rowWindow(viewportOf(row * 22 + (row === 100 ? 0 : 5), 700, 22), 2000)
      windows.add(`${w.start}-${w.end}`)
    }
    expect(windows.size).toBeLessThanOrEqual(2)
  })

  it('a list that shrank below the scroll position shows its last rows', () => {
    const { start, end } = rowWindow(viewportOf(40_000, 700, 22), 10)
    expect([start, end]).toEqual([0, 10])
    const near = rowWindow(viewportOf(40_000, 700, 22), 100)
    expect(near.end).toBe(100)
    expect(near.start).toBeLessThanOrEqual(100 - 33)
    expect(near.start).toBeGreaterThanOrEqual(100 - 33 - CHUNK - OVERSCAN - CHUNK)
  })
})
