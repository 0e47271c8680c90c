/**
 * `npm run bench -- --cases ui-2000` (or `tsx bench/ui.ts [--updates N (60)]`)
 *
 * The process window's cost per update in Chromium, with ~2000 processes on
 * the machine at 1 Hz: the built renderer against the real headless host,
 * in the system Chromium with the e2e flags. A DevTools trace of the page's
 * main thread is cut into one slice per process update (the renderer marks
 * each committed update with a User Timing mark); each slice's script
 * (message parsing, React) and style + layout time is one update's cost
 * (update_ms), and its whole main-thread time, paint and IPC included, is
 * reported beside it (main_thread_ms). Then the table is scrolled for a few
 * seconds, one step per frame, and the frame times are recorded. One JSON
 * line on stdout:
 *
 *   {"case":"ui-2000","update_ms_p50":..,"update_ms_p95":..,...}
 *
 * Diagnostics and PASS/MISS against the targets (16 ms per update, 60 fps
 * scrolling) go to stderr. Needs `npx electron-vite build` first.
 */
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type CDPSession, type Page } from '@playwright/test'
import playwrightConfig from '../playwright.config'
import { ROOT, startHost, type RunningHost } from '../test/e2e/host'
import { round2, sleep } from './measure'
import { countProcesses, Population } from './population'

/** The mark the renderer sets when a process update is on screen (components/ProcessesView.tsx). */
const UPDATE_MARK = 'proctor:processes-update'
const TARGET_UPDATE_MS = 16
const TARGET_FPS = 60

export interface UiOptions {
  /** Machine-wide process count to reach. */
  processes: number
  /** The view measured: the table (the case) or the tree. */
  view?: 'table' | 'tree'
  /** Updates to trace (at 1 Hz, about as many seconds). */
  updates: number
  /** Seconds of scrolling. */
  scrollS: number
  /** Write the trace here (open it in Chrome DevTools' Performance panel). */
  traceFile?: string
}

export interface UiResult {
  case: string
  processes: number
  updates: number
  /** Script + style + layout per update (the measure). */
  update_ms_p50: number | null
  update_ms_p95: number | null
  update_ms_max: number | null
  script_ms_p50: number | null
  style_layout_ms_p50: number | null
  paint_ms_p50: number | null
  /** Everything the main thread did per update, paint, IPC and GC included. */
  main_thread_ms_p50: number | null
  main_thread_ms_p95: number | null
  scroll_fps: number | null
  scroll_frame_ms_p95: number | null
}

interface TraceEvent {
  name: string
  cat: string
  ph: string
  ts: number
  dur?: number
  pid: number
  tid: number
  args?: { name?: string; data?: unknown }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (p / 100) * (sorted.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo)
}

const SCRIPT_EVENTS = new Set([
  'FunctionCall',
  'EvaluateScript',
  'v8.callFunction',
  'v8.run',
  'RunMicrotasks',
  'TimerFire',
  'FireAnimationFrame',
  'EventDispatch',
  'MinorGC',
  'MajorGC',
])
const STYLE_LAYOUT_EVENTS = new Set(['UpdateLayoutTree', 'Layout', 'RecalculateStyles'])
const PAINT_EVENTS = new Set(['PrePaint', 'Paint', 'Layerize', 'Commit'])
/** The message task that brings an update starts shortly before the update's mark (React renders in a task right after it). */
const LEAD_US = 150_000

export interface Slice {
  /** Script and style + layout (a layout forced by script counted once): the measure of the issue. */
  scriptLayoutMs: number
  scriptMs: number
  styleLayoutMs: number
  paintMs: number
  /** Every task on the main thread, whatever it did (IPC, paint, GC, ...). */
  busyMs: number
}

/** Total time of the outermost events of a list sorted by start (nested ones are inside their parent's time). */
function outermostMs(events: readonly TraceEvent[]): number {
  let total = 0
  let end = -Infinity
  for (const e of events) {
    const stop = e.ts + (e.dur ?? 0)
    if (e.ts >= end) {
      total += e.dur ?? 0
      end = stop
    } else if (stop > end) {
      total += stop - end
      end = stop
    }
  }
  return total / 1000
}

