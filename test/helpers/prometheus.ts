import parsePrometheusTextFormat from 'parse-prometheus-text-format'

export type Family = ReturnType<typeof parsePrometheusTextFormat>[number]

/** GET a /metrics URL, with `token` as a bearer token when given. */
export async function scrape(url: string, token?: string): Promise<{ status: number; type: string | null; body: string }> {
  const res = await fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } })
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() }
}

/** The text format read by a Prometheus text-format parser (parse-prometheus-text-format), by family name. */
export function families(text: string): Map<string, Family> {
  return new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]))
}

/** Sample lines of the text: one per series (a histogram's buckets, sum and count each count). */
export function seriesLines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))
}

/** The value of one series, found by its exact name and labels as printed, e.g. `proctor_program_up{program="a"}`. */
export function valueOf(text: string, series: string): number | undefined {
  const line = seriesLines(text).find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

/**
 * The naming rules of Prometheus' guide that a test can check: the
 * proctor_ prefix, snake case, counters ending in _total, a unit suffix
 * in base units (seconds, bytes) and never a non-base one (ms, kb, ...).
 */
export function namingProblems(f: Family): string[] {
  const problems: string[] = []
  if (!/^proctor_[a-z0-9_]+$/.test(f.name)) problems.push(`${f.name}: not proctor_ and snake case`)
  if (!f.help || f.help.length < 10) problems.push(`${f.name}: no HELP`)
  if (f.type === 'UNTYPED') problems.push(`${f.name}: no TYPE`)
  if (f.type === 'COUNTER' && !f.name.endsWith('_total')) problems.push(`${f.name}: a counter not ending in _total`)
  if (f.type !== 'COUNTER' && f.name.endsWith('_total')) problems.push(`${f.name}: _total on a ${f.type.toLowerCase()}`)
  if (/_(ms|milliseconds|us|minutes|hours|kb|mb|gb|kib|mib|percent)(_|$)/.test(f.name)) problems.push(`${f.name}: not in base units`)
  if (f.type === 'HISTOGRAM' && !/_(seconds|bytes)$/.test(f.name)) problems.push(`${f.name}: a histogram without its unit`)
  return problems
}
