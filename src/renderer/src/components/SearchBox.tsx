import { useEffect, useRef } from 'react'
import { SearchIcon } from './Icons'

interface Props {
  value: string
  onChange: (value: string) => void
}

/** The search field. Ctrl/⌘+F or "/" focuses it; Escape clears it, then leaves it. */
export function SearchBox({ value, onChange }: Props) {
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
        placeholder="Search name, command, user or PID"
        spellCheck={false}
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return
          e.preventDefault()
          if (value) onChange('')
          else e.currentTarget.blur()
        }}
      />
    </div>
  )
}
