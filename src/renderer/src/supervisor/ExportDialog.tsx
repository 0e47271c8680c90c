import { useEffect, useId, useMemo, useRef } from 'react'
import { EcosystemError } from '../../../shared/ecosystem/errors'
import { systemdUnit, UNIT_PREFIX } from '../../../shared/ecosystem/systemd'
import type { Settings } from '../../../shared/settings'
import type { Program } from '../../../shared/supervisor/program'
import { restartSchedule } from '../../../shared/supervisor/schedule'
import { copyText } from '../clipboard'
import type { Toasts } from '../hooks/useToasts'

/**
 * "Export as systemd unit…": the program as a systemd user unit, written
 * by the same writer as `proctor programs export NAME --systemd`, to copy
 * and install by hand, with what the unit cannot say listed under it.
 */
export function ExportDialog({ program, health, onClose, toasts }: { program: Program; health: Settings['healthConfig']; onClose: () => void; toasts: Toasts }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const ids = { title: useId(), text: useId() }
  const unit = `${UNIT_PREFIX}${program.name}`
  const exported = useMemo(() => {
    try {
      return systemdUnit(program, { schedule: restartSchedule(program, health), header: [`Proctor's program ${program.name}, exported from the Supervisor page.`] })
    } catch (err) {
      if (err instanceof EcosystemError) return { error: err.message }
      throw err
    }
  }, [program, health])

  useEffect(() => {
    const el = dialog.current
    if (el && !el.open) el.showModal()
    return () => {
      if (el?.open) el.close()
    }
  }, [])

  const copy = (text: string, what: string) =>
    copyText(text).then(
      () => toasts.show({ tone: 'success', title: `${what} copied` }),
      (err: unknown) => toasts.show({ tone: 'error', title: 'Could not copy', detail: err instanceof Error ? err.message : String(err) }),
    )
  const enable = `systemctl --user daemon-reload && systemctl --user enable --now ${unit}`

  return (
    <dialog
      ref={dialog}
      className="export-dialog"
      aria-labelledby={ids.title}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
      onKeyDown={(e) => e.stopPropagation()}
    >
      <h2 id={ids.title}>Export {program.name} as a systemd unit</h2>
      {'error' in exported ? (
        <div className="export-failure" role="alert">
          {program.name} cannot be exported: {exported.error}
        </div>
      ) : (
        <>
          <p className="muted">
            Save it as <code>~/.config/systemd/user/{exported.fileName}</code>, then run <code>{enable}</code>. systemd then runs it instead of Proctor: remove or stop it here
            first so it does not run twice.
          </p>
          <label htmlFor={ids.text} className="export-label">
            {exported.fileName}
          </label>
          <textarea id={ids.text} className="export-text" readOnly value={exported.text} rows={16} spellCheck={false} wrap="off" />
          {exported.notes.length > 0 && (
            <>
              <h3 className="export-notes-title">Not in the unit</h3>
              <ul className="export-notes">
                {exported.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      <div className="export-buttons">
        {!('error' in exported) && (
          <>
            <button type="button" className="button" onClick={() => void copy(enable, 'Command')}>
              Copy command
            </button>
            <button type="button" className="button" onClick={() => void copy(exported.text, 'Unit')}>
              Copy unit
            </button>
          </>
        )}
        <button type="button" className="button primary" onClick={onClose} autoFocus>
          Done
        </button>
      </div>
    </dialog>
  )
}
