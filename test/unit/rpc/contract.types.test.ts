import { describe, expectTypeOf, it } from 'vitest'
import type { CallArgs, CallInput, CallName, CallResult, ProctorApi, StreamName, StreamPayload } from '../../../src/shared/contract'
import { callNames, streamNames } from '../../../src/shared/contract'
import type { ProcessSnapshot } from '../../../src/shared/types/process'
import type { Settings, SettingsPatch } from '../../../src/shared/settings'
import type { AppInfo, SystemMetrics } from '../../../src/shared/types/system'
import { expect } from 'vitest'

describe('the contract, at the type level', () => {
  it('types each call', () => {
    expectTypeOf<CallResult<'getProcessList'>>().toEqualTypeOf<ProcessSnapshot>()
    expectTypeOf<CallResult<'getSystemMetrics'>>().toEqualTypeOf<SystemMetrics>()
    expectTypeOf<CallResult<'getSettings'>>().toEqualTypeOf<Settings>()
    expectTypeOf<CallResult<'getAppInfo'>>().toEqualTypeOf<AppInfo>()
    expectTypeOf<CallInput<'updateSettings'>>().toEqualTypeOf<SettingsPatch>()
    expectTypeOf<CallArgs<'getProcessList'>>().toEqualTypeOf<undefined>()
  })

  it('derives the api from the maps', () => {
    expectTypeOf<ProctorApi['getProcessList']>().returns.toEqualTypeOf<Promise<ProcessSnapshot>>()
    expectTypeOf<ProctorApi['updateSettings']>().parameter(0).toEqualTypeOf<SettingsPatch>()
    expectTypeOf<StreamPayload<'subscribeToProcessUpdates'>>().toEqualTypeOf<ProcessSnapshot>()
    expectTypeOf<ProctorApi['subscribeToProcessUpdates']>().parameter(0).toEqualTypeOf<(s: ProcessSnapshot) => void>()
    expectTypeOf<ProctorApi['subscribeToProcessUpdates']>().returns.toEqualTypeOf<() => void>()
    expectTypeOf<keyof ProctorApi>().toEqualTypeOf<CallName | StreamName>()
  })

  it('lists every name once at runtime, and the names match the types', () => {
    expect(new Set([...callNames, ...streamNames]).size).toBe(callNames.length + streamNames.length)
    expectTypeOf(callNames).toEqualTypeOf<CallName[]>()
    expect(callNames).toContain('getProcessList')
    expect(streamNames).toContain('subscribeToProcessUpdates')
  })
})
