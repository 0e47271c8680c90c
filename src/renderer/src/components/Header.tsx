import type { Connection } from '../hooks/useConnection'
import { browserMode } from '../hooks/useConnection'
import { ConnectionIndicator } from './ConnectionIndicator'
import { AppIcon } from './Icons'
import { SearchBox } from './SearchBox'

interface Props {
  search: string
  onSearch: (value: string) => void
  searchError?: { message: string; position: number }
  connection: Connection
}

export function Header({ search, onSearch, searchError, connection }: Props) {
  return (
    <header className="toolbar">
      <div className="brand">
        <AppIcon />
        <h1>Proctor</h1>
      </div>
      <SearchBox value={search} onChange={onSearch} error={searchError} />
      <div className="toolbar-end">{browserMode && <ConnectionIndicator connection={connection} />}</div>
    </header>
  )
}
