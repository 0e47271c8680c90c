import { z } from 'zod'
import { programNameSchema, programSchema } from '../supervisor/program'
import type { AdoptionDraft, ProgramDetail, ProgramLogLine, ProgramLogs, ProgramsOverview, ProgramStatus, StopReport } from '../supervisor/status'
import { call, identity, noArgs, pid, stream } from './spec'

/*
 * The supervisor: programs Proctor starts and keeps alive. Only the owner
 * (the one engine per user that holds the lock) runs them; any other
 * engine answers these calls by asking the owner over its control socket,
 * and says UNAVAILABLE, with how to start one, when there is none.
 */

const named = z.strictObject({ name: programNameSchema })

export const supervisorCalls = {
  listPrograms: call<ProgramsOverview>()(noArgs, 'Every program with its state, health and restarts; the owner; whether checks and restarts are on.'),
  getProgram: call<ProgramDetail>()(named, 'One program, with its last 100 transitions and recent check results.'),
  addProgram: call<ProgramStatus>()(
    z.strictObject({ program: programSchema, start: z.boolean().default(false) }),
    'Add a program (errors name the field); with start, start it too.',
  ),
  editProgram: call<ProgramStatus>()(
    z.strictObject({ name: programNameSchema, changes: z.record(z.string(), z.unknown()) }),
    'Change the fields given (objects field by field; null resets a field to its default); used from the next start.',
  ),
  removeProgram: call<{ removed: string; stop?: StopReport }>()(named, 'Stop a program if it runs and remove it; refused while others depend on it.'),
  startProgram: call<ProgramStatus>()(
    z.strictObject({ name: programNameSchema, wait: z.enum(['spawned', 'ready']).default('spawned') }),
    'Start a program after its dependencies reach their conditions; resolves once it is spawned, or ready with wait: "ready".',
  ),
  stopProgram: call<StopReport>()(named, 'Stop a program and everything it started (programs depending on it first); says what had left its group.'),
  restartProgram: call<ProgramStatus>()(named, 'Stop, then start again.'),
  getProgramLogs: call<ProgramLogs>()(
    z.strictObject({
      name: programNameSchema,
      lines: z.number().int().min(1).max(100_000).default(200),
      stream: z.enum(['stdout', 'stderr', 'both']).default('both'),
    }),
    'The last lines of output kept in memory, the log file, and how many lines were dropped.',
  ),
  draftAdoption: call<AdoptionDraft>()(identity, 'A program definition from a running process (command line, cwd, environment), for the add form.'),
  adoptProcess: call<ProgramStatus>()(
    z.strictObject({ pid, startTime: z.number().int().nonnegative(), program: programSchema }),
    'Stop the process (TERM, then KILL after 5 s) and start it as a program under Proctor.',
  ),
} as const

export const supervisorStreams = {
  subscribeToPrograms: stream<ProgramsOverview>()(noArgs, 'The programs overview, whenever a state, health or definition changes (at most every 250 ms), and every refresh while any runs.'),
  subscribeToProgramLogs: stream<ProgramLogLine[]>()(named, "A program's new output lines, in batches, as they arrive."),
} as const
