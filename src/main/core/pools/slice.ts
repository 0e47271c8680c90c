import { poolCalls, poolStreams } from '../../../shared/contract/pools'
import { refusingService, type Service } from '../service'
import { NO_OWNER_MESSAGE } from '../supervisor/slice'

export type PoolCallName = keyof typeof poolCalls
export type PoolStreamName = keyof typeof poolStreams

/**
 * The engine's pools slice of the contract: the owner's own PoolService, a
 * forwarder to the owner over its control socket, or, for an engine that
 * neither owns nor found an owner, noPools().
 */
export type PoolsSlice = Service<PoolCallName, PoolStreamName>

/** Every pool call and stream answers UNAVAILABLE, saying how to start an owner. `message` says why there is none (by default: no owner runs, and how to start one). */
export function noPools(message = NO_OWNER_MESSAGE.replace('Proctor supervisor', 'Proctor owner (which runs the worker pools)')): PoolsSlice {
  return refusingService(poolCalls, poolStreams, message)
}
