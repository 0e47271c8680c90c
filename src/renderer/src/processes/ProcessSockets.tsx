import { useEffect, useState } from 'react'
import { localEndpoint, protocolLabel, remoteEndpoint } from '../../../shared/ports/endpoint'
import type { ProcessSockets as Sockets } from '../../../shared/ports/sockets'
import type { ProcessIdentity } from '../../../shared/types/process'
import { api } from '../api'

interface Props {
  process: ProcessIdentity
  /** The snapshot's time: the list is read again every few seconds of it. */
  now: number
  /** Gone: nothing to read. */
  exited: boolean
}

/** Read again at most this often while the details are open. */
const REFRESH_MS = 3000
const MAX_ROWS = 50

/** A process's TCP, UDP and Unix sockets, in its details. */
export function ProcessSockets({ process: p, now, exited }: Props) {
  const [state, setState] = useState<{ key: string; sockets?: Sockets; error?: string } | undefined>(undefined)
  const key = `${p.pid}:${p.startTime}`
  const tick = Math.floor(now / REFRESH_MS)
  useEffect(() => {
    if (exited) return
    let live = true
    api.getProcessSockets({ pid: p.pid, startTime: p.startTime }).then(
      (sockets) => live && setState({ key, sockets }),
      (err: unknown) => live && setState({ key, error: err instanceof Error ? err.message : String(err) }),
    )
    return () => {
      live = false
    }
  }, [p.pid, p.startTime, key, tick, exited])

  const mine = state?.key === key ? state : undefined
  const sockets = mine?.sockets
  return (
    <section className="details-section process-sockets" aria-label="Sockets">
      <h3>Sockets</h3>
      {mine?.error !== undefined ? (
        <p className="muted">Could not read them: {mine.error}</p>
      ) : !sockets ? (
        <p className="muted">{exited ? 'None: the process has exited.' : 'Reading…'}</p>
      ) : !sockets.visible ? (
        <p className="muted">Another user’s process: only root may see its sockets (run Proctor as root).</p>
      ) : (
        <>
          {sockets.inet.length === 0 ? (
            <p className="muted">No TCP or UDP sockets.</p>
          ) : (
            <table className="sockets-table" aria-label="TCP and UDP sockets">
              <tbody>
                {sockets.inet.slice(0, MAX_ROWS).map((e) => (
                  <tr key={`${e.protocol}${e.family}|${e.localAddress}|${e.localPort}|${e.remoteAddress}|${e.remotePort}|${e.inode}`}>
                    <td>{protocolLabel(e)}</td>
                    <td className="mono">
                      {localEndpoint(e)}
                      {remoteEndpoint(e) && (
                        <>
                          {' '}
                          <span className="sockets-remote">→ {remoteEndpoint(e)}</span>
                        </>
                      )}
                    </td>
                    <td className="muted">{e.state}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {sockets.inet.length > MAX_ROWS && <p className="muted">and {sockets.inet.length - MAX_ROWS} more (the Ports tab lists them all)</p>}
          <h4>Unix sockets</h4>
          {sockets.unix.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <table className="sockets-table" aria-label="Unix sockets">
              <tbody>
                {sockets.unix.slice(0, MAX_ROWS).map((u) => (
                  <tr key={u.inode}>
                    <td>{u.type}</td>
                    <td className="mono">{u.path || <span className="muted">(unnamed)</span>}</td>
                    <td className="muted">{u.state}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {sockets.unix.length > MAX_ROWS && <p className="muted">and {sockets.unix.length - MAX_ROWS} more</p>}
        </>
      )}
    </section>
  )
}
