import { memo } from 'react'
import type { ProcessInfo } from '../../../shared/types/process'
import { formatBytes, formatPercent } from '../../../shared/format'
import { StateBadge } from './StateBadge'

interface Props {
  process: ProcessInfo
  /** Position in the sorted, filtered list (0-based). */
  index: number
}

function ProcessRowView({ process: p, index }: Props) {
  return (
    <tr aria-rowindex={index + 2} className={index % 2 === 1 ? 'odd' : undefined}>
      <td className="numeric">{p.pid}</td>
      <td className={p.kernelThread ? 'name kernel' : 'name'} title={p.exe ?? p.name}>
        {p.name}
      </td>
      <td className="user" title={p.user}>
        {p.user}
      </td>
      <td>
        <StateBadge state={p.state} />
      </td>
      <td className="numeric">{formatPercent(p.cpuPercent)}</td>
      <td className="numeric" title={`${formatBytes(p.memoryBytes)} resident (${formatPercent(p.memoryPercent)} of memory)`}>
        {formatBytes(p.memoryBytes)}
      </td>
      <td className={p.kernelThread ? 'command kernel' : 'command'} title={p.command}>
        {p.command}
      </td>
    </tr>
  )
}

/** Snapshots bring new objects every refresh: compare what is drawn, not identity. */
function sameRow(a: Props, b: Props): boolean {
  const x = a.process
  const y = b.process
  return (
    a.index === b.index &&
    x.pid === y.pid &&
    x.name === y.name &&
    x.exe === y.exe &&
    x.user === y.user &&
    x.state === y.state &&
    x.kernelThread === y.kernelThread &&
    x.cpuPercent === y.cpuPercent &&
    x.memoryBytes === y.memoryBytes &&
    x.memoryPercent === y.memoryPercent &&
    x.command === y.command
  )
}

export const ProcessRow = memo(ProcessRowView, sameRow)
