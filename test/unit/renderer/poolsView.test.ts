import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { PoolMetrics, PoolsOverview, PoolStatus, TaskView } from '../../../src/shared/pools/pool'
import { defaultSettings } from '../../../src/shared/settings'
import { countTicks } from '../../../src/renderer/src/system/model/chartData'
import {
  appendOverview,
  clampScale,
  EMPTY_FORM,
  fieldOfPath,
  formatMs,
  formDefaults,
  formToInput,
  HISTORY_MS,
  HISTORY_POINTS,
  issuesFromDetails,
  parsePayload,
  POOL_SERIES,
  poolStateText,
  poolTone,
  readyWorkers,
  taskOutcome,
  taskTimes,
  workerTone,
  type PoolHistories,
} from '../../../src/renderer/src/pools/poolsView'

const form = (patch: Partial<typeof EMPTY_FORM>) => ({ ...EMPTY_FORM, id: 'thumbs', workerCommand: 'node', ...patch })

describe('the create form', () => {
  it('leaves empty fields out, so the settings decide; splits arguments by line and env by KEY=VALUE', () => {
    expect(formToInput(form({}))).toEqual({ input: { poolId: 'thumbs', config: { workerCommand: 'node' } }, issues: new Map() })
    const { input } = formToInput(
      form({ name: ' Thumbnails ', workerArgs: 'worker.js\n--size=200\n\n', env: 'A=1\nB=x=y\n', cwd: '/srv', minWorkers: '2', maxWorkers: '8', scalingStrategy: 'fixed', loadBalancing: 'round_robin', taskTimeout: '5000', retries: '0', maxTasksPerWorker: '100' }),
    )
    expect(input).toEqual({
      poolId: 'thumbs',
      config: {
        name: 'Thumbnails',
        workerCommand: 'node',
        workerArgs: ['worker.js', '--size=200'],
        env: { A: '1', B: 'x=y' },
        cwd: '/srv',
        minWorkers: 2,
        maxWorkers: 8,
        scalingStrategy: 'fixed',
        loadBalancing: 'round_robin',
        taskTimeout: 5000,
        retries: 0,
        maxTasksPerWorker: 100,
      },
    })
  })

  it('names each field wrong, with the contract’s own messages', () => {
    const { input, issues } = formToInput(form({ id: '.x', workerCommand: '', cwd: 'relative', minWorkers: '3', maxWorkers: '2', taskTimeout: '50', retries: 'two', env: 'NOEQUALS' }))
    expect(input).toBeUndefined()
    expect([...issues.keys()].sort()).toEqual(['cwd', 'env', 'id', 'minWorkers', 'retries', 'taskTimeout', 'workerCommand'])
    expect(issues.get('minWorkers')).toEqual(['must not exceed maxWorkers (2)'])
    expect(issues.get('retries')).toEqual(['must be a whole number'])
    expect(issues.get('env')).toEqual(['line 1: expected KEY=VALUE, got “NOEQUALS”'])
    expect(issues.get('cwd')).toEqual(['must be an absolute path'])
    expect(issues.get('workerCommand')).toEqual(['must not be empty'])
    expect(issues.get('taskTimeout')?.[0]).toMatch(/100/)
  })

  it('maps the engine’s issue paths to fields, leaving out what no field claims', () => {
    expect(fieldOfPath(['poolId'])).toBe('id')
    expect(fieldOfPath(['config', 'minWorkers'])).toBe('minWorkers')
    expect(fieldOfPath(['config', 'env', 'A B'])).toBe('env')
    expect(fieldOfPath(['config', 'workerArgs', 3])).toBe('workerArgs')
    expect(fieldOfPath(['config', 'nonsense'])).toBeUndefined()
    expect(fieldOfPath(['targetSize'])).toBeUndefined()
    const issues = issuesFromDetails({
      issues: [
        { path: ['poolId'], message: 'exists already' },
        { path: ['config', 'minWorkers'], message: 'must not exceed maxWorkers (4)' },
        { path: ['elsewhere'], message: 'x' },
        'garbage',
        { path: 'poolId', message: 'not an array' },
      ],
    })
    expect([...issues]).toEqual([
      ['id', ['exists already']],
      ['minWorkers', ['must not exceed maxWorkers (4)']],
    ])
    expect(issuesFromDetails(undefined).size).toBe(0)
  })

  it('shows the settings’ poolConfig as the defaults', () => {
    const d = formDefaults(defaultSettings().poolConfig)
    expect(d).toMatchObject({ minWorkers: '1', maxWorkers: '4', scalingStrategy: 'dynamic', loadBalancing: 'least_busy', taskTimeout: '30000', maxQueueSize: '1000', retries: '2' })
    expect(formDefaults(undefined)).toEqual({})
  })
})

