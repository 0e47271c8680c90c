import { useEffect, useState } from 'react'

/** The time, ticking every `everyMs` while `on` (countdowns and uptimes); still otherwise. */
export function useNow(on: boolean, everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!on) return
    // Ticks on the second, so every countdown on the page changes together.
    let timer: ReturnType<typeof setTimeout>
    const tick = () => {
      setNow(Date.now())
      timer = setTimeout(tick, everyMs - (Date.now() % everyMs) + 5)
    }
    timer = setTimeout(tick, 0)
    return () => clearTimeout(timer)
  }, [on, everyMs])
  return now
}
