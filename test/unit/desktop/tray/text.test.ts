import { describe, expect, it } from 'vitest'
import { formatRate, formatWholePercent, trayTitle, trayTooltip, type TraySample } from '../../../../src/main/desktop/tray/text'

const sample = (over: Partial<{ cpu: number | null; mem: number | null; rx: number | null; tx: number | null }> = {}): TraySample => ({
  cpu: { total: over.cpu === undefined ? 23.4 : over.cpu },
  memory: { percent: over.mem === undefined ? 61.2 : over.mem },
  network: { rxBytesPerSec: over.rx === undefined ? 1.2 * 1024 * 1024 : over.rx, txBytesPerSec: over.tx === undefined ? 100 * 1024 : over.tx },
})

describe('trayTooltip', () => {
  it('reads CPU, memory and network from the latest sample', () => {
    expect(trayTooltip(sample())).toBe('CPU 23% · Mem 61% · ↓ 1.2 MiB/s ↑ 100.0 KiB/s')
    expect(trayTooltip(sample({ cpu: 99.6, mem: 0, rx: 0, tx: 512 }))).toBe('CPU 100% · Mem 0% · ↓ 0 B/s ↑ 512 B/s')
  })

  it('shows unknowns as –: no sample yet, a first sample without rates, no network part', () => {
    expect(trayTooltip(undefined)).toBe('CPU – · Mem – · ↓ – ↑ –')
    expect(trayTooltip(sample({ cpu: null, rx: null, tx: null }))).toBe('CPU – · Mem 61% · ↓ – ↑ –')
    expect(trayTooltip({ cpu: { total: 5 }, memory: { percent: 40 } })).toBe('CPU 5% · Mem 40% · ↓ – ↑ –')
    expect(trayTooltip(sample({ cpu: Number.NaN, rx: -1 }))).toBe('CPU – · Mem 61% · ↓ – ↑ 100.0 KiB/s')
  })

  it('says so when monitoring is paused', () => {
    expect(trayTooltip(sample(), { paused: true })).toBe('Proctor: monitoring paused')
  })
})

describe('trayTitle (macOS menu-bar text)', () => {
  it('is the total CPU, or nothing when unknown or paused', () => {
    expect(trayTitle(sample())).toBe('23%')
    expect(trayTitle(sample({ cpu: null }))).toBe('')
    expect(trayTitle(undefined)).toBe('')
    expect(trayTitle(sample(), { paused: true })).toBe('')
  })
})

describe('formatters', () => {
  it('formatWholePercent rounds and clamps at 0', () => {
    expect([0, 0.4, 0.5, 61.49, 100, -3].map(formatWholePercent)).toEqual(['0%', '0%', '1%', '61%', '100%', '0%'])
    expect(formatWholePercent(undefined)).toBe('–')
  })

  it('formatRate uses the app’s binary units', () => {
    expect([0, 999, 1536, 5 * 1024 ** 3].map(formatRate)).toEqual(['0 B/s', '999 B/s', '1.5 KiB/s', '5.0 GiB/s'])
    expect(formatRate(Number.POSITIVE_INFINITY)).toBe('–')
  })
})
