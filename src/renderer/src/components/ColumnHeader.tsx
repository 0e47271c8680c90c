import type { Column } from './columns'
import type { SortState } from '../processSort'

interface Props {
  column: Column
  sort: SortState
  onSort: (key: Column['key']) => void
}

/** A <th> whose button sorts by the column; aria-sort tells which column sorts the table and how. */
export function ColumnHeader({ column, sort, onSort }: Props) {
  const active = sort.key === column.key
  const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined
  return (
    <th scope="col" aria-sort={ariaSort} className={column.numeric ? 'numeric' : undefined}>
      <button type="button" className={active ? 'sort active' : 'sort'} onClick={() => onSort(column.key)}>
        <span className="label">{column.label}</span>
        <span className="arrow" aria-hidden="true">
          {active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
        </span>
      </button>
    </th>
  )
}
