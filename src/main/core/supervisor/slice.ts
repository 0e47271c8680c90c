import type { supervisorCalls, supervisorStreams } from '../../../shared/contract/supervisor'
import { ProctorError } from '../../../shared/errors'
import type { Service } from '../service'

export type SupervisorCallName = keyof typeof supervisorCalls
export type SupervisorStreamName = keyof typeof supervisorStreams

/**
 * The engine's supervisor slice of the contract: the owner's own
 * SupervisorService, a forwarder to the owner over its control socket, or,
 * for an engine that neither owns nor found an owner, NoSupervisor.
 */
export type SupervisorSlice = Service<SupervisorCallName, SupervisorStreamName>

export const NO_OWNER_MESSAGE =
  'no Proctor supervisor is running for this user: start one with `proctor daemon` (or `proctor programs ... --start-daemon`), or open the desktop app'

/** Every supervisor call and stream answers UNAVAILABLE, saying how to start an owner. */
export class NoSupervisor implements SupervisorSlice {
  readonly handlers: SupervisorSlice['handlers']
  readonly streams: SupervisorSlice['streams']

  /** `message`: why there is none (default: no owner runs, and how to start one). */
  constructor(message = NO_OWNER_MESSAGE) {
    const no = (): never => {
      throw new ProctorError('UNAVAILABLE', message)
    }
    this.handlers = {
      listPrograms: no,
      getProgram: no,
      addProgram: no,
      editProgram: no,
      removeProgram: no,
      startProgram: no,
      stopProgram: no,
      restartProgram: no,
      getProgramLogs: no,
      draftAdoption: no,
      adoptProcess: no,
    }
    this.streams = {
      subscribeToPrograms: no,
      subscribeToProgramLogs: no,
    }
  }
}
