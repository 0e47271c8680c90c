import { memo, type CSSProperties, type KeyboardEvent, type MouseEvent, type RefObject } from 'react'
import type { Highlight } from './changes'
import { highlightOf } from './changes'
import type { TreeRow } from './treeRows'
import { useRowKeys } from './useRowKeys'
import { useVirtualRows } from './useVirtualRows'
import { cell, CellView, sameProcessView } from './cells'
import { ColumnHeader } from './ColumnHeader'
import { gridTemplate, minimumWidth, ROW_HEIGHT, type Column } from './columns'
import { delegate, type ProcessListProps } from './listEvents'

interface Props extends ProcessListProps {
  rows: readonly TreeRow[]
  onToggle: (key: string) => void
}

/** The id of a tree item, for aria-activedescendant. */
export function treeItemId(key: string): string {
  return `tree-item-${key.replace(/[^0-9A-Za-z_-]/g, '_')}`
}

/**
 * The process tree: role "tree" with one "treeitem" per visible process
 * (aria-level, aria-expanded, aria-setsize, aria-posinset), flat and
 * virtualized like the table; the tree holds the focus and points at the
 * selected item with aria-activedescendant. Columns line up with a sticky
 * header through one CSS grid template.
 */
export function ProcessTree(props: Props) {
  const { rows, columns, sort, onSort, onToggle, loading, emptyText, search, stale, selectedKey, selectedIndex, revealToken, changes, memoryAxis, focusRef, managed } = props
  const { scroller, start, end } = useVirtualRows(rows.length, { selectedIndex, revealToken, rows, resetKey: search })
  const shown = rows.slice(start, end)
  const keys = useRowKeys(shown.map((row) => row.key))

  const style = { '--row-height': `${ROW_HEIGHT}px`, '--tree-columns': gridTemplate(columns) } as CSSProperties
  const width = { minWidth: minimumWidth(columns) }
  const rowEvents = delegate(props)
  const onClick = (e: MouseEvent) => {
    const toggle = (e.target as Element).closest('[data-toggle]')
    const key = toggle?.closest('[data-key]')?.getAttribute('data-key')
    if (key) onToggle(key)
    else rowEvents.onClick(e)
  }
  const selectedRendered = selectedIndex >= start && selectedIndex < end && selectedKey !== undefined
  return (
    <div ref={scroller} className={stale ? 'tree-scroll stale' : 'tree-scroll'} style={style}>
      <div className="tree-header" style={width}>
        {columns.map((c) => (
          <ColumnHeader key={c.key} column={c} sort={sort} onSort={onSort} as="div" />
        ))}
      </div>
      <div
        ref={focusRef as RefObject<HTMLDivElement | null> | undefined}
        role="tree"
        aria-label="Process tree"
        aria-busy={loading}
        aria-activedescendant={selectedRendered ? treeItemId(selectedKey) : undefined}
        tabIndex={0}
        className="tree"
        style={{ ...width, height: Math.max(1, rows.length) * ROW_HEIGHT }}
        {...rowEvents}
        onClick={onClick}
        onKeyDown={(e: KeyboardEvent) => {
          // Space toggles the selected item, as in file managers.
          if (e.key === ' ' && selectedKey) {
            e.preventDefault()
            onToggle(selectedKey)
          }
        }}
      >
        {rows.length === 0 ? (
          <div className="tree-empty">{emptyText}</div>
        ) : (
          shown.map((row, i) => (
            <TreeItem
              key={keys[i]}
              row={row}
              index={start + i}
              columns={columns}
              selected={row.key === selectedKey}
              highlight={highlightOf(changes, row.node.process)}
              memoryAxis={memoryAxis}
              managedBy={managed.get(row.node.process.pid)}
            />
          ))
        )}
      </div>
    </div>
  )
}

interface ItemProps {
  row: TreeRow
  index: number
  columns: readonly Column[]
  selected: boolean
  highlight: Highlight | undefined
  memoryAxis: number
  managedBy: string | undefined
}

