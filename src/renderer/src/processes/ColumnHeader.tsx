import { memo } from 'react'
import type { Column } from './columns'
import type { SortState } from './processSort'

interface Props {
  column: Column
  sort: SortState
  onSort: (key: Column['key']) => void
  /**
   * The table's header cells are column headers of its grid (with aria-sort);
   * the tree's header is a row of sort buttons above it.
   */
  as: 'columnheader' | 'div'
}

/**
 * A column header whose button sorts by the column; aria-sort tells which
 * column sorts the list and how. Renders only when the sort or the column
 * changes, not at every refresh of the list below it.
 */
export const ColumnHeader = memo(function ColumnHeader({ column, sort, onSort, as }: Props) {
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
  const className = column.numeric ? 'th numeric' : 'th'
  if (as === 'div') return <div className={className}>{button}</div>
  return (
    <div role="columnheader" aria-sort={ariaSort} className={className}>
      {button}
    </div>
  )
})
