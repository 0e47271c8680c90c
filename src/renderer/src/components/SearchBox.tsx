import { useEffect, useRef } from 'react'
import { SearchIcon } from './Icons'

interface Props {
  value: string
  onChange: (value: string) => void
  /** The query is not valid: shown as a hint under the field, read out by screen readers. */
  error?: { message: string; position: number }
}

/** The search field. Ctrl/⌘+F or "/" focuses it; Escape clears it, then leaves it. */
export function SearchBox({ value, onChange, error }: Props) {
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName))
      const find = (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'f'
      if (find || (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey)) {
        e.preventDefault()
        input.current?.focus()
        input.current?.select()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  return (
    <div className="search">
      <SearchIcon />
      <input
        ref={input}
        type="search"
        aria-label="Search processes"
        placeholder="Search: name, PID, or a query like cpu > 5 and user = root"
        spellCheck={false}
        autoComplete="off"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'search-hint' : undefined}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return
          e.preventDefault()
          if (value) onChange('')
          else e.currentTarget.blur()
        }}
      />
      {error && (
        <div id="search-hint" className="search-hint" role="status">
          {error.message}; showing the last valid search
        </div>
      )}
    </div>
  )
}
