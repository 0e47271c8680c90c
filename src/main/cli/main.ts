import { audit, control, CONTROL_COMMANDS, type ControlCommand } from './control'
import { ps } from './ps'
import { metrics } from './metrics'
import { serve } from './serve'
import { UsageError } from './args'

/**
 * The command line: the same engine and contract as the app, in process.
 * Exit codes: 0 success, 1 refused or failed, 2 usage error.
 */

export const USAGE = `Usage: proctor <command> [options]

Commands:
  ps [--json] [--tree] [--query Q] [--sort cpu|mem|pid|name] [--watch MS]
                                   list every process (CPU % over a short interval);
                                   --query takes the search language, e.g. 'cpu > 5 and user = root'
                                   or 'command =~ "^(node|deno) .*--port"' (regexes: RE2 syntax);
                                   --watch prints a fresh list every MS ms (one JSON document
                                   per line with --json) until interrupted
  kill PID [--signal NAME]         send a signal (TERM by default; KILL, INT, HUP, STOP, CONT, USR1, ...;
                                   --signal KILL, not -9)
  terminate PID [--grace MS]       TERM, then KILL if still running after the grace (default 5000)
  suspend PID | resume PID         stop / continue a process
  renice PID N                     set the nice value, -20 (highest priority) .. 19, e.g. renice 4242 -5
    each with: --start-time MS     act only if PID is still the process started then (ms since epoch)
               --tree              the process and all its descendants
               --elevate           run through the administrator prompt (pkexec / macOS)
               --json              print the result as JSON
    actions run at once: unlike the window, the command line does not ask for confirmation
  audit [--limit N] [--json]       the log of process actions and settings changes, their results,
                                   and who made them (window, tray, command line, browser session)
  metrics [--json]                 one system sample: CPU, memory, swap, load, network, disks,
                                   filesystems, processes, sensors (rates over a short interval)
  serve [--port N] [--host ADDR] [--allow-host NAME]... [--max-connections N]
                                   serve the UI and API for a browser; prints the address to
                                   open, http://127.0.0.1:PORT/#token=... (port 0: any free one);
                                   bound to 0.0.0.0 or :: it answers to this machine's addresses,
                                   and to each --allow-host NAME; at most N browser connections
                                   at once (default 32); PROCTOR_TOKEN=... keeps one token
                                   across restarts
  help                             show this text

Options for every command:
  --data-dir DIR                   settings folder (default: the platform's config folder)
`

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    if ((CONTROL_COMMANDS as readonly string[]).includes(command ?? '')) return await control(command as ControlCommand, rest)
    switch (command) {
      case 'ps':
        return await ps(rest)
      case 'audit':
        return await audit(rest)
      case 'metrics':
        return await metrics(rest)
      case 'serve':
        return await serve(rest)
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE)
        return 0
      case undefined:
        throw new UsageError('no command given')
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`)
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`proctor: ${err.message}\n\n${USAGE}`)
      return 2
    }
    process.stderr.write(`proctor: ${(err as Error).message}\n`)
    return 1
  }
}

if (require.main === module) {
  // `proctor ps | head`: the reader went away; that ends the command, quietly, as it does for ps.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err
    process.exit(0)
  })
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
