import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Deadlines } from '../../../src/main/core/broker/deadlines'

interface Entry {
  name: string
}

/** A waiting map, its deadlines on the faked clock, and what expired when. */
function setup() {
  const waiting = new Map<number, Entry>()
  const expired: { key: number; name: string; at: number }[] = []
  const start = Date.now()
  const deadlines = new Deadlines<Entry>(
    waiting,
    (key, entry) => {
      waiting.delete(key)
      expired.push({ key, name: entry.name, at: Date.now() - start })
    },
    () => Date.now(),
  )
  let next = 0
  const add = (name: string, ms: number): number => {
    const key = ++next
    const entry = { name }
    waiting.set(key, entry)
    deadlines.add(key, entry, ms)
    return key
  }
  return { waiting, expired, deadlines, add }
}

describe('the broker request deadlines', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('expires a waiting entry at its deadline, not before, and once', () => {
    const { expired, add } = setup()
    add('a', 100)
    vi.advanceTimersByTime(99)
    expect(expired).toEqual([])
    vi.advanceTimersByTime(1)
    expect(expired).toEqual([{ key: 1, name: 'a', at: 100 }])
    vi.advanceTimersByTime(10_000)
    expect(expired).toHaveLength(1)
  })

  it('does not expire an entry settled before its deadline (taken out of the map), and arms nothing after', () => {
    const { waiting, expired, add } = setup()
    const key = add('a', 100)
    waiting.delete(key)
    vi.advanceTimersByTime(1000)
    expect(expired).toEqual([])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('expires each entry at its own deadline whatever the order they came in', () => {
    const { expired, add } = setup()
    add('late', 300)
    add('early', 100)
    add('middle', 200)
    add('early too', 100)
    vi.advanceTimersByTime(1000)
    expect(expired.map((e) => [e.name, e.at])).toEqual([
      ['early', 100],
      ['early too', 100],
      ['middle', 200],
      ['late', 300],
    ])
  })

  it('re-arms for an earlier deadline that comes in after a later one', () => {
    const { expired, add } = setup()
    add('long', 30_000)
    vi.advanceTimersByTime(10)
    add('short', 50)
    vi.advanceTimersByTime(50)
    expect(expired).toEqual([{ key: 2, name: 'short', at: 60 }])
  })

  it('holds one timer however many entries wait, and a bounded heap while entries come and settle', () => {
    const { waiting, expired, deadlines, add } = setup()
    const kept = add('kept', 60_000)
    for (let i = 0; i < 10_000; i++) {
      const key = add(`r${i}`, 30_000)
      if (i % 100 !== 0) waiting.delete(key)
      expect(vi.getTimerCount()).toBe(1)
    }
    // 100 still wait (and 'kept'); the settled ones are not kept for 30 s.
    expect(waiting.size).toBe(101)
    expect(deadlines.size).toBeLessThanOrEqual(2 * waiting.size + 33)
    vi.advanceTimersByTime(30_000)
    expect(expired).toHaveLength(100)
    expect(waiting.has(kept)).toBe(true)
    vi.advanceTimersByTime(30_000)
    expect(expired.at(-1)).toMatchObject({ name: 'kept', at: 60_000 })
    expect(vi.getTimerCount()).toBe(0)
  })

  it('lets an expiry settle or add others: each is checked when its turn comes', () => {
    const waiting = new Map<number, Entry>()
    const seen: string[] = []
    const deadlines = new Deadlines<Entry>(
      waiting,
      (key, entry) => {
        waiting.delete(key)
        seen.push(entry.name)
        if (entry.name === 'first') {
          waiting.delete(2) // settles 'second', due at the same time
          waiting.set(4, { name: 'added' })
          deadlines.add(4, waiting.get(4)!, 10)
        }
      },
      () => Date.now(),
    )
    for (const [key, name] of [
      [1, 'first'],
      [2, 'second'],
      [3, 'third'],
    ] as const) {
      waiting.set(key, { name })
      deadlines.add(key, waiting.get(key)!, 100)
    }
    vi.advanceTimersByTime(100)
    expect(seen).toEqual(['first', 'third'])
    vi.advanceTimersByTime(10)
    expect(seen).toEqual(['first', 'third', 'added'])
  })

  it('waits out a deadline beyond setTimeout\'s limit instead of firing at once', () => {
    const { expired, add } = setup()
    add('far', 2 ** 31 + 5000)
    vi.advanceTimersByTime(2 ** 31 - 1)
    expect(expired).toEqual([])
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(5001)
    expect(expired).toHaveLength(1)
  })

  it('clear() forgets every deadline and leaves no timer', () => {
    const { expired, deadlines, add } = setup()
    add('a', 100)
    add('b', 200)
    deadlines.clear()
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(1000)
    expect(expired).toEqual([])
  })

  it('expires exactly the entries still waiting, each at its deadline (any adds and settles)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ ms: fc.integer({ min: 1, max: 500 }), settleAfter: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }), gap: fc.integer({ min: 0, max: 50 }) }), {
          maxLength: 60,
        }),
        (ops) => {
          vi.clearAllTimers()
          const { waiting, expired, add } = setup()
          const want: { key: number; at: number }[] = []
          let t = 0
          for (const op of ops) {
            const key = add('x', op.ms)
            const due = t + op.ms
            if (op.settleAfter !== undefined && op.settleAfter < op.ms) {
              setTimeout(() => waiting.delete(key), op.settleAfter)
            } else want.push({ key, at: due })
            vi.advanceTimersByTime(op.gap)
            t += op.gap
          }
          vi.advanceTimersByTime(1000)
          const got = expired.map(({ key, at }) => ({ key, at }))
          expect(got.sort((a, b) => a.key - b.key)).toEqual(want.sort((a, b) => a.key - b.key))
        },
      ),
      { numRuns: 200 },
    )
  })
})
