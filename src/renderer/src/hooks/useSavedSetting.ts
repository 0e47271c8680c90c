import { useCallback, useState } from 'react'

export interface SavedSetting<T> {
  value: T
  /** Shows `next` at once and runs `save`; the saved value replaces it, a failure puts back the one before and reports. */
  change: (next: T, save: () => Promise<T>) => void
}

/**
 * A setting the window changes optimistically: read with the rest of the
 * settings (`fallback` until they arrive), changed here at once, saved with
 * updateSettings. `source` is the settings object `loaded` was read from:
 * when the settings are read again (on every reconnect), what they say
 * replaces the window's own last change.
 */
export function useSavedSetting<T>(loaded: T | undefined, fallback: T, onError: (message: string) => void, source?: object): SavedSetting<T> {
  const [local, setLocal] = useState<{ value: T; source: object | undefined } | undefined>(undefined)
  const value = local && local.source === source ? local.value : (loaded ?? fallback)

  const change = useCallback(
    (next: T, save: () => Promise<T>) => {
      const before = value
      setLocal({ value: next, source })
      save().then(
        (saved) => setLocal({ value: saved, source }),
        (err: unknown) => {
          setLocal({ value: before, source })
          onError(`Could not save the setting: ${err instanceof Error ? err.message : String(err)}`)
        },
      )
    },
    [value, onError, source],
  )

  return { value, change }
}
