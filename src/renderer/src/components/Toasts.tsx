import type { Toast } from '../hooks/useToasts'
import './toasts.css'

interface Props {
  toasts: readonly Toast[]
  onDismiss: (id: number) => void
  onHold: (held: boolean) => void
}

/** The results of actions, bottom right; each one a status message, with what to do when it failed. */
export function Toasts({ toasts, onDismiss, onHold }: Props) {
  return (
    <section
      className="toasts"
      aria-label="Notifications"
      onPointerEnter={() => onHold(true)}
      onPointerLeave={() => onHold(false)}
      onFocus={() => onHold(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) onHold(false)
      }}
    >
      {toasts.map((t) => (
        <div key={t.id} role="status" className={`toast toast-${t.tone}`}>
          <span className="toast-mark" aria-hidden="true" />
          <div className="toast-body">
            <div className="toast-title">{t.title}</div>
            {t.detail && <div className="toast-detail">{t.detail}</div>}
            {t.hint && <div className="toast-hint">{t.hint}</div>}
            {t.action && (
              <button
                type="button"
                className="toast-action"
                onClick={() => {
                  onDismiss(t.id)
                  t.action?.run()
                }}
              >
                {t.action.label}
              </button>
            )}
          </div>
          <button type="button" className="toast-close" aria-label="Dismiss notification" onClick={() => onDismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </section>
  )
}