const metrics = (patch: Partial<PoolMetrics> = {}): PoolMetrics => ({
  poolId: 'p',
  since: 0,
  submitted: 0,
  completed: 0,
  failed: 0,
  timedOut: 0,
  cancelled: 0,
  retries: 0,
  restarts: 0,
  queueDepth: 0,
  running: 0,
  throughput: 0,
  waitMs: { p50: 0, p95: 0, p99: 0 },
  runMs: { p50: 0, p95: 0, p99: 0 },
  utilisation: 0,
  workers: 1,
  ...patch,
})
const overview = (pools: Record<string, Partial<PoolMetrics>>): Pick<PoolsOverview, 'pools'> => ({
  pools: Object.entries(pools).map(([id, m]) => ({ id, metrics: metrics({ poolId: id, ...m }) }) as PoolStatus & { metrics: PoolMetrics }),
})

describe('the live history', () => {
  it('appends a sample per pool, replaces one at the same ms, and forgets pools gone', () => {
    let h: PoolHistories = new Map()
    h = appendOverview(h, overview({ a: { throughput: 2, queueDepth: 3, utilisation: 0.5, runMs: { p50: 10, p95: 20, p99: 30 } } }), 1000)
    h = appendOverview(h, overview({ a: { throughput: 4 }, b: { queueDepth: 1 } }), 2000)
    h = appendOverview(h, overview({ a: { throughput: 5 }, b: { queueDepth: 2 } }), 2000)
    const a = h.get('a')!
    expect(a.timestamps).toEqual([1000, 2000])
    expect(a.series[POOL_SERIES.throughput]).toEqual([2, 5])
    expect(a.series[POOL_SERIES.utilisation]).toEqual([50, 0])
    expect(a.series[POOL_SERIES.p95]).toEqual([20, 0])
    expect(h.get('b')!.series[POOL_SERIES.queue]).toEqual([2])
    h = appendOverview(h, overview({ b: {} }), 3000)
    expect([...h.keys()]).toEqual(['b'])
  })

  it('stays within its window and its bound on points, columns as long as the timestamps', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60_000 }), { minLength: 1, maxLength: 40 }), (steps) => {
        let h: PoolHistories = new Map()
        let t = 0
        for (const s of steps) {
          t += s
          h = appendOverview(h, overview({ p: { throughput: s } }), t)
        }
        const p = h.get('p')!
        expect(p.timestamps.at(-1)).toBe(t)
        expect(p.timestamps[0]!).toBeGreaterThanOrEqual(t - HISTORY_MS)
        for (const column of Object.values(p.series)) expect(column).toHaveLength(p.timestamps.length)
      }),
    )
    let h: PoolHistories = new Map()
    for (let i = 0; i < HISTORY_POINTS + 10; i++) h = appendOverview(h, overview({ p: {} }), i)
    expect(h.get('p')!.timestamps).toHaveLength(HISTORY_POINTS)
    expect(h.get('p')!.timestamps[0]).toBe(10)
  })
})

