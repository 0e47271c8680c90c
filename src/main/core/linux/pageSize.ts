import { parseMeminfoField } from '../processes/linux/procParse'

/**
 * The memory page size without a child process (`getconf PAGESIZE`): this
 * process's resident pages (statm) against its resident kB (status), read
 * together; 4096 when they never agree on a power of two (the process grew
 * between the two reads every time, or there is no /proc).
 */
export function measurePageSize(read: (path: string) => string | undefined, root = '/proc'): number {
  for (let attempt = 0; attempt < 5; attempt++) {
    const statm = read(`${root}/self/statm`)?.split(' ')
    const bytes = parseMeminfoField(read(`${root}/self/status`) ?? '', 'VmRSS')
    const pages = Number(statm?.[1])
    if (pages > 0 && bytes) {
      const ratio = bytes / pages
      const power = 2 ** Math.round(Math.log2(ratio))
      if (Math.abs(ratio - power) / power < 0.05) return power
    }
  }
  return 4096
}
