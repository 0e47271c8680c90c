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

/** Every pool call and stream answers UNAVAILABLE, saying how to start an owner. */
export class NoPools implements PoolsSlice {
  readonly handlers: PoolsSlice['handlers']
  readonly streams: PoolsSlice['streams']

  /** `message`: why there is none (default: no owner runs, and how to start one). */
  constructor(message = NO_OWNER_MESSAGE.replace('Proctor supervisor', 'Proctor owner (which runs the worker pools)')) {
    const no = (): never => {
      throw new ProctorError('UNAVAILABLE', message)
    }
    this.handlers = {
      createPool: no,
      removePool: no,
      scalePool: no,
      submitTaskToPool: no,
      getTask: no,
      awaitTask: no,
      cancelTask: no,
      getPoolStatus: no,
      getPoolMetrics: no,
      getAllPools: no,
    }
    this.streams = {
      subscribeToPools: no,
    }
  }
}
