import type { Systeminformation } from 'systeminformation'
import { describe, expect, it } from 'vitest'
import { ALL_DISKS, diskCounters, interfaceCounters, temperatureReadings } from '../../../src/main/core/system/siCounters'

// Answers of systeminformation 5.33 captured on a Debian 12 VM (second call: rates filled in).
const NET: Systeminformation.NetworkStatsData[] = [
  { iface: 'lo', operstate: 'unknown', rx_bytes: 1849181550, rx_dropped: 0, rx_errors: 0, tx_bytes: 1849181550, tx_dropped: 0, tx_errors: 0, rx_sec: 0, tx_sec: 0, ms: 628 },
  { iface: 'eth0', operstate: 'up', rx_bytes: 1530090913, rx_dropped: 0, rx_errors: 0, tx_bytes: 5277584, tx_dropped: 0, tx_errors: 0, rx_sec: 0, tx_sec: 0, ms: 631 },
]
const FS: Systeminformation.FsStatsData = { rx: 5114659840, wx: 5325971456, tx: 10440631296, rx_sec: 6543.13, wx_sec: 6543.13, tx_sec: 13086.26, ms: 626 }
const IO = {
  rIO: 180929,
  wIO: 131638,
  tIO: 312567,
  rIO_sec: 3.15,
  wIO_sec: 1.58,
  tIO_sec: 4.73,
  rWaitTime: 214452,
  wWaitTime: 64052,
  tWaitTime: 293370,
  rWaitPercent: 0.16,
  wWaitPercent: 0,
  tWaitPercent: 0,
  ms: 634,
} as Systeminformation.DisksIoData

/** What systeminformation answers when its tool failed or the interface is gone: its placeholder, all zeros. */
const failed = (iface: string): Systeminformation.NetworkStatsData =>
  ({ iface, operstate: 'unknown', rx_bytes: 0, rx_dropped: 0, rx_errors: 0, tx_bytes: 0, tx_dropped: 0, tx_errors: 0, rx_sec: null, tx_sec: null, ms: 0 }) as unknown as Systeminformation.NetworkStatsData

describe('counters from systeminformation', () => {
  it('takes bytes and errors per interface, and no packet counts (it has none)', () => {
    expect(interfaceCounters(NET)).toEqual([
      { name: 'lo', rxBytes: 1849181550, txBytes: 1849181550, rxErrors: 0, txErrors: 0 },
      { name: 'eth0', rxBytes: 1530090913, txBytes: 5277584, rxErrors: 0, txErrors: 0 },
    ])
  })

  it('leaves out a failed read (zeros), an unparsable one (NaN from odd netstat output) and repeats', () => {
    const odd = { ...NET[1]!, iface: 'en0', rx_bytes: NaN }
    const badErrors = { ...NET[1]!, iface: 'en1', rx_errors: NaN }
    expect(interfaceCounters([failed('utun0'), odd, NET[0]!, NET[0]!, badErrors]).map((n) => [n.name, n.rxErrors])).toEqual([
      ['lo', 0],
      ['en1', 0],
    ])
  })

  it('makes all disks one device: bytes from fsStats, operations from disksIO', () => {
    expect(diskCounters(FS, IO)).toEqual([{ device: ALL_DISKS, readBytes: 5114659840, writeBytes: 5325971456, readOps: 180929, writeOps: 131638 }])
  })

  it('leaves the part a platform lacks (null) or failed to read (zeros) undefined, and with neither no device', () => {
    expect(diskCounters(null, IO)).toEqual([{ device: ALL_DISKS, readOps: 180929, writeOps: 131638 }])
    expect(diskCounters({ ...FS, rx: 0, wx: 0 }, IO)).toEqual([{ device: ALL_DISKS, readOps: 180929, writeOps: 131638 }])
    expect(diskCounters(FS, null)).toEqual([{ device: ALL_DISKS, readBytes: 5114659840, writeBytes: 5325971456 }])
    expect(diskCounters(null, null)).toBeUndefined()
    expect(diskCounters({ ...FS, rx: 0, wx: 0 }, { ...IO, rIO: 0, wIO: 0 })).toBeUndefined()
  })

  it('labels the temperatures that have a reading and leaves out missing sensors', () => {
    const t = { main: 48.5, cores: [47, null as unknown as number, 51], max: 51, socket: [], chipset: -1 }
    expect(temperatureReadings(t)).toEqual([
      { label: 'CPU', celsius: 48.5 },
      { label: 'Core 0', celsius: 47 },
      { label: 'Core 2', celsius: 51 },
    ])
    // What systeminformation answers on a machine without sensors (this VM).
    expect(temperatureReadings({ main: null as unknown as number, cores: [], max: null as unknown as number, socket: [], chipset: null as unknown as number })).toEqual([])
    expect(temperatureReadings(null)).toEqual([])
  })
})
