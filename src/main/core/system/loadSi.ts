/** The systeminformation module. */
export type Si = typeof import('systeminformation')

let loading: Promise<Si> | undefined

/**
 * systeminformation, loaded on first use. Only the macOS and generic
 * paths need it; on Linux, where everything is read from /proc, loading it
 * anyway cost about 10 MB resident and 1.6 MB of heap for nothing
 * (`node -e "require('systeminformation')"` against an empty Node).
 */
export function loadSi(): Promise<Si> {
  return (loading ??= import('systeminformation').then((m) => ((m as { default?: Si }).default ?? m) as Si))
}
