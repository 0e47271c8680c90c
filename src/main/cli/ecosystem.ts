import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { createInterface } from 'node:readline/promises'
import { EcosystemError } from '../../shared/ecosystem/errors'
import { launchdAgent } from '../../shared/ecosystem/launchd'
import { systemdUnit, UNIT_PREFIX, type Exported } from '../../shared/ecosystem/systemd'
import { restartSchedule } from '../../shared/supervisor/schedule'
import { ecosystemKind, loadEcosystem } from '../ecosystem/load'
import { findInPath, launchAgentsDir, launchdLogDir, systemdUserDir } from '../ecosystem/paths'
import { parse, UsageError } from './args'
import { formatImport } from './ecosystemFormat'
import { OWNER_FLAGS, out, withOwner } from './programs'
import { formatStatusLine } from './programsFormat'

/**
 * `proctor programs export NAME --systemd|--launchd` and `proctor programs
 * import FILE`: a program handed to the operating system's supervisor,
 * and PM2's or supervisord's programs brought into Proctor's, through the
 * owner like every other `programs` verb.
 */

export async function exportProgram(args: string[]): Promise<number> {
  const options = { ...OWNER_FLAGS, systemd: { type: 'boolean' }, launchd: { type: 'boolean' }, output: { type: 'string' } } as const
  const { values, positionals } = parse(() => parseArgs({ args, strict: true, allowPositionals: true, options }), 1)
  const name = positionals[0]
  if (name === undefined) throw new UsageError('programs export: which program? give its NAME')
  if (values.systemd === values.launchd) throw new UsageError('programs export: say which format: --systemd (a systemd user unit) or --launchd (a launchd agent)')
  return withOwner(values, 'programs export', async (api) => {
    const [detail, settings] = await Promise.all([api.getProgram({ name }), api.getSettings()])
    const p = detail.program
    const schedule = restartSchedule(p, settings.healthConfig)
    const how = `proctor programs export ${name} ${values.systemd ? '--systemd' : '--launchd'}`
    let exported: Exported
    try {
      if (values.systemd) {
        const unit = `${UNIT_PREFIX}${p.name}`
        const executable = p.shell ? undefined : findInPath(p.command)
        exported = systemdUnit(p, {
          schedule,
          ...(executable ? { executable } : {}),
          header: [
            `Proctor's program ${p.name}, exported by \`${how}\`.`,
            `Install: save as ${systemdUserDir()}/${unit}.service, then run`,
            `  systemctl --user daemon-reload && systemctl --user enable --now ${unit}`,
          ],
        })
      } else {
        const plist = `${launchAgentsDir()}/dev.proctor.${p.name}.plist`
        exported = launchdAgent(p, { schedule, logDir: launchdLogDir(), header: [`Proctor's program ${p.name}, exported by proctor programs export.`, `Install: save as ${plist}, then run: launchctl load -w ${plist}`] })
      }
    } catch (err) {
      if (!(err instanceof EcosystemError)) throw err
      process.stderr.write(`proctor: ${p.name} cannot be exported: ${err.message}\n`)
      return 1
    }
    if (values.output !== undefined) {
      writeFileSync(values.output, exported.text)
      if (values.json) out(true, { ...exported, output: values.output }, () => '')
      else process.stderr.write(`wrote ${values.output}\n`)
    } else if (values.json) {
      out(true, exported, () => '')
    } else {
      process.stdout.write(exported.text)
    }
    if (!values.json) for (const note of exported.notes) process.stderr.write(`note: ${note}\n`)
    return 0
  })
}

/**
 * y/N questions on the terminal, one reader for the whole command: lines
 * typed (or pasted) ahead wait for their question instead of being lost
 * with a reader closed after the first. Without a terminal, every answer
 * is no.
 */
class Questions {
  private rl: ReturnType<typeof createInterface> | undefined
  private lines: string[] = []
  private waiting: ((line: string | undefined) => void) | undefined
  private ended = false

