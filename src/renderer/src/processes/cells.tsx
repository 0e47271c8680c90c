import { memo, type CSSProperties } from 'react'
import type { ProcessInfo } from '../../../shared/types/process'
import { formatBytes, formatPercent } from '../../../shared/format'
import { cpuFraction, memoryFraction } from './bars'
import { shownCommand } from './commandText'
import type { Highlight } from './changes'
import type { Column, ColumnKey } from './columns'
import { stateLabel } from './StateBadge'

/** One cell of a process row, shared by the table and the tree. */

export interface CellContext {
  memoryAxis: number
  highlight: Highlight | undefined
  /** Tree only: the process and everything below it. */
  subtree?: { cpuPercent: number; memoryBytes: number; count: number }
  /** The program Proctor supervises this process for, if any: the name's "managed" badge. */
  managedBy?: string
}

/** Plain values only, so a cell that shows the same as before is skipped (CellView). */
export interface Cell {
  content: string | number
  className?: string
  title?: string
  /** The bar's fill, 0..1, for a barred cell. */
  bar?: number
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
const dayAndTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' })

export function formatStarted(ms: number, now = Date.now()): string {
  if (!Number.isFinite(ms) || ms <= 0) return '–'
  const sameDay = new Date(ms).toDateString() === new Date(now).toDateString()
  return sameDay ? timeOfDay.format(ms) : dayAndTime.format(ms)
}

export function formatFullDate(ms: number): string {
  return Number.isFinite(ms) && ms > 0 ? full.format(ms) : '–'
}

const num = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : String(v))
const rate = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : `${formatBytes(v)}/s`)

/** The bar behind a figure (CSS backgrounds of the cell, see .barred): its fill, 0..1, rounded so small changes do not restyle. */
function bar(fraction: number): number {
  return Math.round(fraction * 100) / 100
}

export function cell(column: ColumnKey, p: ProcessInfo, ctx: CellContext): Cell {
  switch (column) {
    case 'pid':
      return { content: p.pid, className: 'numeric' }
    case 'ppid':
      return { content: p.ppid, className: 'numeric' }
    case 'name':
      if (ctx.managedBy !== undefined) return { content: p.name, className: 'name managed', title: `Managed by Proctor: program ${ctx.managedBy}` }
      return { content: p.name, className: p.kernelThread ? 'name kernel' : 'name', title: p.exe ?? p.name }
    case 'user':
      return { content: p.user, className: 'user', title: `${p.user} (uid ${p.uid})` }
    case 'state':
      // The cell itself carries the state's class (its dot): no element inside it, in a list redrawn every second.
      return ctx.highlight === 'exited' ? { content: 'Exited', className: 'state state-exited' } : { content: stateLabel(p.state), className: `state state-${p.state}` }
    case 'cpu':
      return { content: formatPercent(p.cpuPercent), className: 'numeric barred', bar: bar(cpuFraction(p.cpuPercent)) }
    case 'memory':
      return {
        content: formatBytes(p.memoryBytes),
        className: 'numeric barred bar-memory',
        bar: bar(memoryFraction(p.memoryBytes, ctx.memoryAxis)),
        title: `${formatBytes(p.memoryBytes)} resident (${formatPercent(p.memoryPercent)} of memory)`,
      }
    case 'memoryPercent':
      return { content: formatPercent(p.memoryPercent), className: 'numeric' }
    case 'treeCpu':
      return {
        content: ctx.subtree ? formatPercent(ctx.subtree.cpuPercent) : '–',
        className: 'numeric subtree',
        title: ctx.subtree ? `With ${ctx.subtree.count} processes below it` : undefined,
      }
    case 'treeMemory':
      return {
        content: ctx.subtree ? formatBytes(ctx.subtree.memoryBytes) : '–',
        className: 'numeric subtree',
        title: ctx.subtree ? `With ${ctx.subtree.count} processes below it` : undefined,
      }
    case 'virtual':
      return { content: formatBytes(p.virtualBytes), className: 'numeric' }
    case 'threads':
      return { content: num(p.threads), className: 'numeric' }
    case 'nice':
      return { content: p.nice, className: 'numeric' }
    case 'priority':
      return { content: p.priority, className: 'numeric' }
    case 'files':
      return { content: num(p.openFiles), className: 'numeric' }
    case 'read':
      return { content: rate(p.diskReadBytesPerSec), className: 'numeric' }
    case 'write':
      return { content: rate(p.diskWriteBytesPerSec), className: 'numeric' }
    case 'started':
      return { content: formatStarted(p.startTime), className: 'started', title: formatFullDate(p.startTime) }
    case 'command':
      return { content: shownCommand(p.command), className: p.kernelThread ? 'command kernel' : 'command', title: p.command }
  }
}

interface CellViewProps {
  className: string
  title: string | undefined
  bar: number | undefined
  content: string | number
  /** The table's cells are cells of its grid; the tree's are parts of a tree item. */
  role?: 'gridcell'
}

/**
 * One cell as an element. Its props are plain values, so when a row renders
 * again because one of its figures changed, the cells that show the same as
 * before are skipped: a refresh redraws the CPU cell of a busy process, not
 * its name and command line.
 */
export const CellView = memo(function CellView({ className, title, bar, content, role }: CellViewProps) {
  return (
    <div role={role} className={className} title={title} style={bar === undefined ? undefined : ({ '--f': bar } as CSSProperties)}>
      {content}
    </div>
  )
})

/** Whether two renderings of a row would look the same (snapshots bring new objects every refresh). */
export function sameProcessView(a: ProcessInfo, b: ProcessInfo): boolean {
  if (a === b) return true
  for (const key in a) {
    if (a[key as keyof ProcessInfo] !== b[key as keyof ProcessInfo]) return false
  }
  for (const key in b) if (!(key in a)) return false
  return true
}

export type { Column }
