import { describe, expect, it } from 'vitest'
import { MetricsHistoryStore } from '../../../src/main/core/system/metricsHistory'

const T0 = 1_700_000_000_000

describe('MetricsHistoryStore', () => {
  it('keeps the newest samples in order, every series aligned with the timestamps', () => {
    const h = new MetricsHistoryStore(3)
    for (let i = 0; i < 5; i++) h.record(T0 + i * 1000, { 'cpu.total': i, 'memory.used': i % 2 ? null : i * 10 })
    expect(h.size).toBe(3)
    expect(h.history(-Infinity, Infinity)).toEqual({
      timestamps: [T0 + 2000, T0 + 3000, T0 + 4000],
      series: { 'cpu.total': [2, 3, 4], 'memory.used': [20, null, 40] },
    })
  })

  it('selects a window by timestamp, both ends included', () => {
    const h = new MetricsHistoryStore(100)
    for (let i = 0; i < 10; i++) h.record(T0 + i * 1000, { x: i })
    expect(h.history(T0 + 3000, T0 + 5000)).toEqual({ timestamps: [T0 + 3000, T0 + 4000, T0 + 5000], series: { x: [3, 4, 5] } })
    expect(h.history(T0 + 20_000, T0 + 30_000)).toEqual({ timestamps: [], series: { x: [] } })
    expect(h.oldest).toBe(T0)
  })

  it('gives a series that appears later nulls before it, and one that stops nulls after', () => {
    const h = new MetricsHistoryStore(10)
    h.record(T0, { a: 1 })
    h.record(T0 + 1, { a: 2, b: 20 })
    h.record(T0 + 2, { b: 30 })
    expect(h.history(-Infinity, Infinity).series).toEqual({ a: [1, 2, null], b: [null, 20, 30] })
  })

  it('aggregates each series over the window, nulls skipped', () => {
    const h = new MetricsHistoryStore(100)
    for (let i = 1; i <= 20; i++) h.record(T0 + i, { x: i, y: i % 2 ? null : 1 })
    const a = h.aggregates(T0 + 1, T0 + 20)
    expect(a).toEqual({
      from: T0 + 1,
      to: T0 + 20,
      series: { x: { min: 1, max: 20, avg: 10.5, p95: 19, count: 20 }, y: { min: 1, max: 1, avg: 1, p95: 1, count: 10 } },
    })
  })

  it('holds its memory bound after 10,000 samples', () => {
    const h = new MetricsHistoryStore(3600)
    const values = (i: number) => Object.fromEntries(Array.from({ length: 20 }, (_, s) => [`s${s}`, (i * s) % 97]))
    h.record(T0, values(0))
    const bytes = h.bytes
    expect(bytes).toBe(8 * 3600 * 21)
    for (let i = 1; i < 10_000; i++) h.record(T0 + i * 1000, values(i))
    expect(h.size).toBe(3600)
    expect(h.bytes).toBe(bytes)
    const all = h.history(-Infinity, Infinity)
    expect(all.timestamps).toHaveLength(3600)
    expect(all.timestamps[0]).toBe(T0 + 6400 * 1000)
    expect(all.timestamps[3599]).toBe(T0 + 9999 * 1000)
    expect(all.series.s3?.[3599]).toBe((9999 * 3) % 97)
  })

  it('does not grow past its series cap, whatever names arrive', () => {
    const h = new MetricsHistoryStore(10)
    for (let i = 0; i < 2000; i++) h.record(T0 + i, { [`n${i}`]: i })
    expect(h.bytes).toBeLessThanOrEqual(8 * 10 * 1025)
  })

  it('resizes keeping the newest samples', () => {
    const h = new MetricsHistoryStore(5)
    for (let i = 0; i < 7; i++) h.record(T0 + i, { x: i })
    h.setCapacity(3)
    expect(h.history(-Infinity, Infinity)).toEqual({ timestamps: [T0 + 4, T0 + 5, T0 + 6], series: { x: [4, 5, 6] } })
    h.record(T0 + 7, { x: 7 })
    expect(h.history(-Infinity, Infinity).series.x).toEqual([5, 6, 7])
    h.setCapacity(10)
    h.record(T0 + 8, { x: 8 })
    expect(h.history(-Infinity, Infinity).series.x).toEqual([5, 6, 7, 8])
    expect(h.capacity).toBe(10)
  })

  it('finds samples by value when the wall clock stepped back', () => {
    const h = new MetricsHistoryStore(10)
    h.record(T0 + 5000, { x: 1 })
    h.record(T0 + 1000, { x: 2 })
    h.record(T0 + 6000, { x: 3 })
    expect(h.history(T0, T0 + 5500).series.x).toEqual([1, 2])
    expect(h.oldest).toBe(T0 + 1000)
  })

  it('holds no memory until the first sample, and frees it on clear', () => {
    const h = new MetricsHistoryStore(3600)
    expect(h.bytes).toBe(0)
    h.record(T0, { x: 1, y: 2 })
    expect(h.bytes).toBe(8 * 3600 * 3)
    h.clear()
    expect([h.bytes, h.size, h.oldest]).toEqual([0, 0, undefined])
    expect(h.history(-Infinity, Infinity)).toEqual({ timestamps: [], series: {} })
    h.setCapacity(60)
    expect(h.bytes).toBe(0)
    h.record(T0 + 1, { x: 3 })
    expect(h.history(-Infinity, Infinity)).toEqual({ timestamps: [T0 + 1], series: { x: [3] } })
    expect(h.bytes).toBe(8 * 60 * 2)
  })
})
