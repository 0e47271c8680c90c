import { useCallback, useState } from 'react'

export interface SavedSetting<T> {
  value: T
  /** Shows `next` at once and runs `save`; the saved value replaces it, a failure puts back the one before and reports. */
  change: (next: T, save: () => Promise<T>) => void
}

/**
 * A setting the window changes optimistically: read with the rest of the
 * settings (`fallback` until they arrive), changed here at once, saved with
 * updateSettings.
 */
export function useSavedSetting<T>(loaded: T | undefined, fallback: T, onError: (message: string) => void): SavedSetting<T> {
  const [local, setLocal] = useState<{ value: T } | undefined>(undefined)
  const value = local ? local.value : (loaded ?? fallback)

  const change = useCallback(
    (next: T, save: () => Promise<T>) => {
      const before = value
      setLocal({ value: next })
      save().then(
        (saved) => setLocal({ value: saved }),
        (err: unknown) => {
          setLocal({ value: before })
          onError(`Could not save the setting: ${err instanceof Error ? err.message : String(err)}`)
        },
      )
    },
    [value, onError],
  )

  return { value, change }
}
