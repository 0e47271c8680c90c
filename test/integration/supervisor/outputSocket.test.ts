import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { connect, Socket } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { ProgramLogs, type ProgramOutput } from '../../../src/main/core/supervisor/logs'
import { makeOutputPair, outputSocketPath } from '../../../src/main/core/supervisor/outputSocket'
import { parseProgram } from '../../../src/shared/supervisor/program'
import { TreeWatch } from '../../../src/main/core/supervisor/programTree'
import { ProgramRunner, type ExitInfo } from '../../../src/main/core/supervisor/runner'
import { StartRecord } from '../../../src/main/core/supervisor/startRecord'
import { tempDir } from '../../helpers/tempDir'
import { waitFor } from '../../helpers/wait'

const MiB = 1024 * 1024
const children = new Set<ChildProcess>()
const closing: Array<() => unknown> = []

afterEach(async () => {
  for (const child of children) child.kill('SIGKILL')
  children.clear()
  for (const close of closing.splice(0)) await close()
})

function logsIn(): ProgramLogs {
  // A partial line is handed on only at the end of the output: the end must come.
  const logs = new ProgramLogs({ dir: tempDir(), name: 'prog', maxBytes: 100 * MiB, files: 2, partialFlushMs: 60_000 })
  closing.push(() => logs.close())
  return logs
}

/** Spawns node running `script` with `output` as its stdout and stderr, as the runner does; resolves once it exited. */
function spawnWith(output: ProgramOutput, script: string): Promise<void> {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', output.stdout, output.stderr] })
  output.attach(child)
  children.add(child)
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/** Lines of the log file, without their time: `stream text`. */
function fileLines(logs: ProgramLogs): string[] {
  return readFileSync(logs.file.path, 'utf8')
    .split('\n')
    .slice(0, -1)
    .map((l) => l.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, ''))
}

