/**
 * The reliability suite runs twice over: a fast subset inside `npm test`,
 * and the long versions (the figures) under `npm run
 * test:reliability`, which sets PROCTOR_RELIABILITY=full. Each test states
 * its figure on one line starting with "figure:", so a run's output can be
 * read (or grepped) as the list of figures.
 */
export const FULL = process.env.PROCTOR_RELIABILITY === 'full'

/** `fast` in `npm test`, `full` in `npm run test:reliability`. */
export function scaled(fast: number, full: number): number {
  return FULL ? full : fast
}

/** Prints one figure line: what was measured, then the numbers. */
export function figure(name: string, values: Record<string, string | number | boolean>): void {
  const parts = Object.entries(values).map(([k, v]) => `${k}=${v}`)
  console.log(`figure: ${name}${FULL ? '' : ' (fast subset)'}: ${parts.join(' ')}`)
}