/**
 * Cuts the renderer main thread's trace into slices, one per update mark:
 * from just before one mark to just before the next, so each slice holds
 * one process update (the WebSocket message, React, style, layout, paint)
 * and whatever else that second brought (the status bar's metrics).
 */
export function slicesFromTrace(events: readonly TraceEvent[]): Slice[] {
  const marks = events.filter((e) => e.name === UPDATE_MARK && e.cat.includes('blink.user_timing'))
  if (marks.length < 2) return []
  const pid = marks[0]!.pid
  const mainTid = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args?.name === 'CrRendererMain')?.tid
  const onMain = events
    .filter((e) => e.pid === pid && (mainTid === undefined || e.tid === mainTid) && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts)
  const tasks = onMain.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask')
  const script = onMain.filter((e) => SCRIPT_EVENTS.has(e.name))
  const layout = onMain.filter((e) => STYLE_LAYOUT_EVENTS.has(e.name))
  const both = onMain.filter((e) => SCRIPT_EVENTS.has(e.name) || STYLE_LAYOUT_EVENTS.has(e.name))
  const paint = onMain.filter((e) => PAINT_EVENTS.has(e.name))
  const starts = marks.map((m) => m.ts - LEAD_US).sort((a, b) => a - b)
  const slices: Slice[] = []
  for (let i = 0; i + 1 < starts.length; i++) {
    const from = starts[i]!
    const to = starts[i + 1]!
    const within = (list: readonly TraceEvent[]) => list.filter((e) => e.ts >= from && e.ts < to)
    slices.push({
      scriptLayoutMs: outermostMs(within(both)),
      scriptMs: outermostMs(within(script)),
      styleLayoutMs: outermostMs(within(layout)),
      paintMs: outermostMs(within(paint)),
      busyMs: outermostMs(within(tasks)),
    })
  }
  return slices
}

async function trace(cdp: CDPSession, run: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = []
  cdp.on('Tracing.dataCollected', (e) => {
    events.push(...(e.value as unknown as TraceEvent[]))
  })
  const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: {
      includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'toplevel', 'v8.execute', '__metadata'],
      recordMode: 'recordContinuously',
    },
  })
  await run()
  await cdp.send('Tracing.end')
  await complete
  return events
}

/**
 * In the page: scrolls the process table by three rows per frame for
 * DURATION_MS and resolves with the frame intervals (ms). A string, as the
 * bench is compiled without the DOM's types.
 */
const SCROLL_SCRIPT = `new Promise((resolve, reject) => {
  const scroller = document.querySelector('table.processes, [role="tree"]')?.parentElement
  if (!scroller) return reject(new Error('no process table or tree on the page'))
  const frames = []
  let direction = 1
  let last = performance.now()
  const start = last
  const step = (now) => {
    frames.push(now - last)
    last = now
    const max = scroller.scrollHeight - scroller.clientHeight
    if (scroller.scrollTop >= max - 1) direction = -1
    else if (scroller.scrollTop <= 0) direction = 1
    scroller.scrollTop += direction * 66
    if (now - start < DURATION_MS) requestAnimationFrame(step)
    else resolve(frames.slice(1))
  }
  requestAnimationFrame(step)
})`

async function scrollFrames(page: Page, seconds: number): Promise<number[]> {
  return (await page.evaluate(SCROLL_SCRIPT.replace('DURATION_MS', String(seconds * 1000)))) as number[]
}

