/**
 * `npx tsx bench/details.ts [PID] [--rounds N]`
 *
 * What one details tab costs the engine: each reader of src/main/core/details
 * run N times (21) on one process, medians in ms on stdout as one JSON line.
 * Without a pid it starts an idle node (a typical process: ~19 fds, 7
 * threads, ~90 mappings) and ends it after.
 */
import { spawn } from 'node:child_process'
import { LinuxDetails } from '../src/main/core/details/linuxDetails'
import { median, round2 } from './measure'

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const roundsAt = args.indexOf('--rounds')
  const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 21
  const given = args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--rounds')
  const child = given ? undefined : spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' })
  const pid = given ? Number(given) : child!.pid!
  await new Promise((r) => setTimeout(r, 700)) // let node start its threads and map its libraries
  const details = new LinuxDetails()
  const readers: Record<string, () => Promise<unknown>> = {
    openFiles: () => details.openFiles(pid),
    environment: () => details.environment(pid),
    threads: () => details.threads(pid, 'bench'),
    memoryMaps: () => details.memoryMaps(pid),
    cgroup: () => details.cgroup(pid),
  }
  const out: Record<string, number | null> = {}
  for (const [name, read] of Object.entries(readers)) {
    const ms: number[] = []
    for (let i = 0; i < rounds; i++) {
      const t = performance.now()
      await read()
      ms.push(performance.now() - t)
    }
    out[`${name}Ms`] = round2(median(ms))
  }
  child?.kill('SIGKILL')
  process.stdout.write(`${JSON.stringify({ case: 'details', pid, rounds, ...out })}\n`)
}

void main()
