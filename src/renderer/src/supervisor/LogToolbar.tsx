import type { StreamFilter } from './logView'

interface Props {
  name: string
  follow: boolean
  onFollow: (on: boolean) => void
  paused: boolean
  onPaused: (on: boolean) => void
  /** Lines arrived while paused. */
  waiting: number
  stream: StreamFilter
  onStream: (s: StreamFilter) => void
  timestamps: boolean
  onTimestamps: (on: boolean) => void
  search: string
  onSearch: (s: string) => void
  matches: number
  onNext: (back: boolean) => void
  canJump: boolean
  onJump: () => void
  onClose: () => void
}

const STREAMS: Array<{ id: StreamFilter; label: string }> = [
  { id: 'both', label: 'All' },
  { id: 'stdout', label: 'stdout' },
  { id: 'stderr', label: 'stderr' },
]

/** The log viewer's controls. */
export function LogToolbar(p: Props) {
  return (
    <div className="log-toolbar" role="group" aria-label="Log tools">
      <h2 className="log-title">
        Logs <span className="muted">· {p.name}</span>
      </h2>
      <button type="button" className="tool-button" aria-pressed={p.follow} onClick={() => p.onFollow(!p.follow)} title="Keep the newest line in view">
        Follow
      </button>
      <button type="button" className="tool-button" aria-pressed={p.paused} onClick={() => p.onPaused(!p.paused)} title="Freeze the lines shown; new ones wait">
        {p.paused ? `Resume${p.waiting > 0 ? ` (${p.waiting} new)` : ''}` : 'Pause'}
      </button>
      <div className="segmented" role="group" aria-label="Streams">
        {STREAMS.map((s) => (
          <button key={s.id} type="button" aria-pressed={p.stream === s.id} onClick={() => p.onStream(s.id)}>
            {s.label}
          </button>
        ))}
      </div>
      <label className="log-check">
        <input type="checkbox" checked={p.timestamps} onChange={(e) => p.onTimestamps(e.target.checked)} />
        Timestamps
      </label>
      <button type="button" className="tool-button" disabled={!p.canJump} onClick={p.onJump} title="The first line of its last start">
        Jump to last start
      </button>
      <div className="log-search">
        <input
          type="search"
          placeholder="Search logs"
          aria-label="Search logs"
          value={p.search}
          onChange={(e) => p.onSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault()
              p.onNext(e.shiftKey)
            }
          }}
        />
        {p.search !== '' && (
          <span className="log-matches" aria-live="polite">
            {p.matches === 0 ? 'no match' : `${p.matches} ${p.matches === 1 ? 'line' : 'lines'}`}
          </span>
        )}
        <button type="button" className="icon-button small" aria-label="Previous match" disabled={p.matches === 0} onClick={() => p.onNext(true)}>
          ↑
        </button>
        <button type="button" className="icon-button small" aria-label="Next match" disabled={p.matches === 0} onClick={() => p.onNext(false)}>
          ↓
        </button>
      </div>
      <div className="toolbar-spacer" />
      <button type="button" className="icon-button" aria-label="Close the logs" onClick={p.onClose}>
        ×
      </button>
    </div>
  )
}
