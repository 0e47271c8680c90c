import { describe, expect, it } from 'vitest'
import { Router, type CallHandlers, type StreamSources } from '../../../src/shared/rpc/router'
import { ProctorError } from '../../../src/shared/errors'
import { Engine } from '../../../src/main/core/engine'
import { tempDir } from '../../helpers/tempDir'

function routerWith(overrides: Partial<CallHandlers>, sources?: Partial<StreamSources>): Router {
  const engine = new Engine({ dataDir: tempDir(), version: 't' })
  const r = engine.router as unknown as { handlers: CallHandlers; sources: StreamSources }
  return new Router({ ...r.handlers, ...overrides }, { ...r.sources, ...sources })
}

describe('Router', () => {
  it('answers unknown calls and streams with INVALID_ARGUMENT naming them', async () => {
    const router = routerWith({})
    const res = await router.call('deleteEverything', undefined)
    expect(res).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'unknown call "deleteEverything"' } })
    const sub = router.subscribe('nope', undefined, () => {}, () => {})
    expect(sub.ok).toBe(false)
    expect(!sub.ok && sub.error.message).toBe('unknown stream "nope"')
    expect((await router.call(42, undefined)).ok).toBe(false)
    expect((await router.call('__proto__', undefined)).ok).toBe(false)
    expect((await router.call('toString', undefined)).ok).toBe(false)
  })

  it('validates arguments and names the field', async () => {
    const router = routerWith({})
    const res = await router.call('getProcessList', { pid: 1 })
    expect(res.ok).toBe(false)
    expect(!res.ok && res.error.code).toBe('INVALID_ARGUMENT')
    expect(!res.ok && res.error.message).toMatch(/^getProcessList: .*takes no argument/)
    const bad = await router.call('updateSettings', { refreshInterval: 'fast' })
    expect(!bad.ok && bad.error.message).toMatch(/refreshInterval/)
    const unknownKey = await router.call('updateSettings', { refreshIntervall: 1000 })
    expect(!unknownKey.ok && unknownKey.error.message).toMatch(/refreshIntervall/)
  })

  it('passes ProctorErrors through and hides other failures behind INTERNAL', async () => {
    const router = routerWith({
      getSettings: () => {
        throw new ProctorError('NOT_FOUND', 'gone', { pid: 3 })
      },
      getAppInfo: () => {
        throw new TypeError('boom')
      },
    })
    expect(await router.call('getSettings', undefined)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'gone', details: { pid: 3 } },
    })
    const internal = await router.call('getAppInfo', undefined)
    expect(!internal.ok && internal.error).toEqual({ code: 'INTERNAL', message: 'internal error: boom' })
  })

  it('ends a stream once when its source fails, and unsubscribes it', () => {
    let stopped = 0
    let fail: (e: unknown) => void = () => {}
    const router = routerWith({}, {
      subscribeToMetrics: (_p, sink) => {
        fail = (e) => sink.error(e)
        return () => stopped++
      },
    })
    const ends: unknown[] = []
    const sub = router.subscribe('subscribeToMetrics', undefined, () => {}, (e) => ends.push(e))
    expect(sub.ok).toBe(true)
    fail(new Error('sensor gone'))
    fail(new Error('again'))
    expect(ends).toHaveLength(1)
    expect(stopped).toBe(1)
    if (sub.ok) sub.value()
    expect(stopped).toBe(1)
  })
})
