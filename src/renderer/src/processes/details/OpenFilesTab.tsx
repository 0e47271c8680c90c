import type { OpenFile } from '../../../../shared/details/types'
import { DetailStatus, readableOr } from './DetailStatus'
import { useProcessDetail } from './useProcessDetail'

const TYPE_LABELS: Record<OpenFile['type'], string> = {
  file: 'file',
  dir: 'folder',
  pipe: 'pipe',
  socket: 'socket',
  anon_inode: 'anon inode',
  char: 'char device',
  block: 'block device',
  link: 'link',
  other: 'other',
}

/** Every open descriptor: fd, mode, type and path; a deleted file (space freed only once it is closed) marked. */
export function OpenFilesTab({ pid, startTime }: { pid: number; startTime: number }) {
  const { value, error, loading, refresh } = useProcessDetail('getOpenFiles', pid, startTime)
  const files = value?.permitted ? value.value : undefined
  const deleted = files?.filter((f) => f.deleted).length ?? 0
  const summary = files && `${files.length} open${deleted > 0 ? `, ${deleted} deleted` : ''}`
  return (
    <>
      <DetailStatus what="open files" loading={loading} error={error} summary={summary} onRefresh={refresh} />
      {readableOr(value, (list) => (
        <table className="detail-table" aria-label="Open files">
          <thead>
            <tr>
              <th className="num">FD</th>
              <th>Mode</th>
              <th>Type</th>
              <th>Path</th>
            </tr>
          </thead>
          <tbody>
            {list.map((f) => (
              <tr key={f.fd} className={f.deleted ? 'deleted' : undefined}>
                <td className="num">{f.fd}</td>
                <td className="mono">{f.mode ?? '–'}</td>
                <td>{TYPE_LABELS[f.type]}</td>
                <td className="mono path" title={f.path}>
                  {f.path}
                  {f.deleted && <span className="deleted-mark">deleted</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </>
  )
}
