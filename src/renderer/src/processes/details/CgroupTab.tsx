import { DetailStatus } from './DetailStatus'
import { useProcessDetail } from './useProcessDetail'

const RUNTIMES = { docker: 'Docker', podman: 'Podman', containerd: 'containerd', 'cri-o': 'CRI-O', lxc: 'LXC', kubernetes: 'Kubernetes' } as const

/** The process's control groups and, when their path shows one, its container. */
export function CgroupTab({ pid, startTime }: { pid: number; startTime: number }) {
  const { value, error, loading, refresh } = useProcessDetail('getCgroup', pid, startTime)
  const container = value?.container
  return (
    <>
      <DetailStatus
        what="control groups"
        loading={loading}
        error={error}
        summary={value && (container ? `In a ${RUNTIMES[container.runtime]} container` : 'Not in a container')}
        onRefresh={refresh}
      />
      {value && (
        <>
          {container && (
            <dl className="facts detail-totals" aria-label="Container">
              <dt>Runtime</dt>
              <dd>{RUNTIMES[container.runtime]}</dd>
              <dt>Container</dt>
              <dd className="mono" title={container.id}>
                {container.id.length === 64 ? container.id.slice(0, 12) : container.id}
              </dd>
            </dl>
          )}
          <table className="detail-table" aria-label="Control groups">
            <thead>
              <tr>
                <th className="num">ID</th>
                <th>Controllers</th>
                <th>Path</th>
              </tr>
            </thead>
            <tbody>
              {value.entries.map((e) => (
                <tr key={`${e.hierarchy}:${e.controllers.join(',')}`}>
                  <td className="num">{e.hierarchy}</td>
                  <td>{e.controllers.length > 0 ? e.controllers.join(', ') : <span className="muted">unified (v2)</span>}</td>
                  <td className="mono path" title={e.path}>
                    {e.path}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  )
}
