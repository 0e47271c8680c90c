import type { Systeminformation } from 'systeminformation'
import type { DiskCounters, InterfaceCounters } from '../../../shared/system/derive'

/** The one disk device of the portable reader: systeminformation sums every disk. */
export const ALL_DISKS = 'all disks'

const counter = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined)

/** Both counters of a pair, or undefined: on a failed read systeminformation answers zeros, which no disk reads after boot. */
function pair(a: unknown, b: unknown): [number, number] | undefined {
  const x = counter(a)
  const y = counter(b)
  return x === undefined || y === undefined || (x === 0 && y === 0) ? undefined : [x, y]
}

/**
 * Interfaces from si.networkStats. A failed read comes back as zeros,
 * the same as an interface that never moved a byte: both are left out,
 * so a failure is never taken for counters that went to 0 (the next real
 * answer would be a spike). systeminformation counts no packets: those
 * stay undefined, so their rates are null.
 */
export function interfaceCounters(stats: readonly Systeminformation.NetworkStatsData[]): InterfaceCounters[] {
  const seen = new Set<string>()
  const out: InterfaceCounters[] = []
  for (const s of stats) {
    const bytes = pair(s.rx_bytes, s.tx_bytes)
    if (!bytes || seen.has(s.iface)) continue
    seen.add(s.iface)
    // Errors are shown, never used for rates: an unparsable count shows as none.
    out.push({ name: s.iface, rxBytes: bytes[0], txBytes: bytes[1], rxErrors: counter(s.rx_errors) ?? 0, txErrors: counter(s.tx_errors) ?? 0 })
  }
  return out
}

/**
 * All disks as one device: bytes from si.fsStats, operations from
 * si.disksIO. Either answers null where the platform has no source
 * (Windows, the BSDs), or zeros when its tools failed: that part is then
 * undefined (null rates), and with neither there is no device at all.
 */
export function diskCounters(
  fs: Systeminformation.FsStatsData | null | undefined,
  io: Systeminformation.DisksIoData | null | undefined,
): DiskCounters[] | undefined {
  const bytes = fs ? pair(fs.rx, fs.wx) : undefined
  const ops = io ? pair(io.rIO, io.wIO) : undefined
  if (!bytes && !ops) return undefined
  return [
    {
      device: ALL_DISKS,
      ...(bytes ? { readBytes: bytes[0], writeBytes: bytes[1] } : {}),
      ...(ops ? { readOps: ops[0], writeOps: ops[1] } : {}),
    },
  ]
}

/**
 * Temperatures from si.cpuTemperature: the package, each core, the
 * chipset, labelled as the Linux reader labels sensors. Missing sensors
 * come back as null, NaN or -1 (no reading, not a temperature): left out.
 */
export function temperatureReadings(t: Systeminformation.CpuTemperatureData | null | undefined): { label: string; celsius: number }[] {
  if (!t) return []
  const valid = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0 && v < 200
  const out: { label: string; celsius: number }[] = []
  if (valid(t.main)) out.push({ label: 'CPU', celsius: t.main })
  ;(t.cores ?? []).forEach((c, i) => {
    if (valid(c)) out.push({ label: `Core ${i}`, celsius: c })
  })
  if (valid(t.chipset)) out.push({ label: 'Chipset', celsius: t.chipset })
  return out
}
