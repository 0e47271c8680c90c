import { describe, expect, it } from 'vitest'
import {
  describeSpan,
  formatAgo,
  formatClock,
  formatLoad,
  formatPercentShort,
  formatRate,
  formatSize,
  MISSING,
} from '../../../src/renderer/src/system/model/units'

describe('formatSize', () => {
  it('uses binary units with about three significant figures and no trailing .0', () => {
    expect(formatSize(0)).toBe('0 B')
    expect(formatSize(512)).toBe('512 B')
    expect(formatSize(1023)).toBe('1023 B')
    expect(formatSize(1024)).toBe('1 KiB')
    expect(formatSize(1536)).toBe('1.5 KiB')
    expect(formatSize(10 * 1024 ** 3)).toBe('10 GiB')
    expect(formatSize(23.5 * 1024 ** 3)).toBe('23.5 GiB')
    expect(formatSize(1015.2 * 1024 ** 2)).toBe('1015 MiB')
    expect(formatSize(2 * 1024 ** 5)).toBe('2 PiB')
    expect(formatSize(-1536)).toBe('-1.5 KiB')
  })

  it('prints a dash, never NaN, for what is not a number', () => {
    for (const v of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) expect(formatSize(v)).toBe(MISSING)
  })
})

describe('formatRate', () => {
  it('is a size per second', () => {
    expect(formatRate(0)).toBe('0 B/s')
    expect(formatRate(1.2 * 1024 ** 2)).toBe('1.2 MiB/s')
    expect(formatRate(117.5 * 1024)).toBe('118 KiB/s')
  })

  it('is a dash while unknown (first sample), and never negative', () => {
    expect(formatRate(null)).toBe('–')
    expect(formatRate(undefined)).toBe('–')
    expect(formatRate(Number.NaN)).toBe('–')
    expect(formatRate(-5)).toBe('0 B/s')
  })
})

describe('formatPercentShort', () => {
  it('keeps one decimal below 10 %', () => {
    expect(formatPercentShort(0)).toBe('0%')
    expect(formatPercentShort(0.44)).toBe('0.4%')
    expect(formatPercentShort(9.95)).toBe('9.9%')
    expect(formatPercentShort(12.4)).toBe('12%')
    expect(formatPercentShort(100)).toBe('100%')
    expect(formatPercentShort(null)).toBe('–')
    expect(formatPercentShort(Number.NaN)).toBe('–')
  })
})

describe('formatLoad', () => {
  it('prints two decimals per value', () => {
    expect(formatLoad([0.5, 1.234, 2])).toBe('0.50  1.23  2.00')
    expect(formatLoad([0.5])).toBe('0.50')
    expect(formatLoad(undefined)).toBe('–')
    expect(formatLoad([])).toBe('–')
  })
})

describe('formatAgo', () => {
  it('labels x ticks as time before the newest sample', () => {
    expect(formatAgo(0)).toBe('now')
    expect(formatAgo(-400)).toBe('now')
    expect(formatAgo(-15_000)).toBe('−15s')
    expect(formatAgo(-60_000)).toBe('−1m')
    expect(formatAgo(-90_000)).toBe('−1m 30s')
    expect(formatAgo(-15 * 60_000)).toBe('−15m')
    expect(formatAgo(-60 * 60_000)).toBe('−1h')
    expect(formatAgo(-90 * 60_000)).toBe('−1h 30m')
  })
})

describe('describeSpan', () => {
  it('names each range for people', () => {
    expect(describeSpan(60_000)).toBe('1 minute')
    expect(describeSpan(5 * 60_000)).toBe('5 minutes')
    expect(describeSpan(15 * 60_000)).toBe('15 minutes')
    expect(describeSpan(60 * 60_000)).toBe('1 hour')
    expect(describeSpan(120 * 60_000)).toBe('2 hours')
  })
})

describe('formatClock', () => {
  it('prints local hours, minutes and seconds with leading zeros', () => {
    const t = new Date(2025, 0, 2, 3, 4, 5).getTime()
    expect(formatClock(t)).toBe('03:04:05')
    expect(formatClock(Number.NaN)).toBe('–')
  })
})
