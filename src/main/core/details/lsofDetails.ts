import { execFile } from 'node:child_process'
import { ProctorError } from '../../../shared/errors'
import { parseLsofFields } from '../../../shared/details/lsof'
import type { CgroupInfo, MemoryMaps, OpenFile, Readable, ThreadList } from '../../../shared/details/types'
import type { DetailsReader } from './linuxDetails'

const LSOF_TIMEOUT_MS = 10_000

/**
 * Where there is no /proc (macOS): open files from lsof, which ships with
 * the system. The environment, threads, memory maps and control groups of
 * another process have no cheap, documented source there: they answer
 * UNAVAILABLE saying so.
 */
export class LsofDetails implements DetailsReader {
  constructor(private readonly lsof = 'lsof') {}

  openFiles(pid: number): Promise<Readable<OpenFile[]>> {
    return new Promise((resolve, reject) => {
      execFile(this.lsof, ['-nP', '-w', '-p', String(pid), '-F', 'fatn'], { timeout: LSOF_TIMEOUT_MS, maxBuffer: 32 * 1024 * 1024 }, (err, stdout) => {
        // lsof exits 1 both for "no such process" and for some files it could not read: its output decides.
        const files = parseLsofFields(stdout)
        if (files.length > 0 || !err) return resolve({ permitted: true, value: files })
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return reject(new ProctorError('UNAVAILABLE', 'open files are read with lsof, which is not installed'))
        resolve({ permitted: false, reason: `lsof could not list the open files of process ${pid}: it may belong to another user (run Proctor as that user or as root)` })
      })
    })
  }

  environment(): Promise<Readable<Array<[string, string]>>> {
    return unavailable('the environment of another process')
  }

  threads(): Promise<Readable<ThreadList>> {
    return unavailable('the threads of a process')
  }

  memoryMaps(): Promise<Readable<MemoryMaps>> {
    return unavailable('memory maps')
  }

  cgroup(): Promise<CgroupInfo> {
    return unavailable('control groups')
  }
}

function unavailable(what: string): Promise<never> {
  return Promise.reject(new ProctorError('UNAVAILABLE', `${what} can be read on Linux only (from /proc); this system has no /proc`))
}
