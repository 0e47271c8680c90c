import type { poolCalls, poolStreams } from '../../../shared/contract/pools'
import { ProctorError } from '../../../shared/errors'
import type { Service } from '../service'
import { NO_OWNER_MESSAGE } from '../supervisor/slice'

export type PoolCallName = keyof typeof poolCalls
export type PoolStreamName = keyof typeof poolStreams

/**
 * The engine's pools slice of the contract: the owner's own PoolService, a
 * forwarder to the owner over its control socket, or, for an engine that
 * neither owns nor found an owner, NoPools.
 */
export type PoolsSlice = Service<PoolCallName, PoolStreamName>

function unavailable(): never {
  throw new ProctorError('UNAVAILABLE', NO_OWNER_MESSAGE.replace('Proctor supervisor', 'Proctor owner (which runs the worker pools)'))
}

/** Every pool call and stream answers UNAVAILABLE, saying how to start an owner. */
export class NoPools implements PoolsSlice {
  readonly handlers: PoolsSlice['handlers'] = {
    createPool: unavailable,
    removePool: unavailable,
    scalePool: unavailable,
    submitTaskToPool: unavailable,
    getTask: unavailable,
    awaitTask: unavailable,
    cancelTask: unavailable,
    getPoolStatus: unavailable,
    getPoolMetrics: unavailable,
    getAllPools: unavailable,
  }
  readonly streams: PoolsSlice['streams'] = {
    subscribeToPools: unavailable,
  }
}
