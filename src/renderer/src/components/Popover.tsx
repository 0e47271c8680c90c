import { useEffect, useId, useRef, useState, type ReactNode } from 'react'
import './popover.css'

interface Props {
  /** The button's text. */
  label: string
  /** The panel's accessible name. */
  title: string
  className?: string
  icon?: ReactNode
  children: ReactNode
}

/**
 * A button that opens a small non-modal panel under it (the column chooser,
 * preferences): aria-expanded on the button; Escape or a click outside
 * closes it and gives the focus back to the button.
 */
export function Popover({ label, title, className, icon, children }: Props) {
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  const panel = useRef<HTMLDivElement>(null)
  const id = useId()

  useEffect(() => {
    if (!open) return
    const outside = (e: PointerEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', outside, true)
    panel.current?.querySelector<HTMLElement>('input, button, select')?.focus()
    return () => document.removeEventListener('pointerdown', outside, true)
  }, [open])

  return (
    <div ref={root} className={className ? `popover ${className}` : 'popover'}>
      <button
        ref={button}
        type="button"
        className="tool-button"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        {icon}
        {label}
        <span className="caret" aria-hidden="true" />
      </button>
      {open && (
        <div
          ref={panel}
          id={id}
          role="dialog"
          aria-label={title}
          className="popover-panel"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault()
              setOpen(false)
              button.current?.focus()
            }
            // The process list's keys (T, Delete, arrows) do not apply here.
            e.stopPropagation()
          }}
        >
          {children}
        </div>
      )}
    </div>
  )
}
