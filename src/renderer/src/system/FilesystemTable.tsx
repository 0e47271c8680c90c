import { memo } from 'react'
import { filesystemSpace, type FilesystemSpace } from '../../../shared/system/filesystems'
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
                <th scope="col" className="numeric" title="Free space anyone can use">
                  Available
                </th>
                <th scope="col" className="numeric" title="Free space only the superuser can use (ext4 keeps 5 % by default)">
                  Reserved
                </th>
                <th scope="col" className="usage" title="Used of the space a user can have (used + available), as df's Use%">
                  Use
                </th>
              </tr>
            </thead>
            <tbody>
              {filesystems === undefined || filesystems.length === 0 ? (
                <tr className="empty">
                  <td colSpan={7}>{filesystems === undefined ? 'Waiting for data…' : 'No filesystems reported.'}</td>
                </tr>
              ) : (
                filesystems.map((fs) => {
                  const space = filesystemSpace(fs)
                  return (
                    <tr key={`${fs.mount}\0${fs.device}`}>
                      <td className="mount" title={`${fs.mount} (${fs.device})`}>
                        {fs.mount}
                        <span className="device">{fs.device}</span>
                      </td>
                      <td className="muted">{fs.type}</td>
                      <td className="numeric">{formatSize(space.size)}</td>
                      <td className="numeric">{formatSize(space.used)}</td>
                      <td className="numeric">{formatSize(space.available)}</td>
                      <td className={space.reserved > 0 ? 'numeric' : 'numeric muted'}>{formatSize(space.reserved)}</td>
                      <td className="usage">
                        <UsageBar space={space} mount={fs.mount} />
                      </td>
                    </tr>
                  )
                })
              )}
            </tbody>
          </table>
        </div>
      </section>
    )
  },
  (a, b) => sameFilesystems(a.filesystems, b.filesystems),
)

/**
 * The whole size as a bar: used from the left, reserved space (hatched) at
 * the right, what is available between them. The fill thus covers the
 * figure's share of the part left of the hatching, which is df's Use%.
 */
function UsageBar({ space, mount }: { space: FilesystemSpace; mount: string }) {
  const p = Math.max(0, Math.min(100, space.percent))
  const level = p >= BAD_PERCENT ? 'bad' : p >= WARN_PERCENT ? 'warn' : 'ok'
  const share = (n: number): string => `${space.size > 0 ? Math.min(100, (n / space.size) * 100) : 0}%`
  const text =
    `${formatSize(space.used)} used of ${formatSize(space.usable)} usable (${formatPercentShort(space.percent)}), ${formatSize(space.available)} available` +
    (space.reserved > 0 ? `; ${formatSize(space.reserved)} more reserved for the superuser` : '')
  return (
    <span className="fs-usage-cell" title={text}>
      <span
        className={`fs-usage-bar fs-usage-${level}`}
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(p)}
        aria-valuetext={text}
        aria-label={`${mount} used`}
      >
        <span className="fs-usage-fill" style={{ width: share(space.used) }} />
        {space.reserved > 0 && <span className="fs-usage-reserved" style={{ width: share(space.reserved) }} />}
      </span>
      <span className="figure">{formatPercentShort(space.percent)}</span>
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
