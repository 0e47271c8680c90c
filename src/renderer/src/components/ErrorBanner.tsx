import { AlertIcon } from './Icons'
import './banners.css'

export interface Problem {
  key: string
  message: string
  /** Offered as a "Retry" button when the failure can be retried. */
  retry?: () => void
}

/** What went wrong, one line per problem, announced as alerts. */
export function ErrorBanner({ problems }: { problems: readonly Problem[] }) {
  if (problems.length === 0) return null
  return (
    <div className="banners">
      {problems.map((p) => (
        <div key={p.key} className="banner" role="alert">
          <AlertIcon />
          <span className="banner-message">{p.message}</span>
          {p.retry && (
            <button type="button" className="banner-action" onClick={p.retry}>
              Retry
            </button>
          )}
        </div>
      ))}
    </div>
  )
}
