#!/usr/bin/env node
/**
 * `npm start`: the desktop app (electron-vite builds, then starts Electron).
 * Where npm could not download Electron's binary (no network, or
 * ELECTRON_SKIP_BINARY_DOWNLOAD), electron-vite only says "Electron
 * uninstall"; this says what happened and what to do instead, before
 * spending a build on it.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/** The binary's path, or why there is none. */
function electronBinary() {
  try {
    const path = require('electron')
    return existsSync(path) ? { path } : { missing: `${path} does not exist` }
  } catch (err) {
    return { missing: err instanceof Error ? err.message : String(err) }
  }
}

const binary = electronBinary()
if (binary.missing) {
  process.stderr.write(
    [
      'proctor: the Electron binary is not installed, so the desktop app cannot start.',
      `  (${binary.missing})`,
      '  npm skips its download when ELECTRON_SKIP_BINARY_DOWNLOAD is set or the download host is out of reach.',
      '  With network access: node node_modules/electron/install.js, then npm start again.',
      '  Without it: npm run serve runs the same window in your browser (browser mode).',
      '',
    ].join('\n'),
  )
  process.exit(1)
}

const child = spawn('npx', ['electron-vite', 'preview', ...process.argv.slice(2)], { stdio: 'inherit' })
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
