import { formatBytes } from '../../../../shared/format'
import { DetailStatus, readableOr } from './DetailStatus'
import { useProcessDetail } from './useProcessDetail'

const MAX_ROWS = 200

/** Memory by what is mapped (each file, heap, stack, anonymous), largest resident first, with the kernel's totals. */
export function MemoryMapsTab({ pid, startTime }: { pid: number; startTime: number }) {
  const { value, error, loading, refresh } = useProcessDetail('getMemoryMaps', pid, startTime)
  const maps = value?.permitted ? value.value : undefined
  return (
    <>
      <DetailStatus what="memory maps" loading={loading} error={error} summary={maps && `${maps.mappings.length} mapped objects`} onRefresh={refresh} />
      {readableOr(value, ({ totals, mappings }) => (
        <>
          <dl className="facts detail-totals">
            <dt>Resident</dt>
            <dd>{formatBytes(totals.rssBytes)}</dd>
            <dt>Proportional</dt>
            <dd>
              {formatBytes(totals.pssBytes)} <span className="muted">(shared pages split among their users)</span>
            </dd>
            <dt>Anonymous</dt>
            <dd>{formatBytes(totals.anonymousBytes)}</dd>
            <dt>Swapped</dt>
            <dd>{formatBytes(totals.swapBytes)}</dd>
          </dl>
          <table className="detail-table" aria-label="Memory maps">
            <thead>
              <tr>
                <th>Mapping</th>
                <th className="num">Resident</th>
                <th className="num">Swap</th>
                <th className="num">Size</th>
              </tr>
            </thead>
            <tbody>
              {mappings.slice(0, MAX_ROWS).map((m) => (
                <tr key={m.name}>
                  <td className={m.kind === 'file' ? 'mono path' : 'path'} title={m.count > 1 ? `${m.name} (${m.count} mappings)` : m.name}>
                    {m.kind === 'file' ? m.name.slice(m.name.lastIndexOf('/') + 1) : m.name}
                    {m.count > 1 && <span className="muted"> ×{m.count}</span>}
                  </td>
                  <td className="num">{formatBytes(m.rssBytes)}</td>
                  <td className="num">{m.swapBytes > 0 ? formatBytes(m.swapBytes) : '–'}</td>
                  <td className="num">{formatBytes(m.sizeBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {mappings.length > MAX_ROWS && <p className="muted">The {mappings.length - MAX_ROWS} smallest are not shown.</p>}
        </>
      ))}
    </>
  )
}
