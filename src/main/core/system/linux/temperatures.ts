import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { SystemMetrics } from '../../../../shared/types/system'
import type { TextFiles } from '../../linux/textFiles'

interface Sensor {
  label: string
  path: string
}

/** Sensors appear with drivers, which hardly ever happens after boot: look for them again this often. */
const REDISCOVER_MS = 5 * 60_000

/**
 * Temperatures from /sys/class/hwmon (chip name + tempN_label, millidegrees
 * in tempN_input), or, on machines without hwmon sensors, from
 * /sys/class/thermal zones. The files are found once and then only read.
 */
export class TemperatureReader {
  private sensors: Sensor[] = []
  private discoveredAt = -Infinity

  constructor(
    private readonly files: TextFiles,
    private readonly sysRoot = '/sys',
  ) {}

  read(nowMs: number): SystemMetrics['temperatures'] {
    if (nowMs - this.discoveredAt >= REDISCOVER_MS) {
      this.sensors = this.discover()
      this.discoveredAt = nowMs
    }
    const out: SystemMetrics['temperatures'] = []
    for (const s of this.sensors) {
      const text = this.files.read(s.path)?.trim()
      const milli = text ? Number(text) : NaN
      // Some sensors answer EIO, nothing or nonsense while their device sleeps.
      if (Number.isFinite(milli) && milli > -100_000 && milli < 200_000) out.push({ label: s.label, celsius: milli / 1000 })
    }
    return out
  }

  private discover(): Sensor[] {
    const hwmon = this.discoverHwmon()
    return hwmon.length > 0 ? hwmon : this.discoverThermalZones()
  }

  private discoverHwmon(): Sensor[] {
    const root = join(this.sysRoot, 'class/hwmon')
    const out: Sensor[] = []
    for (const chip of list(root).sort(byNumber)) {
      // Older drivers keep their files under device/.
      const dir = [join(root, chip), join(root, chip, 'device')].find((d) => list(d).some(isTempInput))
      if (!dir) continue
      const name = this.text(join(root, chip, 'name')) ?? this.text(join(dir, 'name')) ?? chip
      for (const input of list(dir).filter(isTempInput).sort(byNumber)) {
        const base = input.slice(0, -'_input'.length)
        out.push({ label: `${name} ${this.text(join(dir, `${base}_label`)) ?? base}`, path: join(dir, input) })
      }
    }
    return out
  }

  private discoverThermalZones(): Sensor[] {
    const root = join(this.sysRoot, 'class/thermal')
    return list(root)
      .filter((z) => z.startsWith('thermal_zone') && existsSync(join(root, z, 'temp')))
      .sort(byNumber)
      .map((z) => ({ label: `${this.text(join(root, z, 'type')) ?? 'thermal'} ${z.slice('thermal_'.length)}`, path: join(root, z, 'temp') }))
  }

  private text(path: string): string | undefined {
    return this.files.read(path)?.trim() || undefined
  }
}

const isTempInput = (f: string) => /^temp\d+_input$/.test(f)
const byNumber = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true })

function list(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
