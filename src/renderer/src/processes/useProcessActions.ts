import { useCallback, useEffect, useRef, useState } from 'react'
import type { ErrorInfo } from '../../../shared/errors'
import { ProctorError } from '../../../shared/errors'
import type { MenuContext } from '../../../shared/process/menu'
import { api } from '../api'
import { ACTIONS, confirmation, runAction, describeError, describeResult, isDestructive, who, type ActionRequest, type Confirmation } from '../../../shared/process/actions'
import { processKey } from './identity'
import type { Toasts } from '../hooks/useToasts'

export type LastError = NonNullable<MenuContext['lastError']>

export interface ProcessActions {
  /** Runs an action, after asking when it is destructive (and the user has not turned that off). */
  request: (request: ActionRequest) => void
  /** The question being asked, if any. */
  pending: (Confirmation & { request: ActionRequest }) | undefined
  confirm: (dontAskAgain: boolean) => void
  cancel: () => void
  /** Per process (identity key): the last action refused with PERMISSION_DENIED where elevation is possible. */
  lastErrors: ReadonlyMap<string, LastError>
}

interface Options {
  confirmDestructive: boolean
  /** "Don't ask again" was checked. */
  onStopAsking: () => void
  toasts: Toasts
}

/** A running action's toast appears only if it takes longer than this (terminate may wait 5 s). */
const PROGRESS_AFTER_MS = 400

function errorInfo(err: unknown): ErrorInfo {
  if (err instanceof ProctorError) return err.toInfo()
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) }
}

/**
 * Process actions over the contract, each carrying the identity the user
 * saw; destructive ones ask first; every one ends in a toast saying what
 * happened, and a failure says what the user can do (with "Retry as
 * administrator" where elevation is possible).
 */
export function useProcessActions({ confirmDestructive, onStopAsking, toasts }: Options): ProcessActions {
  const [pending, setPending] = useState<ActionRequest | undefined>(undefined)
  const [lastErrors, setLastErrors] = useState<ReadonlyMap<string, LastError>>(() => new Map())
  const { show, update } = toasts
  const requestRef = useRef<(r: ActionRequest) => void>(() => {})

  const run = useCallback(
    async (request: ActionRequest) => {
      const { process: p } = request
      let progressId: number | undefined
      const timer = setTimeout(() => {
        progressId = show({ tone: 'info', title: `${ACTIONS[request.action].progress} ${who(p)}…`, sticky: true })
      }, PROGRESS_AFTER_MS)
      let outcome
      let refused: ErrorInfo | undefined
      try {
        const report = await runAction(api, request)
        const result = report.results[0]
        outcome = result ? describeResult(request, result) : describeError(request, { code: 'INTERNAL', message: 'the host returned no result' })
        if (result && !result.ok) refused = result.error
      } catch (err) {
        refused = errorInfo(err)
        outcome = describeError(request, refused)
      } finally {
        clearTimeout(timer)
      }
      const key = processKey(p)
      const elevatable = refused?.code === 'PERMISSION_DENIED' && refused.details?.elevationPossible === true && !request.elevate
      setLastErrors((map) => {
        if (!elevatable && !map.has(key)) return map
        const next = new Map(map)
        if (elevatable && refused) {
          next.set(key, {
            ...refused,
            action: request.action,
            ...(request.priority !== undefined ? { value: request.priority } : {}),
            ...(request.signal !== undefined ? { signal: request.signal } : {}),
          })
        }
        else next.delete(key)
        return next
      })
      const toast = {
        tone: outcome.tone,
        title: outcome.title,
        ...(outcome.detail ? { detail: outcome.detail } : {}),
        ...(outcome.hint ? { hint: outcome.hint } : {}),
        ...(outcome.canElevate ? { action: { label: 'Retry as administrator', run: () => requestRef.current({ ...request, elevate: true }) } } : {}),
      }
      if (progressId !== undefined) update(progressId, toast)
      else show(toast)
    },
    [show, update],
  )

  const request = useCallback(
    (r: ActionRequest) => {
      if (confirmDestructive && isDestructive(r)) setPending(r)
      else void run(r)
    },
    [confirmDestructive, run],
  )
  useEffect(() => {
    requestRef.current = request
  }, [request])

  const confirm = useCallback(
    (dontAskAgain: boolean) => {
      const r = pending
      setPending(undefined)
      if (dontAskAgain) onStopAsking()
      if (r) void run(r)
    },
    [pending, onStopAsking, run],
  )
  const cancel = useCallback(() => setPending(undefined), [])

  return { request, pending: pending ? { ...confirmation(pending), request: pending } : undefined, confirm, cancel, lastErrors }
}
