import type { Column } from './columns'
import type { SortState } from '../processSort'

interface Props {
  column: Column
  sort: SortState
  onSort: (key: Column['key']) => void
  /** The tree's header is not a table: a div with the role of a column header. */
  as?: 'th' | 'div'
}

/** A column header whose button sorts by the column; aria-sort tells which column sorts the list and how. */
export function ColumnHeader({ column, sort, onSort, as = 'th' }: Props) {
  const active = sort.key === column.key
  const ariaSort = active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined
  const button = (
    <button
      type="button"
      className={active ? 'sort active' : 'sort'}
      onClick={() => onSort(column.key)}
      title={column.description}
      aria-label={column.spoken}
    >
      <span className="label">{column.label}</span>
      <span className="arrow" aria-hidden="true">
        {active ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
      </span>
    </button>
  )
  const className = column.numeric ? 'numeric' : undefined
  if (as === 'div') {
    return (
      <div className={className ? `th ${className}` : 'th'}>
        {button}
      </div>
    )
  }
  return (
    <th scope="col" aria-sort={ariaSort} className={className}>
      {button}
    </th>
  )
}
