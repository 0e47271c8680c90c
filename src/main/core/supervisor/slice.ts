import { supervisorCalls, supervisorStreams } from '../../../shared/contract/supervisor'
import { refusingService, type Service } from '../service'

export type SupervisorCallName = keyof typeof supervisorCalls
export type SupervisorStreamName = keyof typeof supervisorStreams

/**
 * The engine's supervisor slice of the contract: the owner's own
 * SupervisorService, a forwarder to the owner over its control socket, or,
 * for an engine that neither owns nor found an owner, noSupervisor().
 */
export type SupervisorSlice = Service<SupervisorCallName, SupervisorStreamName>

export const NO_OWNER_MESSAGE =
  'no Proctor supervisor is running for this user: start one with `proctor daemon` (or `proctor programs ... --start-daemon`), or open the desktop app'

/** Every supervisor call and stream answers UNAVAILABLE, saying how to start an owner. `message` says why there is none (by default: no owner runs, and how to start one). */
export function noSupervisor(message = NO_OWNER_MESSAGE): SupervisorSlice {
  return refusingService(supervisorCalls, supervisorStreams, message)
}
