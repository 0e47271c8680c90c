import { useCallback, useMemo, useState } from 'react'

export interface Selection {
  /** The selected process's key (processKey), kept across refreshes and views. */
  selectedKey: string | undefined
  /** Bumped when the list should scroll the selection into view. */
  revealToken: number
  select(key: string | undefined, reveal?: boolean): void
  /** Scrolls the selection into view at the next render (after a view change). */
  reveal(): void
}

/** The selection of the process window: by identity, not by row, so a refresh that reorders rows keeps it. */
export function useSelection(): Selection {
  const [selectedKey, setSelectedKey] = useState<string | undefined>(undefined)
  const [revealToken, setRevealToken] = useState(0)
  const reveal = useCallback(() => setRevealToken((n) => n + 1), [])
  const select = useCallback(
    (key: string | undefined, scroll = false) => {
      setSelectedKey(key)
      if (scroll) reveal()
    },
    [reveal],
  )
  return useMemo(() => ({ selectedKey, revealToken, select, reveal }), [selectedKey, revealToken, select, reveal])
}
