import { useState } from 'react'
import { ProctorError } from '../../../shared/errors'
import type { ProgramInput } from '../../../shared/supervisor/program'
import type { ProgramStatus } from '../../../shared/supervisor/status'
import { api } from '../api'
import type { Toasts } from '../hooks/useToasts'
import type { FormMode } from './ProgramFormDialog'
import { editChanges, issuesFromError, type FieldIssues } from './programForm'

async function save(mode: FormMode, program: ProgramInput, start: boolean): Promise<ProgramStatus> {
  switch (mode.kind) {
    case 'add':
      return api.addProgram({ program, start })
    case 'edit':
      return api.editProgram({ name: mode.program.name, changes: editChanges(mode.program, program) })
    case 'adopt':
      return api.adoptProcess({ pid: mode.draft.pid, startTime: mode.draft.startTime, program })
  }
}

export interface ProgramSave {
  submit: (program: ProgramInput, start: boolean) => Promise<void>
  saving: boolean
  /** The supervisor's problems with the fields, by path, until the form changes. */
  remote: FieldIssues
  clearRemote: () => void
  /** A failure no field explains. */
  failure: string | undefined
}

const NO_ISSUES: FieldIssues = new Map()

/** Saves the form's program (add, edit or adopt): a toast either way; the supervisor's refusals by field. */
export function useProgramSave(mode: FormMode, toasts: Toasts, onDone: (saved?: string) => void, onRefused: () => void): ProgramSave {
  const [remote, setRemote] = useState<FieldIssues>(NO_ISSUES)
  const [failure, setFailure] = useState<string | undefined>(undefined)
  const [saving, setSaving] = useState(false)

  const submit = async (program: ProgramInput, start: boolean) => {
    setSaving(true)
    setFailure(undefined)
    try {
      const status = await save(mode, program, start)
      toasts.show({
        tone: 'success',
        title: mode.kind === 'add' ? `Added ${status.name}` : mode.kind === 'edit' ? `Saved ${status.name}` : `${status.name} now runs under Proctor`,
        ...(mode.kind === 'edit' ? { detail: 'The changes apply from its next start.' } : {}),
      })
      onDone(status.name)
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      const issues = err instanceof ProctorError && err.code === 'INVALID_ARGUMENT' ? issuesFromError(err.details) : NO_ISSUES
      if (issues.size > 0) setRemote(issues)
      else setFailure(message)
      onRefused()
      toasts.show({ tone: 'error', title: `Could not ${mode.kind === 'edit' ? 'save' : mode.kind === 'adopt' ? 'adopt' : 'add'} ${program.name}`, detail: message })
    } finally {
      setSaving(false)
    }
  }

  return { submit, saving, remote, clearRemote: () => setRemote(NO_ISSUES), failure }
}
