import { useId, type ReactNode } from 'react'
import { issuesAt, type FieldIssues } from './programForm'

interface Props {
  label: string
  /** The program's field path: its problems show here. */
  path: string
  issues: FieldIssues
  hint?: string
  children: (id: string, describedBy: string | undefined, invalid: boolean) => ReactNode
  className?: string
}

/** A labelled input with its hint and the problems of its field path, read out with it. */
export function Field({ label, path, issues, hint, children, className }: Props) {
  const id = useId()
  const problems = issuesAt(issues, path)
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [hint ? hintId : '', problems.length ? errorId : ''].filter(Boolean).join(' ') || undefined
  return (
    <div className={`field${problems.length ? ' invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id, describedBy, problems.length > 0)}
      {hint && (
        <div id={hintId} className="field-hint">
          {hint}
        </div>
      )}
      {problems.length > 0 && (
        <div id={errorId} className="field-error" data-field={path}>
          {problems.join('; ')}
        </div>
      )}
    </div>
  )
}

/** The props of a text or number input inside a Field. */
export function inputProps(id: string, describedBy: string | undefined, invalid: boolean) {
  return { id, 'aria-describedby': describedBy, 'aria-invalid': invalid || undefined }
}
