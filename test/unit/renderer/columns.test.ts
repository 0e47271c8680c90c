import { describe, expect, it } from 'vitest'
import {
  ALL_COLUMNS,
  columnsForView,
  DEFAULT_COLUMN_KEYS,
  gridTemplate,
  minimumWidth,
  resolveColumns,
  toggleColumn,
} from '../../../src/renderer/src/processes/columns'

const keys = (cs: { key: string }[]) => cs.map((c) => c.key)

describe('resolveColumns', () => {
  it('shows the defaults when nothing is remembered', () => {
    expect(keys(resolveColumns(undefined))).toEqual([...DEFAULT_COLUMN_KEYS])
  })

  it('keeps the canonical order, drops unknown and repeated keys, and always has Name', () => {
    expect(keys(resolveColumns(['command', 'cpu', 'bogus', 'cpu', 'pid']))).toEqual(['pid', 'name', 'cpu', 'command'])
    expect(keys(resolveColumns([]))).toEqual(['name'])
  })
})

describe('toggleColumn', () => {
  it('adds and removes a column, in canonical order', () => {
    const shown = resolveColumns(['pid', 'name', 'command'])
    expect(toggleColumn(shown, 'threads', true)).toEqual(['pid', 'name', 'threads', 'command'])
    expect(toggleColumn(shown, 'pid', false)).toEqual(['name', 'command'])
  })

  it('cannot hide Name', () => {
    expect(toggleColumn(resolveColumns(['pid', 'name']), 'name', false)).toEqual(['pid', 'name'])
  })
})

describe('columnsForView', () => {
  const all = resolveColumns(ALL_COLUMNS.map((c) => c.key))

  it('the table leaves out the subtree totals', () => {
    expect(keys(columnsForView(all, 'table'))).not.toContain('treeCpu')
    expect(keys(columnsForView(all, 'table'))).not.toContain('treeMemory')
  })

  it('the tree puts Name first, wider, and keeps the subtree totals', () => {
    const tree = columnsForView(all, 'tree')
    expect(tree[0]?.key).toBe('name')
    expect(Number.parseFloat(tree[0]?.width ?? '0')).toBeGreaterThan(Number.parseFloat(all.find((c) => c.key === 'name')?.width ?? '0'))
    expect(keys(tree)).toContain('treeCpu')
  })
})

describe('widths', () => {
  it('sums fixed widths and gives the flexible column a minimum', () => {
    const cs = resolveColumns(['pid', 'name', 'command'])
    expect(minimumWidth(cs)).toBe(72 + 200 + 180)
    expect(gridTemplate(cs)).toBe('72px 200px minmax(180px, 1fr)')
  })

  it('without a flexible column the grid still fills the width', () => {
    expect(gridTemplate(resolveColumns(['pid', 'name']))).toBe('72px 200px 1fr')
  })
})
