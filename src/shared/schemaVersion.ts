/**
 * Why a file's `schemaVersion` cannot be read by this Proctor, or undefined
 * when it can (absent counts as the current version: a file written by hand).
 */
export function schemaVersionProblem(schemaVersion: unknown, current: number): string | undefined {
  if (schemaVersion === undefined) return undefined
  if (typeof schemaVersion !== 'number' || !Number.isInteger(schemaVersion) || schemaVersion < 1) {
    return `schemaVersion must be a whole number from 1, got ${JSON.stringify(schemaVersion)}`
  }
  if (schemaVersion > current) return `it was written by a newer Proctor (schema ${schemaVersion}, this one reads ${current})`
  return undefined
}

/** What a versioned file held, or why it cannot be used, in words for the user. */
export type FileReading<T> = { ok: true; value: T } | { ok: false; problem: string }

/** "a string", "an array", "null": what a document holds instead of an object. */
export function describeNonObject(doc: unknown): string {
  return doc === null ? 'null' : Array.isArray(doc) ? 'an array' : `a ${typeof doc}`
}

export function isPlainObject(doc: unknown): doc is Record<string, unknown> {
  return doc !== null && typeof doc === 'object' && !Array.isArray(doc)
}
