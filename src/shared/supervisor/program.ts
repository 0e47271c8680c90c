import { z } from 'zod'
import { invalidArgument } from '../errors'
import { healthSchema, readinessSchema } from './checks'

/**
 * A program Proctor starts and keeps alive: one zod schema gives the
 * defaults, the validation of the registry file and of every add or edit
 * (errors name the field), and the TypeScript type.
 */

/** Letters, digits, `.`, `_`, `-`, not starting with a dot: the name is also a log file's name. */
const PROGRAM_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/

export const programNameSchema = z
  .string()
  .regex(PROGRAM_NAME, 'must be 1 to 64 letters, digits, ".", "_" or "-", not starting with "."')

/** Signals a program may ask to be stopped with; KILL is what the stop timeout escalates to anyway. */
export const STOP_SIGNALS = ['TERM', 'INT', 'QUIT', 'HUP', 'KILL', 'USR1', 'USR2'] as const
export type StopSignal = (typeof STOP_SIGNALS)[number]

export const RESTART_POLICIES = ['never', 'on-failure', 'always', 'unless-stopped'] as const
export type RestartPolicy = (typeof RESTART_POLICIES)[number]

/** What a dependency must have reached before its dependent starts. */
export const DEPENDENCY_CONDITIONS = ['started', 'ready', 'healthy'] as const
export type DependencyCondition = (typeof DEPENDENCY_CONDITIONS)[number]

const envName = z.string().regex(/^[^=\0]+$/, 'must be non-empty, without "=" or NUL')
const envValue = z.string().regex(/^[^\0]*$/, 'must not hold NUL')

export const MiB = 1024 * 1024

export const programSchema = z
  .strictObject({
    name: programNameSchema,
    /** The executable (looked up in PATH), or with `shell` the shell command line. */
    command: z.string().min(1, 'must not be empty').regex(/^[^\0]*$/, 'must not hold NUL'),
    args: z.array(z.string().regex(/^[^\0]*$/, 'must not hold NUL')).max(1000).default([]),
    /** Run `command` through /bin/sh -c (args become $1...): only when the user asks for it. */
    shell: z.boolean().default(false),
    cwd: z
      .string()
      .refine((p) => p.startsWith('/'), 'must be an absolute path')
      .optional(),
    /** Variables added to Proctor's environment, or replacing it whole. */
    env: z
      .strictObject({
        mode: z.enum(['add', 'replace']).default('add'),
        vars: z.record(envName, envValue).default({}),
      })
      .prefault({}),
    autostart: z.boolean().default(false),
    restart: z.enum(RESTART_POLICIES).default('on-failure'),
    stopSignal: z.enum(STOP_SIGNALS).default('TERM'),
    /** How long a stop waits after stopSignal before it KILLs what is left. */
    stopTimeoutMs: z.number().int().min(0).max(3_600_000).default(5000),
    /** Seconds a program must stay up to count as started (supervisord's startsecs); ignored when `ready` is given. */
    startSeconds: z.number().min(0).max(3600).default(1),
    /** A check that says the program is ready (HTTP, TCP, a log line); it is `running` only once it passes. */
    ready: readinessSchema.optional(),
    /** A readiness check not passed in this time fails the start. */
    readyTimeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
    health: healthSchema,
    /**
     * The restart schedule: delay x multiplier^(n-1), capped; n counts
     * restarts since the program last stayed up for stableMs. Left out,
     * delay, multiplier and attempts come from the settings' healthConfig.
     */
    restartDelayMs: z.number().int().min(0).max(3_600_000).optional(),
    restartBackoffMultiplier: z.number().min(1).max(10).optional(),
    maxRestartDelayMs: z.number().int().min(0).max(3_600_000).default(60_000),
    maxRestartAttempts: z.number().int().min(0).max(1000).optional(),
    stableMs: z.number().int().min(0).max(86_400_000).default(30_000),
    dependsOn: z
      .array(
        z.strictObject({
          name: programNameSchema,
          condition: z.enum(DEPENDENCY_CONDITIONS).default('started'),
        }),
      )
      .max(100)
      .default([]),
    logs: z
      .strictObject({
        /** Size at which a log file is rotated. */
        maxBytes: z.number().int().min(1024).max(1024 * MiB).default(10 * MiB),
        /** Files kept in all: NAME.log and NAME.log.1 .. NAME.log.(files-1). */
        files: z.number().int().min(1).max(100).default(5),
      })
      .prefault({}),
    tags: z.array(z.string().min(1).max(64)).max(64).default([]),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>()
    p.dependsOn.forEach((dep, i) => {
      if (dep.name === p.name) ctx.addIssue({ code: 'custom', path: ['dependsOn', i, 'name'], message: 'a program cannot depend on itself' })
      if (seen.has(dep.name)) ctx.addIssue({ code: 'custom', path: ['dependsOn', i, 'name'], message: `"${dep.name}" is listed twice` })
      seen.add(dep.name)
    })
  })

export type Program = z.output<typeof programSchema>
/** A program as a user writes it: every field with a default may be left out. */
export type ProgramInput = z.input<typeof programSchema>

/** A valid program from user input, or INVALID_ARGUMENT naming each wrong field. */
export function parseProgram(input: unknown, what = 'program'): Program {
  const parsed = programSchema.safeParse(input)
  if (!parsed.success) throw invalidArgument(what, parsed.error)
  return parsed.data
}

/** The argv a program is started with: its own, or the shell's with the command line and args as $1... */
export function programArgv(p: Pick<Program, 'command' | 'args' | 'shell' | 'name'>): [string, ...string[]] {
  return p.shell ? ['/bin/sh', '-c', p.command, p.name, ...p.args] : [p.command, ...p.args]
}

/**
 * The first dependency cycle among `programs`, as the names along it with
 * the first repeated at the end (`['a', 'b', 'a']`), or undefined. Names
 * no program has are not followed (that is another error).
 */
export function findDependencyCycle(programs: ReadonlyArray<Pick<Program, 'name' | 'dependsOn'>>): string[] | undefined {
  const deps = new Map(programs.map((p) => [p.name, p.dependsOn.map((d) => d.name)]))
  const done = new Set<string>()
  const path: string[] = []
  const onPath = new Set<string>()
  const visit = (name: string): string[] | undefined => {
    if (onPath.has(name)) return [...path.slice(path.indexOf(name)), name]
    if (done.has(name) || !deps.has(name)) return undefined
    path.push(name)
    onPath.add(name)
    for (const dep of deps.get(name) ?? []) {
      const cycle = visit(dep)
      if (cycle) return cycle
    }
    path.pop()
    onPath.delete(name)
    done.add(name)
    return undefined
  }
  for (const p of programs) {
    const cycle = visit(p.name)
    if (cycle) return cycle
  }
  return undefined
}
