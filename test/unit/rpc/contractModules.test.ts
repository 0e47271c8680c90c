import { describe, expect, it } from 'vitest'
import { callNames, calls, streamNames, streams } from '../../../src/shared/contract'
import { appCalls } from '../../../src/shared/contract/app'
import { brokerCalls, brokerStreams } from '../../../src/shared/contract/broker'
import { controlCalls } from '../../../src/shared/contract/control'
import { desktopCalls, desktopStreams } from '../../../src/shared/contract/desktop'
import { detailsCalls } from '../../../src/shared/contract/details'
import { poolCalls, poolStreams } from '../../../src/shared/contract/pools'
import { portCalls, portStreams } from '../../../src/shared/contract/ports'
import { processCalls, processStreams } from '../../../src/shared/contract/processes'
import { settingsCalls } from '../../../src/shared/contract/settings'
import { supervisorCalls, supervisorStreams } from '../../../src/shared/contract/supervisor'
import { systemCalls, systemStreams } from '../../../src/shared/contract/system'

describe('the contract, one module per domain', () => {
  it('merges every call and stream of every domain, each from exactly one module', () => {
    const callParts = [appCalls, processCalls, detailsCalls, controlCalls, desktopCalls, systemCalls, settingsCalls, supervisorCalls, brokerCalls, poolCalls, portCalls]
    const streamParts = [processStreams, systemStreams, supervisorStreams, brokerStreams, poolStreams, desktopStreams, portStreams]
    const fromParts = (parts: object[]) => parts.flatMap((p) => Object.keys(p))
    expect(fromParts(callParts).sort()).toEqual([...callNames].sort())
    expect(fromParts(streamParts).sort()).toEqual([...streamNames].sort())
    for (const part of callParts) for (const [name, spec] of Object.entries(part)) expect(calls[name as keyof typeof calls]).toBe(spec)
    for (const part of streamParts) for (const [name, spec] of Object.entries(part)) expect(streams[name as keyof typeof streams]).toBe(spec)
  })

  it('holds the seed API the design names', () => {
    for (const name of ['getProcessList', 'getProcessTree', 'findProcesses', 'killProcess', 'suspendProcess', 'resumeProcess', 'getSystemMetrics', 'getMetricsHistory', 'getAggregatedMetrics']) {
      expect(callNames).toContain(name)
    }
  })
})
