import { useEffect, useId, useRef, useState } from 'react'
import './confirmDialog.css'

interface Props {
  title: string
  body: string
  confirmLabel: string
  onConfirm: (dontAskAgain: boolean) => void
  onCancel: () => void
  /** Offer "Don't ask again" (default); false for a question that must be asked every time. */
  askAgain?: boolean
}

/**
 * Asks before a destructive action: a modal alert dialog (the page behind
 * is inert; Escape cancels). The focus starts on Cancel, the safe choice,
 * as GNOME's and macOS's dialogs do for destructive actions: Delete then a
 * reflex Enter does nothing; acting takes a click on the action or Tab
 * then Enter. "Don't ask again" turns the question off
 * (settings.ui.confirmDestructive).
 */
export function ConfirmDialog({ title, body, confirmLabel, onConfirm, onCancel, askAgain = true }: Props) {
  const dialog = useRef<HTMLDialogElement>(null)
  const cancel = useRef<HTMLButtonElement>(null)
  const [dontAsk, setDontAsk] = useState(false)
  const titleId = useId()
  const bodyId = useId()
  const checkId = useId()

  // Closed before the answer is passed on: while the modal dialog is open the page behind it is
  // inert, and the caller's focus() on the list would go nowhere.
  const answer = (then: () => void) => {
    if (dialog.current?.open) dialog.current.close()
    then()
  }

  useEffect(() => {
    const el = dialog.current
    if (!el) return
    if (!el.open) el.showModal()
    // showModal() focuses the first control (the checkbox): the safe choice takes it.
    cancel.current?.focus()
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
        answer(onCancel)
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
      {askAgain && (
        <div className="confirm-check">
          <input id={checkId} type="checkbox" checked={dontAsk} onChange={(e) => setDontAsk(e.target.checked)} />
          <label htmlFor={checkId}>Don’t ask again</label>
        </div>
      )}
      <div className="confirm-buttons">
        <button ref={cancel} type="button" className="button" onClick={() => answer(onCancel)}>
          Cancel
        </button>
        <button type="button" className="button danger" onClick={() => answer(() => onConfirm(dontAsk))}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  )
}
