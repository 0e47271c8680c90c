import { z } from 'zod'

/** Argument schemas of the process actions; shared by the contract and the CLI. */

const pid = z.number().int().positive().max(2 ** 31)
export const targetSchema = z.strictObject({ pid, startTime: z.number().int().nonnegative().optional() })

/** One target (pid, startTime) or several (targets); each gets its own result. */
const targets = {
  pid: pid.optional(),
  startTime: z.number().int().nonnegative().optional(),
  targets: z.array(targetSchema).min(1).max(1000).optional(),
  /** Act on the process and all its descendants (descendants first). */
  tree: z.boolean().optional(),
  /** Run through the platform's elevation prompt; only after the user confirmed. */
  elevate: z.boolean().optional(),
}

const oneTargetForm = (a: { pid?: unknown; targets?: unknown }) => (a.pid === undefined) !== (a.targets === undefined)

function oneOrMany<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject({ ...targets, ...shape }).refine((a) => oneTargetForm(a as { pid?: unknown; targets?: unknown }), {
    message: 'give either pid (with startTime) or targets, not both',
    path: ['pid'],
  })
}

/** A signal by name, with or without SIG; checked against the platform's list by the engine. */
export const signalName = z
  .string()
  .regex(/^(SIG)?[A-Z][A-Z0-9+]*$/i, 'must be a signal name such as TERM, KILL or HUP')

export const killArgs = oneOrMany({ signal: signalName.optional() })
export const terminateArgs = oneOrMany({ graceMs: z.number().int().min(0).max(600_000).optional() })
export const suspendArgs = oneOrMany({})
export const resumeArgs = oneOrMany({})
export const reniceArgs = oneOrMany({ priority: z.number().int().min(-20).max(19) })
export const auditArgs = z.strictObject({ limit: z.number().int().positive().max(10_000).optional() }).optional()
