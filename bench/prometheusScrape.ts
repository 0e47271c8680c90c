/**
 * `npx tsx bench/prometheusScrape.ts [PROCESSES]` (default 2000)
 *
 * What one Prometheus scrape of /metrics costs the engine: the machine
 * brought to PROCESSES processes (idle sleeps; 0 for its own population),
 * then 12 scrapes half a second apart through the same ProctorMetrics the
 * endpoint uses, without HTTP. The first (which makes the readers) is left
 * out; one JSON line on stdout with the medians of the rest.
 */
import { ProctorMetrics } from '../src/main/core/metrics/proctorMetrics'
import { median, sleep } from './measure'
import { countProcesses, Population } from './population'

const log = (m: string): void => void process.stderr.write(`[bench] ${m}\n`)

async function main(): Promise<void> {
  const population = await Population.reach(Number(process.argv[2] ?? 2000), log)
  const metrics = new ProctorMetrics({ version: 'bench', adapterSetting: () => 'auto' })
  const wallMs: number[] = []
  const cpuMs: number[] = []
  let text = ''
  try {
    for (let i = 0; i < 12; i++) {
      const cpu = process.cpuUsage()
      const started = performance.now()
      text = await metrics.scrape()
      const took = performance.now() - started
      const used = process.cpuUsage(cpu)
      if (i > 0) {
        wallMs.push(took)
        cpuMs.push((used.user + used.system) / 1000)
      }
      await sleep(500)
    }
  } finally {
    metrics.close()
    await population.release(log)
  }
  const series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length
  const round1 = (n: number) => Math.round(n * 10) / 10
  process.stdout.write(`${JSON.stringify({ processes: countProcesses(), scrapes: wallMs.length, medianWallMs: round1(median(wallMs)), medianCpuMs: round1(median(cpuMs)), series, bytes: text.length })}\n`)
}

void main()