export async function runUiBench(options: UiOptions, log: (m: string) => void): Promise<UiResult> {
  if (!existsSync(join(ROOT, 'out/renderer/index.html'))) throw new Error('no built renderer: run `npx electron-vite build` first')
  const population = await Population.reach(options.processes, log)
  let host: RunningHost | undefined
  const launchOptions = playwrightConfig.projects?.find((p) => p.name === 'chromium')?.use?.launchOptions ?? {}
  const browser = await chromium.launch(launchOptions)
  try {
    host = await startHost()
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(host.url)
    const table = page.getByRole('grid', { name: 'Processes' })
    await table.and(page.locator('[aria-busy="false"]')).waitFor({ timeout: 60_000 })
    const shown = await table.getAttribute('aria-rowcount')
    log(`ui: page up, ${Number(shown) - 1} processes in the table (${countProcesses()} on the machine); warming up`)
    if (options.view === 'tree') {
      await page.getByRole('button', { name: 'Tree', exact: true }).click()
      await page.getByRole('tree', { name: 'Process tree' }).waitFor()
    }
    await sleep(3000)

    const cdp = await page.context().newCDPSession(page)
    const events = await trace(cdp, () => sleep((options.updates + 1.5) * 1000))
    if (options.traceFile) writeFileSync(options.traceFile, JSON.stringify({ traceEvents: events }))
    const slices = slicesFromTrace(events)
    if (slices.length === 0) throw new Error(`no update marks in the trace (${events.length} events)`)
    const cost = slices.map((s) => s.scriptLayoutMs)
    const busy = slices.map((s) => s.busyMs)
    const p = (values: number[], q: number) => round2(percentile(values, q))
    log(
      `ui: ${slices.length} updates traced; script + layout ms per update min/median/max ` +
        `${round2(Math.min(...cost))}/${p(cost, 50)}/${round2(Math.max(...cost))}; whole main thread median ${p(busy, 50)}`,
    )

    const frames = await scrollFrames(page, options.scrollS)
    const seconds = frames.reduce((s, f) => s + f, 0) / 1000
    log(`ui: scrolled ${frames.length} frames in ${round2(seconds)} s`)

    return {
      case: `ui-${options.processes}${options.view === 'tree' ? '-tree' : ''}`,
      processes: Number(shown) - 1,
      updates: slices.length,
      update_ms_p50: p(cost, 50),
      update_ms_p95: p(cost, 95),
      update_ms_max: round2(Math.max(...cost)),
      script_ms_p50: p(slices.map((s) => s.scriptMs), 50),
      style_layout_ms_p50: p(slices.map((s) => s.styleLayoutMs), 50),
      paint_ms_p50: p(slices.map((s) => s.paintMs), 50),
      main_thread_ms_p50: p(busy, 50),
      main_thread_ms_p95: p(busy, 95),
      scroll_fps: round2(frames.length / seconds),
      scroll_frame_ms_p95: round2(percentile(frames, 95)),
    }
  } finally {
    await browser.close()
    await host?.stop()
    await population.release(log)
  }
}

export function judgeUi(result: UiResult, log: (m: string) => void): void {
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS')
  const p95 = result.update_ms_p95 ?? NaN
  const fps = result.scroll_fps ?? NaN
  log(`${result.case}: ${verdict(p95 <= TARGET_UPDATE_MS)} update p95 ${p95} ms <= ${TARGET_UPDATE_MS} ms of script and layout`)
  log(`${result.case}: ${verdict(fps >= TARGET_FPS * 0.95)} scrolling ${fps} fps (target ${TARGET_FPS})`)
}

// Run alone: tsx bench/ui.ts [--tree] [--updates N (60)] [--processes N] [--scroll S] [--trace out.json]
if (process.argv[1] && /bench[/\\]ui\.ts$/.test(process.argv[1])) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`)
    return i > 0 ? Number(process.argv[i + 1]) : fallback
  }
  const log = (m: string): void => void process.stderr.write(`[bench] ${m}\n`)
  const traceAt = process.argv.indexOf('--trace')
  const traceFile = traceAt > 0 ? process.argv[traceAt + 1] : undefined
  const view = process.argv.includes('--tree') ? ('tree' as const) : ('table' as const)
  runUiBench({ processes: arg('processes', 2000), view, updates: arg('updates', 60), scrollS: arg('scroll', 4), ...(traceFile ? { traceFile } : {}) }, log).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`)
      judgeUi(result, log)
    },
    (err: unknown) => {
      log(`failed: ${(err as Error).stack ?? String(err)}`)
      process.exitCode = 1
    },
  )
}
