import { memo } from 'react'
import type { ProcessInfo } from '../../../shared/types/process'
import type { Highlight } from './changes'
import { cell, CellView, sameProcessView } from './cells'
import type { Column } from './columns'

interface Props {
  process: ProcessInfo
  /** The process's identity key (data-key, for the table's event delegation). */
  rowKey: string
  /** Position in the sorted, filtered list (0-based). */
  index: number
  columns: readonly Column[]
  selected: boolean
  highlight: Highlight | undefined
  memoryAxis: number
  /** The supervised program it belongs to. */
  managedBy: string | undefined
}

function ProcessRowView({ process, rowKey, index, columns, selected, highlight, memoryAxis, managedBy }: Props) {
  const classes = ['process-row', selected ? 'selected' : '', highlight ? `row-${highlight}` : ''].filter(Boolean).join(' ')
  return (
    <div role="row" aria-rowindex={index + 2} aria-selected={selected ? true : undefined} data-key={rowKey} className={classes}>
      <RowCells process={process} columns={columns} highlight={highlight} memoryAxis={memoryAxis} managedBy={managedBy} />
    </div>
  )
}

interface CellsProps {
  process: ProcessInfo
  columns: readonly Column[]
  highlight: Highlight | undefined
  memoryAxis: number
  managedBy: string | undefined
}

function RowCellsView({ process: p, columns, highlight, memoryAxis, managedBy }: CellsProps) {
  const ctx = { memoryAxis, highlight, ...(managedBy !== undefined ? { managedBy } : {}) }
  return columns.map((c) => {
    const { content, className, title, bar } = cell(c.key, p, ctx)
    return <CellView key={c.key} role="gridcell" className={className ? `cell ${className}` : 'cell'} title={title} bar={bar} content={content} />
  })
}

/**
 * The cells render again only when what they show changes: a row that only
 * moved (a process appeared above it, so its place and aria-rowindex
 * changed) renders its own box, not its cells.
 */
const RowCells = memo(
  RowCellsView,
  (a, b) =>
    a.columns === b.columns && a.highlight === b.highlight && a.memoryAxis === b.memoryAxis && a.managedBy === b.managedBy && sameProcessView(a.process, b.process),
)

/** Snapshots bring new objects every refresh: compare what is drawn, not identity. */
function sameRow(a: Props, b: Props): boolean {
  return (
    a.index === b.index &&
    a.rowKey === b.rowKey &&
    a.columns === b.columns &&
    a.selected === b.selected &&
    a.highlight === b.highlight &&
    a.memoryAxis === b.memoryAxis &&
    a.managedBy === b.managedBy &&
    sameProcessView(a.process, b.process)
  )
}

export const ProcessRow = memo(ProcessRowView, sameRow)
