import { memo } from 'react'
import type { FilesystemUsage } from '../../../shared/types/system'
import { formatPercentShort, formatSize } from './model/units'

/** Usage from which a bar turns amber, then red. */
const WARN_PERCENT = 80
const BAD_PERCENT = 90

/**
 * Mounted filesystems with a usage bar each. The engine refreshes them on a
 * slow cadence: the table renders only when a figure changes, not with
 * every sample.
 */
export const FilesystemTable = memo(
  function FilesystemTable({ filesystems }: { filesystems: readonly FilesystemUsage[] | undefined }) {
    return (
      <section className="chart-card filesystems" aria-labelledby="filesystems-title">
        <div className="chart-head">
          <h2 className="chart-title" id="filesystems-title">
            Filesystems
          </h2>
        </div>
        <div className="fs-scroll">
          <table className="fs-table" aria-labelledby="filesystems-title">
            <thead>
              <tr>
                <th scope="col">Mount</th>
                <th scope="col">Type</th>
                <th scope="col" className="numeric">
                  Size
                </th>
                <th scope="col" className="numeric">
                  Used
                </th>
                <th scope="col" className="numeric">
                  Free
                </th>
                <th scope="col" className="usage">
                  Use
                </th>
              </tr>
            </thead>
            <tbody>
              {filesystems === undefined || filesystems.length === 0 ? (
                <tr className="empty">
                  <td colSpan={6}>{filesystems === undefined ? 'Waiting for data…' : 'No filesystems reported.'}</td>
                </tr>
              ) : (
                filesystems.map((fs) => (
                  <tr key={`${fs.mount}\0${fs.device}`}>
                    <td className="mount" title={`${fs.mount} (${fs.device})`}>
                      {fs.mount}
                      <span className="device">{fs.device}</span>
                    </td>
                    <td className="muted">{fs.type}</td>
                    <td className="numeric">{formatSize(fs.sizeBytes)}</td>
                    <td className="numeric">{formatSize(fs.usedBytes)}</td>
                    <td className="numeric">{formatSize(fs.availableBytes)}</td>
                    <td className="usage">
                      <UsageBar percent={fs.percent} label={`${fs.mount} used`} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
      </section>
    )
  },
  (a, b) => sameFilesystems(a.filesystems, b.filesystems),
)

function UsageBar({ percent, label }: { percent: number; label: string }) {
  const p = Number.isFinite(percent) ? Math.max(0, Math.min(100, percent)) : 0
  const level = p >= BAD_PERCENT ? 'bad' : p >= WARN_PERCENT ? 'warn' : 'ok'
  return (
    <span className="fs-usage-cell">
      <span
        className={`fs-usage-bar fs-usage-${level}`}
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(p)}
        aria-label={label}
      >
        <span className="fs-usage-fill" style={{ width: `${p}%` }} />
      </span>
      <span className="figure">{formatPercentShort(percent)}</span>
    </span>
  )
}

/** Same mounts with the same figures: nothing to redraw. */
export function sameFilesystems(a: readonly FilesystemUsage[] | undefined, b: readonly FilesystemUsage[] | undefined): boolean {
  if (a === b) return true
  if (!a || !b || a.length !== b.length) return false
  return a.every((x, i) => {
    const y = b[i]!
    return (
      x.mount === y.mount &&
      x.device === y.device &&
      x.type === y.type &&
      x.sizeBytes === y.sizeBytes &&
      x.usedBytes === y.usedBytes &&
      x.availableBytes === y.availableBytes &&
      x.percent === y.percent
    )
  })
}
