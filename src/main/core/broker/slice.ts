import { brokerCalls, brokerStreams } from '../../../shared/contract/broker'
import { refusingService, type Service } from '../service'
import { NO_OWNER_MESSAGE } from '../supervisor/slice'

export type BrokerCallName = keyof typeof brokerCalls
export type BrokerStreamName = keyof typeof brokerStreams

/**
 * The engine's broker slice of the contract: the owner's own BrokerService,
 * a forwarder to the owner over its control socket, or, for an engine that
 * neither owns nor found an owner, noBroker().
 */
export type BrokerSlice = Service<BrokerCallName, BrokerStreamName>

/** Every broker call and stream answers UNAVAILABLE, saying how to start an owner. `message` says why there is none (by default: no owner runs, and how to start one). */
export function noBroker(message = NO_OWNER_MESSAGE.replace('Proctor supervisor', 'Proctor owner (which runs the IPC broker)')): BrokerSlice {
  return refusingService(brokerCalls, brokerStreams, message)
}
