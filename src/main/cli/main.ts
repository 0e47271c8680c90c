import { audit, control, CONTROL_COMMANDS, type ControlCommand } from './control'
import { ps } from './ps'
import { metrics } from './metrics'
import { ports } from './ports'
import { serve } from './serve'
import { daemon } from './daemon'
import { adopt, logs, programs } from './programs'
import { ipc } from './ipc'
import { pools } from './pools'
import { UsageError } from './args'
import { completion } from './completion'

/**
 * The command line: the same engine and contract as the app, in process
 * for the monitor's verbs, and through the owner (the desktop app or
 * `proctor daemon`, over its control socket) for the supervisor's.
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
  ports [--json] [--port N] [--listen] [--protocol tcp|udp]
                                   every TCP and UDP socket (IPv4 and IPv6): local and remote address,
                                   state, and the process holding it (pid, user, name, program);
                                   --port N: sockets with N at either end; --listen: listeners only;
                                   sockets of other users' processes show "owner not visible"
                                   unless run as root
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
                                   across restarts; it supervises the programs too unless another
                                   owner (the desktop app, proctor daemon) does, then shows that one's
  daemon                           supervise the programs headless, until SIGINT/SIGTERM: the one owner
                                   per user (the desktop app, when it runs, is the owner instead);
                                   serves the CLI on a control socket in a folder only you may enter
  daemon --install | --uninstall [--systemd|--launchd]
                                   write (or remove) a systemd user unit (~/.config/systemd/user/
                                   proctor.service) or a launchd agent (~/Library/LaunchAgents/
                                   dev.proctor.daemon.plist) that starts the daemon at login, so
                                   programs come back after a reboot; prints the command to enable it
  completion bash|zsh              a shell completion script: eval "$(proctor completion bash)", or
                                   proctor completion zsh > "\${fpath[1]}/_proctor"
  programs list                    every program: state, pid, uptime, restarts, CPU, memory, health
  programs show NAME               one program: its definition, last exit, recent transitions
  programs add NAME [--cwd DIR] [--env K=V]... [--autostart] [--restart never|on-failure|always|unless-stopped]
               [--shell] [--start] -- COMMAND ARGS...
                                   add a program (its own arguments after --; --shell runs COMMAND
                                   through /bin/sh -c); --start starts it too
  programs edit NAME --set FIELD=VALUE...
                                   change fields (VALUE as JSON, else a string), e.g. --set restart=always
                                   --set 'args=["--port","8080"]'; --set cwd=null resets a field to its
                                   default; used from the next start
  programs start NAME [--wait]     start it (--wait: until its readiness check passes)
  programs stop|restart|remove NAME
  programs enable|disable health-checks|auto-restart
                                   turn the owner's health checks or automatic restarts on or off
  programs export NAME --systemd|--launchd [--output FILE]
                                   the program as a systemd user unit or a launchd agent, for the
                                   operating system to run instead; what the format cannot say
                                   (health checks, backoff...) is listed on stderr
  programs import FILE [--dry-run] [--yes] [--env NAME] [--start]
                                   programs from a PM2 ecosystem file (.json; .config.js or .cjs
                                   are run, so only with --yes or after you agree) or a supervisord
                                   configuration ([program:x] sections): shows what it maps and every
                                   field it does not, then adds them when you agree (--yes: without
                                   asking; --dry-run: never); --env NAME uses PM2's env_NAME
  logs NAME [--follow] [--lines N] [--stream stdout|stderr]
                                   the last N lines of its output (default 200); --follow goes on
                                   printing new lines until interrupted
  adopt PID [--name NAME] [--start-time MS] [--yes]
                                   make a running process a program: prints what it would run;
                                   with --yes stops the process and starts it under Proctor
    each of programs, logs, adopt: --json          print the owner's answer as JSON
                                   --start-daemon  start \`proctor daemon\` in the background first
                                                   when no owner runs (its output: DATA_DIR/daemon.log)
    with no owner running, they exit 1 and say how to start one
  ipc [status] [--json]            the owner's IPC broker: on or off, where it listens, its caps, each
                                   connection with messages and bytes in and out
  ipc on | ipc off                 turn the broker on (programs get PROCTOR_IPC_SOCKET and a token of
                                   their own from their next start) or off
  ipc send TARGET JSON             send a message from Proctor; TARGET is an endpoint id (p:NAME for a
                                   program, r:N for a registered process) or a program's name
  ipc request TARGET JSON [--timeout MS]
                                   send a request and print the answer (TIMEOUT after ipcConfig.messageTimeout)
  ipc broadcast JSON               send a message to every connected endpoint
  ipc register PID [--name NAME] [--start-time MS]
                                   issue a token for a process Proctor did not start (bound to its pid and
                                   start time); prints the variables to give it
  ipc unregister ID                revoke it and close its connection
    each of ipc: --json, --start-daemon as above; messages go out at once, without asking
  pools [list] [--json]            the owner's worker pools: state, workers ready of wanted, queue, command
  pools show ID                    one pool: its definition, metrics (throughput, run and wait time
                                   p50/p95/p99, utilisation) and each worker (state, pid, task, CPU, memory)
  pools on | pools off             turn worker pools on (IPC too: workers connect through it) or off
  pools create ID [--name NAME] [--min N] [--max N] [--strategy fixed|dynamic]
               [--balancing least_busy|round_robin|random] [--timeout MS] [--idle-timeout MS]
               [--queue-size N] [--tasks-per-worker N] [--retries N] [--cwd DIR] [--env K=V]...
               -- COMMAND ARGS...  create a pool whose workers run COMMAND (its own arguments after --);
                                   options left out take the settings' poolConfig defaults
  pools remove ID [--force]        stop taking tasks, finish those running and queued, stop the workers;
                                   --force cancels the tasks and stops at once
  pools scale ID N                 set the number of workers, within the pool's min..max
  pools submit ID JSON [--wait] [--timeout MS] [--priority N]
                                   queue a task (prints its id); --wait prints its result and exits 1
                                   when it failed, timed out or was cancelled
  pools task TASK_ID               a task's state, and its result or error once it ended
  pools cancel TASK_ID             cancel a queued or running task (exit 1 when it had ended already)
    each of pools: --json, --start-daemon as above; nothing asks for confirmation
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
      case 'ports':
        return await ports(rest)
      case 'serve':
        return await serve(rest)
      case 'daemon':
        return await daemon(rest)
      case 'programs':
        return await programs(rest)
      case 'logs':
        return await logs(rest)
      case 'adopt':
        return await adopt(rest)
      case 'ipc':
        return await ipc(rest)
      case 'pools':
        return await pools(rest)
      case 'completion':
        return completion(rest)
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
