import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TaskQueue } from '../../../src/main/core/pools/taskQueue'

describe('the task queue', () => {
  it('takes higher priority first, first in first out within a priority', () => {
    const q = new TaskQueue<string>()
    q.push('a0', 0)
    q.push('b0', 0)
    q.push('c5', 5)
    q.push('d-1', -1)
    q.push('e5', 5)
    expect(q.size).toBe(5)
    expect(q.peek()).toBe('c5')
    expect([q.shift(), q.shift(), q.shift(), q.shift(), q.shift(), q.shift()]).toEqual(['c5', 'e5', 'a0', 'b0', 'd-1', undefined])
    expect(q.size).toBe(0)
  })

  it('puts a retried item back at the front of its priority', () => {
    const q = new TaskQueue<string>()
    q.push('a', 1)
    q.push('b', 1)
    expect(q.shift()).toBe('a')
    q.unshift('a', 1)
    q.unshift('z', 0)
    expect(q.drain()).toEqual(['a', 'b', 'z'])
  })

  it('removes from the middle, and knows what is not there', () => {
    const q = new TaskQueue<string>()
    for (const x of ['a', 'b', 'c']) q.push(x, 0)
    expect(q.remove('b', 0)).toBe(true)
    expect(q.remove('b', 0)).toBe(false)
    expect(q.remove('a', 3)).toBe(false)
    expect(q.size).toBe(2)
    expect(q.drain()).toEqual(['a', 'c'])
  })

  it('matches a stable sort by priority for any mix of pushes, shifts and removes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('push', 'shift', 'remove'), fc.integer({ min: -2, max: 2 })), { maxLength: 300 }), (ops) => {
        const q = new TaskQueue<number>()
        let model: Array<{ id: number; p: number }> = []
        let next = 0
        for (const [op, p] of ops) {
          if (op === 'push') {
            q.push(next, p)
            model.push({ id: next++, p })
          } else if (op === 'shift') {
            const sorted = [...model].sort((a, b) => b.p - a.p)
            const want = sorted[0]
            expect(q.shift()).toBe(want?.id)
            if (want) model = model.filter((m) => m !== want)
          } else if (model.length > 0) {
            const victim = model[Math.abs(p) % model.length]!
            expect(q.remove(victim.id, victim.p)).toBe(true)
            model = model.filter((m) => m !== victim)
          }
          expect(q.size).toBe(model.length)
        }
        expect(q.drain()).toEqual([...model].sort((a, b) => b.p - a.p).map((m) => m.id))
      }),
    )
  })
})
