import { useEffect, useId, useRef, useState } from 'react'

interface Props {
  title: string
  body: string
  confirmLabel: string
  onConfirm: (dontAskAgain: boolean) => void
  onCancel: () => void
}

/**
 * Asks before a destructive action: a modal alert dialog (the page behind
 * is inert; Escape cancels) whose action button has the focus, so Delete
 * then Enter terminates, and Escape or Cancel does nothing. "Don't ask
 * again" turns the question off (settings.ui.confirmDestructive).
 */
export function ConfirmDialog({ title, body, confirmLabel, onConfirm, onCancel }: Props) {
  const dialog = useRef<HTMLDialogElement>(null)
  const confirm = useRef<HTMLButtonElement>(null)
  const [dontAsk, setDontAsk] = useState(false)
  const titleId = useId()
  const bodyId = useId()
  const checkId = useId()

  useEffect(() => {
    const el = dialog.current
    if (!el) return
    if (!el.open) el.showModal()
    confirm.current?.focus()
    return () => {
      if (el.open) el.close()
    }
  }, [])

  return (
    <dialog
      ref={dialog}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      className="confirm"
      onCancel={(e) => {
        e.preventDefault()
        onCancel()
      }}
      // Keys typed here (Delete, T, arrows) are not the process list's.
      onKeyDown={(e) => e.stopPropagation()}
    >
      <h2 id={titleId} className="confirm-title">
        {title}
      </h2>
      <p id={bodyId} className="confirm-body">
        {body}
      </p>
      <div className="confirm-check">
        <input id={checkId} type="checkbox" checked={dontAsk} onChange={(e) => setDontAsk(e.target.checked)} />
        <label htmlFor={checkId}>Don’t ask again</label>
      </div>
      <div className="confirm-buttons">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button ref={confirm} type="button" className="button danger" onClick={() => onConfirm(dontAsk)}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  )
}