const INDENT = 16

function TreeItemView({ row, index, columns, selected, highlight, memoryAxis, managedBy }: ItemProps) {
  const p = row.node.process
  const classes = ['treeitem', selected ? 'selected' : '', highlight ? `row-${highlight}` : '', row.context ? 'context' : '']
    .filter(Boolean)
    .join(' ')
  return (
    <div
      role="treeitem"
      id={treeItemId(row.key)}
      data-key={row.key}
      aria-label={`${p.name}, PID ${p.pid}`}
      aria-level={row.depth + 1}
      aria-setsize={row.setSize}
      aria-posinset={row.posInSet}
      aria-expanded={row.childCount > 0 ? row.expanded : undefined}
      aria-selected={selected}
      className={classes}
      style={{ top: index * ROW_HEIGHT }}
    >
      <TreeCells row={row} columns={columns} highlight={highlight} memoryAxis={memoryAxis} managedBy={managedBy} />
    </div>
  )
}

interface CellsProps {
  row: TreeRow
  columns: readonly Column[]
  highlight: Highlight | undefined
  memoryAxis: number
  managedBy: string | undefined
}

function TreeCellsView({ row, columns, highlight, memoryAxis, managedBy }: CellsProps) {
  const { node, depth, childCount, expanded } = row
  const p = node.process
  const ctx = {
    memoryAxis,
    highlight,
    ...(managedBy !== undefined ? { managedBy } : {}),
    // An exited process is in no total, its own included: its Σ cells say "–".
    ...(highlight === 'exited' ? {} : { subtree: { cpuPercent: node.subtreeCpuPercent, memoryBytes: node.subtreeMemoryBytes, count: node.descendantCount } }),
  }
  return columns.map((c) => {
    const { content, className, title, bar } = cell(c.key, p, ctx)
    if (c.key !== 'name') return <CellView key={c.key} className={className ? `td ${className}` : 'td'} title={title} bar={bar} content={content} />
    return (
      <span key={c.key} className={`td ${className ?? ''}`} title={title} style={{ paddingLeft: 4 + depth * INDENT }}>
        {childCount > 0 ? (
          <span className={expanded ? 'twisty open' : 'twisty'} data-toggle="" aria-hidden="true" />
        ) : (
          <span className="twisty leaf" aria-hidden="true" />
        )}
        {managedBy !== undefined && <span className="managed-badge">managed</span>}
        <span className="tree-name">{content}</span>
        {childCount > 0 && !expanded && <span className="tree-count">{node.descendantCount}</span>}
      </span>
    )
  })
}

/** What the cells of a tree item show. */
function sameCells(a: CellsProps, b: CellsProps): boolean {
  const x = a.row
  const y = b.row
  return (
    a.columns === b.columns &&
    a.highlight === b.highlight &&
    a.memoryAxis === b.memoryAxis &&
    a.managedBy === b.managedBy &&
    x.depth === y.depth &&
    x.childCount === y.childCount &&
    x.expanded === y.expanded &&
    x.node.subtreeCpuPercent === y.node.subtreeCpuPercent &&
    x.node.subtreeMemoryBytes === y.node.subtreeMemoryBytes &&
    x.node.descendantCount === y.node.descendantCount &&
    sameProcessView(x.node.process, y.node.process)
  )
}

/** The cells render again only when what they show changes: an item that only moved renders its wrapper. */
const TreeCells = memo(TreeCellsView, sameCells)

function sameItem(a: ItemProps, b: ItemProps): boolean {
  const x = a.row
  const y = b.row
  return (
    a.index === b.index &&
    a.selected === b.selected &&
    x.key === y.key &&
    x.posInSet === y.posInSet &&
    x.setSize === y.setSize &&
    x.context === y.context &&
    sameCells(a, b)
  )
}

const TreeItem = memo(TreeItemView, sameItem)
