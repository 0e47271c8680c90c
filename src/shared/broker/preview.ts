/**
 * A JSON value as text cut to `max` characters, for the traffic log: the
 * walk stops once it has enough, so a 1 MiB payload costs about as much as
 * a small one (JSON.stringify would write it all to keep 200 characters).
 */
export const PREVIEW_CHARS = 200

export function previewJson(value: unknown, max = PREVIEW_CHARS): string {
  const out: string[] = []
  let length = 0
  const put = (s: string): boolean => {
    out.push(s)
    length += s.length
    return length < max
  }
  const walk = (v: unknown, depth: number): boolean => {
    if (v === null || typeof v !== 'object') {
      const text = JSON.stringify(v) ?? 'null'
      return put(text.length > max ? text.slice(0, max) : text)
    }
    if (depth > 32) return put('…')
    if (Array.isArray(v)) {
      if (!put('[')) return false
      for (let i = 0; i < v.length; i++) {
        if (i > 0 && !put(',')) return false
        if (!walk(v[i], depth + 1)) return false
      }
      return put(']')
    }
    if (!put('{')) return false
    let first = true
    for (const key in v) {
      if (!Object.prototype.hasOwnProperty.call(v, key)) continue
      if (!first && !put(',')) return false
      first = false
      if (!put(`${JSON.stringify(key)}:`)) return false
      if (!walk((v as Record<string, unknown>)[key], depth + 1)) return false
    }
    return put('}')
  }
  const whole = walk(value, 0)
  const text = out.join('')
  return !whole || text.length > max ? `${text.slice(0, max - 1)}…` : text
}