describe('output through socket pairs made ahead', () => {
  it('captures both streams in order, lines cut across writes whole, and nothing lost when the program exits at once', async () => {
    const logs = logsIn()
    expect(await logs.outputReady()).toBe(true)
    const output = logs.output()
    expect(output.stdout).toBeInstanceOf(Socket)
    expect(output.stderr).toBeInstanceOf(Socket)
    const count = 20_000
    // Each line written in two pieces, stdout and stderr alternating, about 3 MB in all; then an exit with nothing flushed late.
    await spawnWith(
      output,
      `const fs = require('fs');
       for (let i = 0; i < ${count}; i++) {
         const fd = i % 3 ? 1 : 2
         fs.writeSync(fd, 'line ' + i + ' é✓ ')
         fs.writeSync(fd, 'x'.repeat(i % 200) + '\\n')
       }
       fs.writeSync(1, 'no newline at the end')`,
    )
    await waitFor(() => logs.lines(1)[0]?.text === 'no newline at the end', 5000, 'the end of the output, with its partial line')
    await logs.flush()
    const expected = Array.from({ length: count }, (_, i) => `${i % 3 ? 'stdout' : 'stderr'} line ${i} é✓ ${'x'.repeat(i % 200)}`)
    const lines = fileLines(logs)
    expect(lines.filter((l) => l.startsWith('stdout line'))).toEqual(expected.filter((l) => l.startsWith('stdout')))
    expect(lines.filter((l) => l.startsWith('stderr line'))).toEqual(expected.filter((l) => l.startsWith('stderr')))
    expect(lines.at(-1)).toBe('stdout no newline at the end')
    expect(lines).toHaveLength(count + 1)
  })

  it('gives the program a stdout like the pipe it had: a Unix socket, not a tty, blocking', async () => {
    // What the program sees of its fd 1: what it is, the tty test, and the open flags (O_NONBLOCK is 04000).
    const probe = `const fs = require('fs');
      const flags = parseInt(/flags:\\s*(\\d+)/.exec(fs.readFileSync('/proc/self/fdinfo/1', 'utf8'))[1], 8);
      console.log(JSON.stringify({ socket: fs.fstatSync(1).isSocket(), tty: require('tty').isatty(1), nonblock: (flags & 0o4000) !== 0 }))`
    const views: unknown[] = []
    for (const sockets of [true, false]) {
      const logs = logsIn()
      expect(await logs.outputReady()).toBe(true)
      // Taken once: the second output() of a row finds none ready, as a start right after another would.
      const first = logs.output()
      const output = sockets ? first : logs.output()
      expect(output.stdout === 'pipe').toBe(!sockets)
      if (!sockets) first.attach({ pid: undefined } as ChildProcess)
      await spawnWith(output, probe)
      const line = await waitFor(() => logs.lines(1)[0], 5000, 'the probe')
      views.push(JSON.parse(line.text))
    }
    expect(views[0]).toEqual({ socket: true, tty: false, nonblock: false })
    expect(views[1]).toEqual(views[0])
  })

  it('ends the capture only when every holder of the output has closed it, as with a pipe', async () => {
    const logs = logsIn()
    await logs.outputReady()
    // The program exits at once; a child it left behind writes 300 ms later.
    await spawnWith(
      logs.output(),
      `require('child_process').spawn(process.execPath, ['-e', "setTimeout(() => console.log('from the child'), 300)"], { stdio: ['ignore', 'inherit', 'inherit'], detached: true }).unref()`,
    )
    await waitFor(() => logs.lines(1)[0]?.text === 'from the child', 5000, 'the line of the child left behind')
  })

  it('frees the pairs of a spawn that failed, and has new ones for the next', async () => {
    const logs = logsIn()
    await logs.outputReady()
    const output = logs.output()
    const child = spawn('/nonexistent/program', [], { stdio: ['ignore', output.stdout, output.stderr] })
    child.on('error', () => {})
    output.attach(child)
    expect(child.pid).toBeUndefined()
    expect((output.stdout as Socket).destroyed).toBe(true)
    expect(await logs.outputReady()).toBe(true)
  })

  it('pairs no connection that does not bring a secret of its own: it is closed and the pair is made as before', async () => {
    const making = makeOutputPair()
    const path = await waitFor(() => outputSocketPath(), 5000, 'the socket pairs are made on')
    const stranger = connect(path)
    const closed = new Promise<void>((resolve) => stranger.once('close', () => resolve()))
    stranger.on('error', () => {})
    stranger.write(Buffer.alloc(16, 7))
    await closed
    const pair = await making
    closing.push(() => pair.close())
    expect(pair.childEnd.destroyed).toBe(false)
  })

  it('reads a program that writes 4 KB at a time as fast as it can in big reads, not one per write', async () => {
    const pair = await makeOutputPair()
    closing.push(() => pair.close())
    const total = 16 * MiB
    // What stdio does when its output is not a terminal: full 4 KB buffers, written one after another.
    const child = spawn(process.execPath, ['-e', `const b = Buffer.alloc(4096, 120); for (let i = 0; i < ${total / 4096}; i++) require('fs').writeSync(1, b)`], {
      stdio: ['ignore', pair.childEnd, 'inherit'],
    })
    children.add(child)
    pair.spawned()
    const reads: number[] = []
    await new Promise<void>((resolve) => pair.read((bytes) => void reads.push(bytes.length), resolve))
    expect(reads.reduce((a, b) => a + b, 0)).toBe(total)
    // Read as each write came, it would take 4,096 reads of 4 KB.
    expect(total / reads.length).toBeGreaterThan(32 * 1024)
  })

  it('leaves nothing listening, nor its folder, once the pairs are made', async () => {
    const logs = new ProgramLogs({ dir: tempDir(), name: 'prog', maxBytes: MiB, files: 2 })
    closing.push(() => logs.close())
    const path = await waitFor(() => outputSocketPath(), 5000, 'the socket pairs are made on')
    expect(await logs.outputReady()).toBe(true)
    expect(await outputSocketPath()).toBeUndefined()
    expect(existsSync(dirname(path))).toBe(false)
  })

  it('does not keep Proctor running by pairs made ahead and not used', { timeout: 15_000 }, async () => {
    const dir = tempDir()
    const script = join(dir, 'idle.mts')
    writeFileSync(
      script,
      `import { ProgramLogs } from ${JSON.stringify(fileURLToPath(new URL('../../../src/main/core/supervisor/logs.ts', import.meta.url)))}
       const logs = new ProgramLogs({ dir: ${JSON.stringify(dir)}, name: 'p', maxBytes: 1e6, files: 2 })
       console.log(await logs.outputReady())`,
    )
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] })
    children.add(child)
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    // Still running 5 s after it has nothing left to do: KILLed, and the exit code says so.
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    clearTimeout(kill)
    expect(out.trim()).toBe('true')
    expect(code).toBe(0)
  })
})

describe('a restart through the runner', () => {
  it('starts in the same turn as the exit, its output captured like the first run', async () => {
    const dataDir = tempDir()
    const program = parseProgram({ name: 'prog', command: process.execPath, args: ['-e', `console.log('run ' + process.pid)`], startSeconds: 0 })
    const logs = new ProgramLogs({ dir: dataDir, name: 'prog', maxBytes: MiB, files: 2 })
    closing.push(() => logs.close())
    const tree = new TreeWatch(100)
    closing.push(() => tree.close())
    const runner = new ProgramRunner(program, { logs, tree, startRecord: new StartRecord(dataDir) })
    closing.push(() => runner.stop('test over'))
    await logs.outputReady()
    const pids: number[] = []
    const exits: ExitInfo[] = []
    const twice = new Promise<void>((resolve) => {
      runner.onExit((exit) => {
        exits.push(exit)
        if (exits.length === 2) return resolve()
        // Synchronously, in the exit's own turn: no pair can be awaited here.
        runner.start('restart')
        pids.push(runner.pid!)
      })
    })
    runner.start()
    pids.push(runner.pid!)
    await twice
    expect(runner.transitions().filter((t) => t.to === 'starting')).toHaveLength(2)
    const texts = await waitFor(() => {
      const t = logs.lines().map((l) => l.text)
      return t.length === 2 && t
    }, 5000, "both runs' lines")
    expect(texts).toEqual(pids.map((pid) => `run ${pid}`))
  })
})
