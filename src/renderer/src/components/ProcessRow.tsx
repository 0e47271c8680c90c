import { memo } from 'react'
import type { ProcessInfo } from '../../../shared/types/process'
import type { Highlight } from '../processes/changes'
import { cell, sameProcessView } from './cells'
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
}

function ProcessRowView({ process: p, rowKey, index, columns, selected, highlight, memoryAxis }: Props) {
  const classes = [selected ? 'selected' : '', highlight ? `row-${highlight}` : ''].filter(Boolean).join(' ')
  const ctx = { memoryAxis, highlight }
  return (
    <tr aria-rowindex={index + 2} aria-selected={selected ? true : undefined} data-key={rowKey} className={classes || undefined}>
      {columns.map((c) => {
        const { content, className, title, style } = cell(c.key, p, ctx)
        return (
          <td key={c.key} className={className} title={title} style={style}>
            {content}
          </td>
        )
      })}
    </tr>
  )
}

/** Snapshots bring new objects every refresh: compare what is drawn, not identity. */
function sameRow(a: Props, b: Props): boolean {
  return (
    a.index === b.index &&
    a.rowKey === b.rowKey &&
    a.columns === b.columns &&
    a.selected === b.selected &&
    a.highlight === b.highlight &&
    a.memoryAxis === b.memoryAxis &&
    sameProcessView(a.process, b.process)
  )
}

export const ProcessRow = memo(ProcessRowView, sameRow)
