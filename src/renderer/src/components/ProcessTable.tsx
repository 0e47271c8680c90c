import { useEffect, useRef, type CSSProperties } from 'react'
import type { ProcessInfo } from '../../../shared/types/process'
import type { SortKey, SortState } from '../processSort'
import { useRowWindow } from '../hooks/useRowWindow'
import { ColumnHeader } from './ColumnHeader'
import { COLUMNS, ROW_HEIGHT } from './columns'
import { ProcessRow } from './ProcessRow'

interface Props {
  /** Sorted and filtered. */
  rows: readonly ProcessInfo[]
  sort: SortState
  onSort: (key: SortKey) => void
  /** No snapshot yet. */
  loading: boolean
  /** The search text in effect, for the empty state. */
  search: string
  /** The data is not live (connection lost): shown dimmed. */
  stale: boolean
}

/**
 * The process table: a real <table> (rows, column headers, aria-sort) with
 * a sticky header. Only the rows near the visible part are in the DOM;
 * spacer rows keep the scroll height, and aria-rowcount/aria-rowindex tell
 * assistive tech the full size.
 */
export function ProcessTable({ rows, sort, onSort, loading, search, stale }: Props) {
  const scroller = useRef<HTMLDivElement>(null)
  const { start, end } = useRowWindow(scroller, rows.length, ROW_HEIGHT)

  // A new search starts at the top of its results.
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0
  }, [search])

  const style = { '--row-height': `${ROW_HEIGHT}px` } as CSSProperties
  const empty = rows.length === 0
  return (
    <div ref={scroller} className={stale ? 'table-scroll stale' : 'table-scroll'} style={style}>
      <table className="processes" aria-label="Processes" aria-rowcount={rows.length + 1} aria-busy={loading}>
        <colgroup>
          {COLUMNS.map((c) => (
            <col key={c.key} style={c.width ? { width: c.width } : undefined} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((c) => (
              <ColumnHeader key={c.key} column={c} sort={sort} onSort={onSort} />
            ))}
          </tr>
        </thead>
        <tbody>
          {empty ? (
            <tr className="empty">
              <td colSpan={COLUMNS.length}>
                {loading ? 'Loading processes…' : search.trim() ? `No process matches “${search.trim()}”.` : 'No processes.'}
              </td>
            </tr>
          ) : (
            <>
              {start > 0 && <Spacer height={start * ROW_HEIGHT} />}
              {rows.slice(start, end).map((p, i) => (
                <ProcessRow key={`${p.pid}:${p.startTime}`} process={p} index={start + i} />
              ))}
              {end < rows.length && <Spacer height={(rows.length - end) * ROW_HEIGHT} />}
            </>
          )}
        </tbody>
      </table>
    </div>
  )
}

function Spacer({ height }: { height: number }) {
  return (
    <tr className="spacer" aria-hidden="true">
      <td colSpan={COLUMNS.length} style={{ height }} />
    </tr>
  )
}
