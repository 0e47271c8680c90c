import type { ReactNode } from 'react'
import type { Readable } from '../../../../shared/details/types'

interface Props {
  /** What the tab reads, for its messages: "open files". */
  what: string
  loading: boolean
  error: Error | undefined
  /** A one-line summary of what is shown ("42 open, 1 deleted"). */
  summary?: ReactNode
  onRefresh: () => void
}

/** A details tab's first row: what it shows, a Refresh button, and what went wrong if anything did. */
export function DetailStatus({ what, loading, error, summary, onRefresh }: Props) {
  return (
    <>
      <div className="detail-bar">
        <span className="detail-summary" aria-live="polite">
          {summary ?? (loading ? `Reading ${what}…` : '')}
        </span>
        <button type="button" className="button small" onClick={onRefresh} disabled={loading} aria-label={`Refresh ${what}`}>
          Refresh
        </button>
      </div>
      {error && (
        <p className="details-note" role="alert">
          Could not read the {what}: {error.message}
        </p>
      )}
    </>
  )
}

/** The value of an answer that may be refused; the refusal shown as a note. */
export function readableOr<T>(answer: Readable<T> | undefined, render: (value: T) => ReactNode): ReactNode {
  if (!answer) return null
  if (!answer.permitted) return <p className="details-note">{answer.reason}</p>
  return render(answer.value)
}
