import type { CSSProperties, RefObject } from 'react'
import type { ProcessInfo } from '../../../shared/types/process'
import { highlightOf } from '../processes/changes'
import { processKey } from '../processes/identity'
import { useRowKeys } from '../hooks/useRowKeys'
import { useVirtualRows } from '../hooks/useVirtualRows'
import { ColumnHeader } from './ColumnHeader'
import { minimumWidth, ROW_HEIGHT } from './columns'
import { delegate, type ProcessListProps } from './listEvents'
import { ProcessRow } from './ProcessRow'

interface Props extends ProcessListProps {
  /** Sorted and filtered. */
  rows: readonly ProcessInfo[]
}

/**
 * The process table: a real <table> (rows, column headers, aria-sort) with
 * a sticky header, exposed as a grid (selectable rows). Only the rows near the visible part are in the DOM;
 * spacer rows keep the scroll height, and aria-rowcount/aria-rowindex tell
 * assistive tech the full size. The selected row has aria-selected; the
 * table takes the focus, and the keyboard moves the selection.
 */
export function ProcessTable(props: Props) {
  const { rows, columns, sort, onSort, loading, emptyText, search, stale, selectedKey, selectedIndex, revealToken, changes, memoryAxis, focusRef } = props
  const { scroller, start, end } = useVirtualRows(rows.length, { selectedIndex, revealToken, rows, resetKey: search })
  const shown = rows.slice(start, end)
  const ids = shown.map(processKey)
  const keys = useRowKeys(ids)

  const style = { '--row-height': `${ROW_HEIGHT}px` } as CSSProperties
  const empty = rows.length === 0
  return (
    <div ref={scroller} className={stale ? 'table-scroll stale' : 'table-scroll'} style={style}>
      <table
        ref={focusRef as RefObject<HTMLTableElement | null> | undefined}
        className="processes"
        // A grid, not a plain table: rows are selectable (aria-selected) and the arrow keys move the selection.
        role="grid"
        aria-readonly
        aria-label="Processes"
        aria-rowcount={rows.length + 1}
        aria-busy={loading}
        tabIndex={0}
        style={{ minWidth: minimumWidth(columns) }}
      >
        <colgroup>
          {columns.map((c) => (
            <col key={c.key} style={c.width ? { width: c.width } : undefined} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {columns.map((c) => (
              <ColumnHeader key={c.key} column={c} sort={sort} onSort={onSort} />
            ))}
          </tr>
        </thead>
        <tbody {...delegate(props)}>
          {empty ? (
            <tr className="empty">
              <td colSpan={columns.length}>{loading ? 'Loading processes…' : emptyText}</td>
            </tr>
          ) : (
            <>
              {start > 0 && <Spacer height={start * ROW_HEIGHT} span={columns.length} />}
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
                  />
                )
              })}
              {end < rows.length && <Spacer height={(rows.length - end) * ROW_HEIGHT} span={columns.length} />}
            </>
          )}
        </tbody>
      </table>
    </div>
  )
}

function Spacer({ height, span }: { height: number; span: number }) {
  return (
    <tr className="spacer" aria-hidden="true">
      <td colSpan={span} style={{ height }} />
    </tr>
  )
}
