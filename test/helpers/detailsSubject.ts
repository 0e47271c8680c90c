import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'

const SUBJECT = resolve(__dirname, '../fixtures/scripts/detailsSubject.ts')

/** The secret-looking variable the subject runs with, and its value. */
export const SUBJECT_TOKEN = 'tok-1b7f0c55e2d94a1e'

export interface SubjectFiles {
  deletedPath: string
  deletedFd: number
  keptPath: string
  keptFd: number
}

export interface Subject {
  child: ChildProcess
  ready: SubjectFiles
  /** The signals it got so far (SIGUSR1, SIGUSR2, SIGHUP), in order. */
  signals: string[]
}

/**
 * Starts test/fixtures/scripts/detailsSubject.ts with MY_API_TOKEN and
 * PLAIN_SETTING in its environment, its files in `dir`, and answers once it
 * says it is ready. `spin` makes one worker thread spin (a busy thread);
 * `env` replaces the rest of its environment (else it inherits this one's).
 */
export function startSubject(dir: string, options: { spin?: boolean; env?: Record<string, string> } = {}): Promise<Subject> {
  const child = spawn(process.execPath, ['--import', 'tsx', SUBJECT, dir, ...(options.spin ? ['--spin'] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...(options.env ?? process.env), MY_API_TOKEN: SUBJECT_TOKEN, PLAIN_SETTING: 'visible-value' },
  })
  const signals: string[] = []
  return new Promise((resolveReady, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the details subject exited (${code}) before it was ready`)))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const msg = JSON.parse(line) as { ready?: boolean; signal?: string } & SubjectFiles
      if (msg.ready) resolveReady({ child, ready: msg, signals })
      else if (msg.signal) signals.push(msg.signal)
    })
  })
}
