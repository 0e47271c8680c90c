import { formatPercent } from '../../../../shared/format'
import { DetailStatus, readableOr } from './DetailStatus'
import { useProcessDetail } from './useProcessDetail'

const POLL_MS = 2000

/** Threads, read every two seconds while the tab is open: CPU % is each thread's between two readings. */
export function ThreadsTab({ pid, startTime }: { pid: number; startTime: number }) {
  const { value, error, loading, refresh } = useProcessDetail('getThreads', pid, startTime, POLL_MS)
  const list = value?.permitted ? value.value : undefined
  const basis = list?.cpuBasis === 'interval' ? 'CPU % of one core over the last 2 s' : 'CPU % of one core over each thread’s life'
  return (
    <>
      <DetailStatus what="threads" loading={loading && !list} error={error} summary={list && `${list.threads.length} threads · ${basis}`} onRefresh={refresh} />
      {readableOr(value, ({ threads }) => (
        <table className="detail-table" aria-label="Threads">
          <thead>
            <tr>
              <th className="num">TID</th>
              <th>Name</th>
              <th>State</th>
              <th className="num">CPU</th>
            </tr>
          </thead>
          <tbody>
            {threads.map((t) => (
              <tr key={t.tid}>
                <td className="num">{t.tid}</td>
                <td className="mono">{t.name}</td>
                <td>{t.state}</td>
                <td className="num">{formatPercent(t.cpuPercent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </>
  )
}