  async confirm(question: string): Promise<boolean> {
    if (!process.stdin.isTTY) return false
    if (!this.rl) {
      this.rl = createInterface({ input: process.stdin, output: process.stderr })
      // Taken at once: lines pasted together arrive in one tick, before an awaiting question resumes.
      const answer = (line: string | undefined) => {
        const waiting = this.waiting
        this.waiting = undefined
        waiting?.(line)
        return waiting !== undefined
      }
      this.rl.on('line', (line) => {
        if (!answer(line)) this.lines.push(line)
      })
      this.rl.on('close', () => {
        this.ended = true
        answer(undefined)
      })
    }
    process.stderr.write(`${question} [y/N] `)
    const line = this.lines.shift() ?? (this.ended ? undefined : await new Promise<string | undefined>((r) => (this.waiting = r)))
    return /^y(es)?$/i.test((line ?? '').trim())
  }

  close(): void {
    this.rl?.close()
  }
}

export async function importPrograms(args: string[]): Promise<number> {
  const options = { ...OWNER_FLAGS, yes: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, env: { type: 'string' }, start: { type: 'boolean' } } as const
  const { values, positionals } = parse(() => parseArgs({ args, strict: true, allowPositionals: true, options }), 1)
  const file = positionals[0]
  if (file === undefined) throw new UsageError('programs import: which file? give a PM2 ecosystem file (.json, .config.js) or a supervisord configuration (.conf)')
  const rerun = `proctor programs import ${file}${values.env !== undefined ? ` --env ${values.env}` : ''}`
  const questions = new Questions()
  try {
    return await importWith(file, values, rerun, questions)
  } finally {
    questions.close()
  }
}

async function importWith(
  file: string,
  values: { yes?: boolean; 'dry-run'?: boolean; env?: string; start?: boolean; json?: boolean; 'data-dir'?: string; 'start-daemon'?: boolean },
  rerun: string,
  questions: Questions,
): Promise<number> {
  let imported
  try {
    let runJavaScript = values.yes === true
    if (ecosystemKind(file) === 'pm2-js' && !runJavaScript) {
      const question = `${file} is JavaScript: reading it runs it (with node, in its folder), as pm2 would. Run it?`
      if (!process.stdin.isTTY) {
        process.stderr.write(`proctor: ${file} is JavaScript: reading it runs it (with node, in its folder), as pm2 would. Nothing was run: ` +
          `run again with --yes to let it run (${rerun} --yes --dry-run only shows what it would add).\n`)
        return 1
      }
      runJavaScript = await questions.confirm(question)
      if (!runJavaScript) {
        process.stderr.write('proctor: nothing was run or saved\n')
        return 1
      }
    }
    imported = await loadEcosystem(file, { runJavaScript, ...(values.env !== undefined ? { envName: values.env } : {}) })
  } catch (err) {
    if (!(err instanceof EcosystemError)) throw err
    process.stderr.write(`proctor: ${err.message}\n`)
    return 1
  }
  const report = { file, ...imported }
  const problems = imported.problems.length > 0
  if (values['dry-run'] || problems || imported.programs.length === 0) {
    out(values.json, { ...report, saved: false }, () => formatImport(file, imported, problems ? 'Nothing was saved: fix the problems above first.' : values['dry-run'] ? 'Nothing was saved (--dry-run).' : 'Nothing to save.'))
    return problems ? 1 : 0
  }
  let save = values.yes === true
  if (!save) {
    if (!values.json) process.stdout.write(`${formatImport(file, imported, '')}\n`)
    save = await questions.confirm(`Add ${imported.programs.length === 1 ? 'this program' : `these ${imported.programs.length} programs`} to Proctor?`)
    if (!save) {
      out(values.json, { ...report, saved: false }, () => `Nothing was saved: run again with --yes to add ${imported.programs.length === 1 ? 'it' : 'them'} (${rerun} --yes).`)
      return 0
    }
  } else if (!values.json) {
    process.stdout.write(`${formatImport(file, imported, '')}\n`)
  }
  return withOwner(values, 'programs import', async (api) => {
    const existing = new Set((await api.listPrograms()).programs.map((p) => p.name))
    const clash = imported.programs.map((p) => p.program.name).filter((n) => existing.has(n))
    if (clash.length > 0) {
      process.stderr.write(`proctor: already a program named ${clash.join(', ')}: remove ${clash.length === 1 ? 'it' : 'them'} or rename in ${file}; nothing was saved\n`)
      return 1
    }
    const added = []
    for (const { program } of imported.programs) {
      const status = await api.addProgram({ program, start: values.start === true })
      added.push(status)
      if (!values.json) process.stdout.write(`${formatStatusLine('added', status)}\n`)
    }
    if (values.json) out(true, { ...report, saved: true, added }, () => '')
    return 0
  })
}
