import { ALL_COLUMNS, DEFAULT_COLUMN_KEYS, toggleColumn, type Column, type ColumnKey } from './columns'
import { Popover } from '../components/Popover'

interface Props {
  columns: readonly Column[]
  onChange: (keys: ColumnKey[]) => void
}

/** Which columns the table and the tree show; the choice is remembered in the settings. */
export function ColumnChooser({ columns, onChange }: Props) {
  const shown = new Set(columns.map((c) => c.key))
  return (
    <Popover label="Columns" title="Columns">
      <fieldset className="column-list">
        <legend>Show columns</legend>
        {ALL_COLUMNS.map((c) => (
          <label key={c.key} className="check" title={c.description}>
            <input
              type="checkbox"
              checked={shown.has(c.key)}
              disabled={c.required}
              onChange={(e) => onChange(toggleColumn(columns, c.key, e.target.checked))}
            />
            {c.spoken ?? c.label}
            {c.treeOnly && <span className="check-note"> (tree)</span>}
          </label>
        ))}
      </fieldset>
      <button type="button" className="link-button" onClick={() => onChange([...DEFAULT_COLUMN_KEYS])}>
        Reset to defaults
      </button>
    </Popover>
  )
}
