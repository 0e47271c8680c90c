import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ProctorMetrics } from '../../../src/main/core/metrics/proctorMetrics'

/** The families /metrics exports, with the series names a histogram adds. */
function exportedNames(): Set<string> {
  const metrics = new ProctorMetrics({
    version: 'test',
    adapterSetting: () => 'auto',
    supervisor: { overview: () => { throw new Error('not read: only the names are') } },
    pools: { overview: () => { throw new Error('not read') }, histograms: () => [] },
    broker: { overview: () => { throw new Error('not read') } },
  })
  const names = new Set<string>()
  for (const m of metrics.registry.getMetricsAsArray()) {
    names.add(m.name)
    if (String(m.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${m.name}${suffix}`)
  }
  metrics.close()
  return names
}

interface Panel {
  type: string
  title: string
  datasource?: { uid: string }
  targets?: Array<{ expr: string; refId: string }>
}

const dashboard = JSON.parse(readFileSync(resolve(__dirname, '../../../resources/grafana/proctor-dashboard.json'), 'utf8')) as { uid: string; title: string; panels: Panel[] }
const queried = dashboard.panels.filter((p) => p.type !== 'row')

describe('the Grafana dashboard in resources/grafana', () => {
  const exported = exportedNames()
  const used = queried.flatMap((p) => (p.targets ?? []).flatMap((t) => t.expr.match(/\bproctor_[a-z0-9_]+/g) ?? []))

  it('queries only metrics that /metrics exports', () => {
    expect(used.length).toBeGreaterThan(0)
    expect(used.filter((name) => !exported.has(name))).toEqual([])
  })

  it('shows every family /metrics exports somewhere', () => {
    const families = [...exported].filter((name) => !/_(bucket|sum|count)$/.test(name) || !exported.has(name.replace(/_(bucket|sum|count)$/, '')))
    const shown = (family: string) => used.some((name) => name === family || name.replace(/_(bucket|sum|count)$/, '') === family)
    expect(families.filter((family) => !shown(family))).toEqual([])
  })

  it('is importable: a uid, and every panel with a Prometheus query through the dashboard’s data source', () => {
    expect(dashboard.uid).toBe('proctor-overview')
    for (const p of queried) {
      expect(p.datasource?.uid, p.title).toBe('${datasource}')
      expect(p.targets?.length, p.title).toBeGreaterThan(0)
    }
  })
})
