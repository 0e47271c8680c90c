import { useCallback, useEffect, useMemo, useRef, useState } from 'react'

export interface ToastInput {
  tone: 'success' | 'error' | 'info'
  title: string
  detail?: string
  /** What the user can do (errors). */
  hint?: string
  /** One button, such as "Retry as administrator". */
  action?: { label: string; run: () => void }
  /** Stays until dismissed or replaced (a running action). */
  sticky?: boolean
}

export interface Toast extends ToastInput {
  id: number
}

export interface Toasts {
  toasts: readonly Toast[]
  /** Shows a toast; returns its id. */
  show: (toast: ToastInput) => number
  /** Replaces a toast's content (a running action's toast becomes its result). */
  update: (id: number, toast: ToastInput) => void
  dismiss: (id: number) => void
  /** Stops or restarts the timers while the pointer or the focus is on the toasts. */
  hold: (held: boolean) => void
}

const LIFETIME_MS = { success: 5000, info: 5000, error: 12000 } as const
/** Older ones go when there are more. */
const MAX_TOASTS = 4

/** Transient notifications with their own timers: what each action did. */
export function useToasts(): Toasts {
  const [toasts, setToasts] = useState<Toast[]>([])
  const nextId = useRef(1)
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>())
  const held = useRef(false)
  const current = useRef<Toast[]>([])
  useEffect(() => {
    current.current = toasts
  }, [toasts])

  const dismiss = useCallback((id: number) => {
    const timer = timers.current.get(id)
    if (timer !== undefined) clearTimeout(timer)
    timers.current.delete(id)
    setToasts((list) => list.filter((t) => t.id !== id))
  }, [])

  const arm = useCallback(
    (toast: Toast) => {
      const old = timers.current.get(toast.id)
      if (old !== undefined) clearTimeout(old)
      timers.current.delete(toast.id)
      if (toast.sticky || held.current) return
      timers.current.set(
        toast.id,
        setTimeout(() => dismiss(toast.id), LIFETIME_MS[toast.tone]),
      )
    },
    [dismiss],
  )

  const show = useCallback(
    (input: ToastInput) => {
      const toast = { ...input, id: nextId.current++ }
      setToasts((list) => [...list, toast].slice(-MAX_TOASTS))
      arm(toast)
      return toast.id
    },
    [arm],
  )

  const update = useCallback(
    (id: number, input: ToastInput) => {
      const toast = { ...input, id }
      setToasts((list) => (list.some((t) => t.id === id) ? list.map((t) => (t.id === id ? toast : t)) : [...list, toast].slice(-MAX_TOASTS)))
      arm(toast)
    },
    [arm],
  )

  const hold = useCallback(
    (on: boolean) => {
      held.current = on
      if (on) {
        for (const timer of timers.current.values()) clearTimeout(timer)
        timers.current.clear()
      } else {
        for (const t of current.current) arm(t)
      }
    },
    [arm],
  )

  useEffect(() => {
    const all = timers.current
    return () => {
      for (const timer of all.values()) clearTimeout(timer)
    }
  }, [])

  return useMemo(() => ({ toasts, show, update, dismiss, hold }), [toasts, show, update, dismiss, hold])
}
