import type { brokerCalls, brokerStreams } from '../../../shared/contract/broker'
import { ProctorError } from '../../../shared/errors'
import type { Service } from '../service'
import { NO_OWNER_MESSAGE } from '../supervisor/slice'

export type BrokerCallName = keyof typeof brokerCalls
export type BrokerStreamName = keyof typeof brokerStreams

/**
 * The engine's broker slice of the contract: the owner's own BrokerService,
 * a forwarder to the owner over its control socket, or, for an engine that
 * neither owns nor found an owner, NoBroker.
 */
export type BrokerSlice = Service<BrokerCallName, BrokerStreamName>

/** Every broker call and stream answers UNAVAILABLE, saying how to start an owner. */
export class NoBroker implements BrokerSlice {
  readonly handlers: BrokerSlice['handlers']
  readonly streams: BrokerSlice['streams']

  /** `message`: why there is none (default: no owner runs, and how to start one). */
  constructor(message = NO_OWNER_MESSAGE.replace('Proctor supervisor', 'Proctor owner (which runs the IPC broker)')) {
    const no = (): never => {
      throw new ProctorError('UNAVAILABLE', message)
    }
    this.handlers = {
      getIPCConnections: no,
      sendIPCMessage: no,
      requestIPCResponse: no,
      broadcastIPCMessage: no,
      registerProcessForIPC: no,
      unregisterProcessFromIPC: no,
    }
    this.streams = {
      subscribeToIPCConnections: no,
      subscribeToIPCTraffic: no,
    }
  }
}
