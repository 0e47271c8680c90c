import { CONTROL_COMMANDS } from './control'
import { IPC_VERBS } from './ipc'
import { POOL_VERBS } from './pools'
import { PROGRAM_VERBS } from './programs'
import { UsageError } from './args'

/**
 * `proctor completion bash|zsh`: a completion script for the shell, made
 * from the same lists of commands and verbs the dispatch uses, so the
 * two cannot drift apart.
 */

export const COMMANDS = ['ps', 'ports', ...CONTROL_COMMANDS, 'audit', 'metrics', 'serve', 'daemon', 'programs', 'logs', 'adopt', 'ipc', 'pools', 'completion', 'help'] as const

const OWNER = ['--json', '--start-daemon']
const ACTION = ['--start-time', '--tree', '--elevate', '--json']

/** Flags by command, or by "command verb"; --data-dir goes everywhere. */
export const FLAGS: Record<string, string[]> = {
  ps: ['--json', '--tree', '--query', '--sort', '--watch'],
  ports: ['--json', '--port', '--listen', '--protocol'],
  kill: ['--signal', ...ACTION],
  terminate: ['--grace', ...ACTION],
  suspend: ACTION,
  resume: ACTION,
  renice: ACTION,
  audit: ['--limit', '--json'],
  metrics: ['--json'],
  serve: ['--port', '--host', '--allow-host', '--max-connections'],
  daemon: ['--install', '--uninstall', '--systemd', '--launchd'],
  programs: OWNER,
  'programs add': [...OWNER, '--cwd', '--env', '--autostart', '--restart', '--shell', '--start'],
  'programs edit': [...OWNER, '--set'],
  'programs start': [...OWNER, '--wait'],
  'programs export': [...OWNER, '--systemd', '--launchd', '--output'],
  'programs import': [...OWNER, '--dry-run', '--yes', '--env', '--start'],
  logs: [...OWNER, '--follow', '--lines', '--stream'],
  adopt: [...OWNER, '--name', '--start-time', '--yes'],
  ipc: OWNER,
  'ipc request': [...OWNER, '--timeout'],
  'ipc register': [...OWNER, '--name', '--start-time'],
  pools: OWNER,
  'pools create': [
    ...OWNER,
    '--name',
    '--cwd',
    '--env',
    '--min',
    '--max',
    '--strategy',
    '--balancing',
    '--timeout',
    '--idle-timeout',
    '--queue-size',
    '--tasks-per-worker',
    '--retries',
  ],
  'pools remove': [...OWNER, '--force'],
  'pools submit': [...OWNER, '--wait', '--timeout', '--priority'],
}

const VERBS: Record<string, readonly string[]> = { programs: PROGRAM_VERBS, ipc: IPC_VERBS, pools: POOL_VERBS, completion: ['bash', 'zsh'] }

/** Verbs whose next word is a file. */
const FILE_ARGS = new Set(['programs import'])

function flagsOf(key: string): string {
  return [...(FLAGS[key] ?? []), '--data-dir'].join(' ')
}

export function bashCompletion(): string {
  const verbCases = Object.entries(VERBS).map(([c, verbs]) => `      ${c}) COMPREPLY=($(compgen -W "${verbs.join(' ')}" -- "$cur")); return ;;`)
  const flagCases = Object.keys(FLAGS)
    .sort((a, b) => b.length - a.length)
    .map((key) => (key.includes(' ') ? `    "${key}") flags="${flagsOf(key)}" ;;` : `    "${key}"|"${key} "*) flags="${flagsOf(key)}" ;;`))
  return `# proctor completion for bash. Load it with: eval "$(proctor completion bash)"
_proctor() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  local cmd="\${COMP_WORDS[1]}" verb="\${COMP_WORDS[2]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${COMMANDS.join(' ')}" -- "$cur"))
    return
  fi
  if [[ $COMP_CWORD -eq 2 && $cur != -* ]]; then
    case "$cmd" in
${verbCases.join('\n')}
    esac
  fi
  local flags=""
  case "$cmd $verb" in
${flagCases.join('\n')}
    *) flags="--data-dir" ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [[ ${[...FILE_ARGS].map((k) => `"$cmd $verb" == "${k}"`).join(' || ')} ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o default -F _proctor proctor
`
}

export function zshCompletion(): string {
  const verbCases = Object.entries(VERBS).map(([c, verbs]) => `      ${c}) compadd -- ${verbs.join(' ')}; return ;;`)
  const flagCases = Object.keys(FLAGS)
    .sort((a, b) => b.length - a.length)
    .map((key) => (key.includes(' ') ? `    "${key}") flags=(${flagsOf(key)}) ;;` : `    "${key}"|"${key} "*) flags=(${flagsOf(key)}) ;;`))
  return `#compdef proctor
# proctor completion for zsh. Save it as _proctor in a folder of your $fpath,
# or load it now with: source <(proctor completion zsh)
_proctor() {
  local cmd=$words[2] verb=$words[3]
  if (( CURRENT == 2 )); then
    compadd -- ${COMMANDS.join(' ')}
    return
  fi
  if (( CURRENT == 3 )) && [[ $PREFIX != -* ]]; then
    case $cmd in
${verbCases.join('\n')}
    esac
  fi
  local -a flags
  case "$cmd $verb" in
${flagCases.join('\n')}
    *) flags=(--data-dir) ;;
  esac
  if [[ $PREFIX == -* ]]; then
    compadd -- $flags
  elif [[ ${[...FILE_ARGS].map((k) => `"$cmd $verb" == "${k}"`).join(' || ')} ]]; then
    _files
  fi
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _proctor "$@"
else
  compdef _proctor proctor
fi
`
}

export function completion(args: string[]): number {
  const [shell, ...rest] = args
  if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`)
  if (shell === 'bash') process.stdout.write(bashCompletion())
  else if (shell === 'zsh') process.stdout.write(zshCompletion())
  else throw new UsageError(`completion: give bash or zsh${shell === undefined ? '' : `, not ${JSON.stringify(shell)}`}`)
  return 0
}
