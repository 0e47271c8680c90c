import { useState } from 'react'
import { NO_ROW_KEYS, rowKeys, type RowKeys } from './rowKeys'

/**
 * The React keys of the rendered rows of a list (identities in display
 * order): the identities themselves, except for rows that moved out of
 * order, which are put back as new rows rather than moving every row they
 * passed (processes/rowKeys.ts). The keys of the last render are state,
 * adjusted while rendering (no effect, no extra commit).
 */
export function useRowKeys(ids: readonly string[]): readonly string[] {
  const [last, setLast] = useState<RowKeys>(NO_ROW_KEYS)
  const next = rowKeys(last, ids)
  if (next !== last) setLast(next)
  return next.keys
}
