import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ecosystemKind, loadEcosystem } from '../../../src/main/ecosystem/load'
import { tempDir } from '../../helpers/tempDir'

/** Reading configuration files from disk: the kind, JavaScript in its forms, and what goes wrong. */
describe('loadEcosystem', () => {
  const dir = tempDir()
  const write = (name: string, text: string) => {
    const file = join(dir, name)
    writeFileSync(file, text)
    return file
  }

  it('tells the kind by the name, else by the first characters', () => {
    expect(ecosystemKind('a/ecosystem.json')).toBe('pm2-json')
    expect(ecosystemKind('ecosystem.config.js')).toBe('pm2-js')
    expect(ecosystemKind('ecosystem.config.cjs')).toBe('pm2-js')
    expect(ecosystemKind('ecosystem.config.mjs')).toBe('pm2-js')
    expect(ecosystemKind('/etc/supervisor/conf.d/app.conf')).toBe('supervisord')
    expect(ecosystemKind('supervisord.ini')).toBe('supervisord')
    expect(ecosystemKind('Procfile-like', '{ "apps": [] }')).toBe('pm2-json')
    expect(ecosystemKind('worker.tpl', '; comment\n[program:w]\ncommand=/bin/w\n')).toBe('supervisord')
    expect(() => ecosystemKind('notes.txt', 'hello')).toThrow('notes.txt: not a PM2 ecosystem file (.json, .config.js, .cjs) or a supervisord configuration (.conf, .ini)')
  })

  it('runs an ES module config (export default) and a CommonJS one, each in its own folder', async () => {
    const esm = await loadEcosystem(write('ecosystem.config.mjs', "export default { apps: [{ name: 'esm', script: 'a.js', cwd: process.cwd() + '/sub' }] }\n"), { runJavaScript: true })
    expect(esm.programs[0]?.program).toMatchObject({ name: 'esm', cwd: join(dir, 'sub') })
    const named = await loadEcosystem(write('named.config.mjs', "export const apps = [{ name: 'named', script: 'a.js' }]\n"), { runJavaScript: true })
    expect(named.programs.map((p) => p.program.name)).toEqual(['named'])
    const cjs = await loadEcosystem(write('ecosystem.config.cjs', "module.exports = { apps: [{ name: 'cjs', script: 'a.js' }] }\n"), { runJavaScript: true })
    expect(cjs.programs.map((p) => p.program.name)).toEqual(['cjs'])
  })

  it('refuses JavaScript without consent, and a config that never finishes within the time given', async () => {
    const file = write('slow.config.js', 'setInterval(() => {}, 1000)\nmodule.exports = { apps: [] }\n')
    await expect(loadEcosystem(file)).rejects.toThrow(`${file} is JavaScript: reading it runs it, and that needs your consent`)
    await expect(loadEcosystem(file, { runJavaScript: true, timeoutMs: 1500 })).rejects.toThrow(`${file}: running it failed: did not finish within 1.5 s`)
  })

  it('a supervisord file is read with the environment given; an error names the file', async () => {
    const file = write('app.conf', '[program:w]\ncommand=%(ENV_APP_BIN)s --flag\n')
    const r = await loadEcosystem(file, { env: { APP_BIN: '/opt/app/bin/w' } })
    expect(r.programs[0]?.program).toMatchObject({ command: '/opt/app/bin/w', args: ['--flag'] })
    await expect(loadEcosystem(write('broken.conf', '[program:w\n'))).rejects.toThrow(/broken\.conf: line 1: the section header "\[program:w" is not closed with \]$/)
  })
})