describe('count ticks', () => {
  it('start at 0, reach the top on 1-2-5 steps, within the intervals asked', () => {
    expect(countTicks(0)).toEqual([0, 0.5, 1])
    expect(countTicks(0, 1, 3)).toEqual([0, 0.5, 1])
    expect(countTicks(7, 1, 3)).toEqual([0, 5, 10])
    expect(countTicks(48, 1, 3)).toEqual([0, 20, 40, 60])
    expect(countTicks(null)).toEqual([0, 0.5, 1])
    expect(countTicks(1500, 1, 3)).toEqual([0, 500, 1000, 1500])
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.integer({ min: 2, max: 6 }), (max, intervals) => {
        const ticks = countTicks(max, 1, intervals)
        expect(ticks[0]).toBe(0)
        expect(ticks.at(-1)!).toBeGreaterThanOrEqual(Math.max(1, max) - 1e-6)
        expect(ticks.length - 1).toBeLessThanOrEqual(intervals)
      }),
    )
  })
})

const task = (patch: Partial<TaskView>): TaskView => ({ id: 'p/1', poolId: 'p', state: 'queued', priority: 0, submittedAt: 1000, attempts: 0, ...patch })

describe('words', () => {
  it('say a task’s outcome and times', () => {
    expect(taskOutcome(task({ state: 'done', result: { a: 1 } }))).toEqual({ tone: 'ok', text: '{\n  "a": 1\n}' })
    expect(taskOutcome(task({ state: 'done' }))).toEqual({ tone: 'ok', text: 'null' })
    expect(taskOutcome(task({ state: 'failed', error: { code: 'HANDLER_ERROR', name: 'RangeError', message: 'bad' } }))).toEqual({ tone: 'bad', text: 'HANDLER_ERROR (RangeError): bad' })
    expect(taskOutcome(task({ state: 'timed_out', error: { code: 'TIMEOUT', message: 'over 5 s' } })).text).toBe('TIMEOUT: over 5 s')
    expect(taskOutcome(task({ state: 'running' })).tone).toBe('pending')
    expect(taskTimes(task({}))).toBeUndefined()
    expect(taskTimes(task({ startedAt: 1005, endedAt: 2505, attempts: 2 }))).toBe('waited 5 ms, ran 1.5 s, 2 attempts')
  })

  it('format milliseconds for people', () => {
    expect([formatMs(0), formatMs(0.4), formatMs(12.4), formatMs(1500), formatMs(75_000), formatMs(undefined), formatMs(NaN)]).toEqual(['0 ms', '<1 ms', '12 ms', '1.5 s', '1m 15s', '–', '–'])
  })

  it('parse a payload or say where it goes wrong', () => {
    expect(parsePayload('{"a": [1, 2]}')).toEqual({ ok: true, value: { a: [1, 2] } })
    expect(parsePayload('null')).toEqual({ ok: true, value: null })
    expect(parsePayload('  ').ok).toBe(false)
    expect(parsePayload('{"a": }').ok).toBe(false)
  })

  it('keep the scale within min..max, and say states', () => {
    const pool = { definition: { minWorkers: 1, maxWorkers: 4 } } as PoolStatus
    expect([clampScale(0, pool), clampScale(2.6, pool), clampScale(9, pool), clampScale(NaN, pool)]).toEqual([1, 3, 4, 1])
    expect(workerTone('busy')).toBe('busy')
    expect(workerTone('failed')).toBe('bad')
    expect(workerTone('restarting')).toBe('warn')
    expect(readyWorkers({ workers: [{ state: 'idle' }, { state: 'busy' }, { state: 'starting' }] as PoolStatus['workers'] })).toBe(2)
    expect([poolStateText({ state: 'running' }), poolStateText({ state: 'running', problem: 'x' }), poolStateText({ state: 'draining' }), poolStateText({ state: 'off' })]).toEqual([
      'Running',
      'Problem',
      'Draining',
      'Off',
    ])
    expect([poolTone({ state: 'running' }), poolTone({ state: 'running', problem: 'x' }), poolTone({ state: 'draining' }), poolTone({ state: 'off' })]).toEqual(['ok', 'bad', 'warn', 'idle'])
  })
})
