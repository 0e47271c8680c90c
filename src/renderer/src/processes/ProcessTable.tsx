import type { CSSProperties, RefObject } from 'react'
import type { ProcessInfo } from '../../../shared/types/process'
import { highlightOf } from './changes'
import { processKey } from './identity'
import { useRowKeys } from './useRowKeys'
import { useVirtualRows } from './useVirtualRows'
import { ColumnHeader } from './ColumnHeader'
import { gridTemplate, minimumWidth, ROW_HEIGHT } from './columns'
import { delegate, type ProcessListProps } from './listEvents'
import { ProcessRow } from './ProcessRow'

interface Props extends ProcessListProps {
  /** Sorted and filtered. */
  rows: readonly ProcessInfo[]
}

/**
 * The process table: an ARIA grid (selectable rows, column headers with
 * aria-sort) with a sticky header. Only the rows near the visible part are
 * in the DOM, in display order; aria-rowcount and aria-rowindex tell
 * assistive tech the full size. The selected row has aria-selected; the
 * grid takes the focus, and the keyboard moves the selection.
 *
 * Not a <table>: each row is a box of its own (CSS grid columns, layout
 * contained), so a refresh that changes a figure lays out that row, not the
 * table around it, and a row put in lays out alone. The rows stack in flow
 * below a box as tall as the rows above them: a row put in or taken out
 * moves the rows after it without restyling them (a `top` of their own
 * would change in each of them, and make it its own style).
 */
export function ProcessTable(props: Props) {
  const { rows, columns, sort, onSort, loading, emptyText, search, stale, selectedKey, selectedIndex, revealToken, changes, memoryAxis, focusRef, managed } = props
  const { scroller, start, end } = useVirtualRows(rows.length, { selectedIndex, revealToken, rows, resetKey: search })
  const shown = rows.slice(start, end)
  const ids = shown.map(processKey)
  const keys = useRowKeys(ids)

  const style = { '--row-height': `${ROW_HEIGHT}px`, '--grid-columns': gridTemplate(columns) } as CSSProperties
  const empty = rows.length === 0
  return (
    <div ref={scroller} className={stale ? 'table-scroll stale' : 'table-scroll'} style={style}>
      <div
        ref={focusRef as RefObject<HTMLDivElement | null> | undefined}
        className="processes"
        role="grid"
        aria-readonly
        aria-label="Processes"
        aria-rowcount={rows.length + 1}
        aria-busy={loading}
        tabIndex={0}
        style={{ minWidth: minimumWidth(columns) }}
      >
        <div role="rowgroup" className="processes-head">
          <div role="row" aria-rowindex={1} className="processes-head-row">
            {columns.map((c) => (
              <ColumnHeader key={c.key} column={c} sort={sort} onSort={onSort} as="columnheader" />
            ))}
          </div>
        </div>
        <div role="rowgroup" className="processes-body" style={empty ? undefined : { height: rows.length * ROW_HEIGHT }} {...delegate(props)}>
          {empty ? (
            <div role="row" className="processes-empty">
              <div role="gridcell">{emptyText}</div>
            </div>
          ) : (
            <>
              {/* The rows above the window: a box of their height, not a padding (a padding that changes repaints the whole list's stripes). */}
              <div aria-hidden="true" style={{ height: start * ROW_HEIGHT }} />
              {shown.map((p, i) => {
                const key = ids[i] as string
                return (
                  <ProcessRow
                    key={keys[i]}
                    rowKey={key}
                    process={p}
                    index={start + i}
                    columns={columns}
                    selected={key === selectedKey}
                    highlight={highlightOf(changes, p)}
                    memoryAxis={memoryAxis}
                    managedBy={managed.get(p.pid)}
                  />
                )
              })}
            </>
          )}
        </div>
      </div>
    </div>
  )
}
