import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type Ref, type RefObject } from 'react'
import type { MenuEntry, MenuItem } from '../../../shared/process/menu'
import './contextMenu.css'

interface Props {
  entries: readonly MenuEntry[]
  /** Where it opens (viewport coordinates); it moves to stay on screen. */
  x: number
  y: number
  /** The menu's accessible name. */
  label: string
  onChoose: (item: MenuItem) => void
  onClose: () => void
}

/**
 * The in-page right-click menu (the desktop app pops up a native one built
 * from the same entries): role "menu" with "menuitem"s, a submenu for
 * Renice; arrows move, Right/Left open and close the submenu, Enter or
 * Space chooses, Escape or a click elsewhere closes.
 */
export function ContextMenu({ entries, x, y, label, onChoose, onClose }: Props) {
  const ref = useRef<HTMLDivElement>(null)

  // A click or right-click anywhere else closes it; so does the window losing focus or resizing.
  useEffect(() => {
    const outside = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose()
    }
    const close = () => onClose()
    document.addEventListener('pointerdown', outside, true)
    window.addEventListener('blur', close)
    window.addEventListener('resize', close)
    return () => {
      document.removeEventListener('pointerdown', outside, true)
      window.removeEventListener('blur', close)
      window.removeEventListener('resize', close)
    }
  }, [onClose])

  return (
    <MenuList
      ref={ref}
      entries={entries}
      x={x}
      y={y}
      label={label}
      onChoose={onChoose}
      onClose={onClose}
      onBack={onClose}
      autoFocus
    />
  )
}

/** One level of the menu; onClose closes every level. */
interface ListProps extends Props {
  ref?: Ref<HTMLDivElement>
  /** Closes this level (Left in a submenu, Escape). */
  onBack: () => void
  autoFocus: boolean
  /** A submenu: opens beside its parent item, on the left if there is no room on the right. */
  parentRect?: DOMRect
}

function MenuList({ ref, entries, x, y, label, onChoose, onClose, onBack, autoFocus, parentRect }: ListProps) {
  const own = useRef<HTMLDivElement | null>(null)
  const [position, setPosition] = useState({ left: x, top: y, placed: false })
  const [open, setOpen] = useState<{ id: string; rect: DOMRect; focus: boolean } | undefined>(undefined)

  // Measure, then keep it inside the window.
  useLayoutEffect(() => {
    const el = own.current
    if (!el) return
    const { width, height } = el.getBoundingClientRect()
    const vw = window.innerWidth
    const vh = window.innerHeight
    let left = x
    let top = y
    if (parentRect) {
      left = parentRect.right + width <= vw ? parentRect.right - 2 : parentRect.left - width + 2
      top = parentRect.top - 4
    }
    left = Math.max(4, Math.min(left, vw - width - 4))
    top = Math.max(4, Math.min(top, vh - height - 4))
    setPosition({ left, top, placed: true })
  }, [x, y, parentRect])

  useEffect(() => {
    if (autoFocus && position.placed) items(own.current).find((b) => b.getAttribute('aria-disabled') !== 'true')?.focus()
  }, [autoFocus, position.placed])

  const setRefs = (el: HTMLDivElement | null) => {
    own.current = el
    if (typeof ref === 'function') ref(el)
    else if (ref) (ref as RefObject<HTMLDivElement | null>).current = el
  }

  const openSubmenu = (item: MenuItem, button: HTMLElement, focus: boolean) => {
    if (!item.enabled) return
    setOpen({ id: item.id, rect: button.getBoundingClientRect(), focus })
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Keys inside the submenu are its own.
    if (e.target instanceof Element && e.target.closest('[role="menu"]') !== own.current) return
    const list = items(own.current)
    const at = list.indexOf(document.activeElement as HTMLElement)
    const move = (to: number) => list[(to + list.length) % list.length]?.focus()
    switch (e.key) {
      case 'ArrowDown':
        move(at + 1)
        break
      case 'ArrowUp':
        move(at < 0 ? list.length - 1 : at - 1)
        break
      case 'Home':
        move(0)
        break
      case 'End':
        move(list.length - 1)
        break
      case 'ArrowRight': {
        const id = list[at]?.dataset.id
        const item = entries.find((en): en is MenuItem => !('separator' in en) && en.id === id)
        if (item?.submenu && list[at]) openSubmenu(item, list[at], true)
        break
      }
      case 'ArrowLeft':
        if (parentRect) onBack()
        break
      case 'Escape':
        onBack()
        break
      case 'Tab':
        onClose()
        break
      default:
        return
    }
    e.preventDefault()
    e.stopPropagation()
  }

  return (
    <div
      ref={setRefs}
      role="menu"
      aria-label={label}
      className="menu"
      style={{ left: position.left, top: position.top, visibility: position.placed ? 'visible' : 'hidden' }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {entries.map((entry, i) => {
        if ('separator' in entry) return <div key={`sep-${i}`} role="separator" className="menu-separator" />
        const item = entry
        const expanded = open?.id === item.id
        return (
          <div key={item.id} className="menu-entry">
            <button
              type="button"
              role="menuitem"
              data-id={item.id}
              tabIndex={-1}
              aria-disabled={item.enabled ? undefined : true}
              aria-haspopup={item.submenu ? 'menu' : undefined}
              aria-expanded={item.submenu ? expanded : undefined}
              className={item.destructive ? 'menu-item destructive' : 'menu-item'}
              onClick={(e) => {
                if (!item.enabled) return
                if (item.submenu) openSubmenu(item, e.currentTarget, true)
                else onChoose(item)
              }}
              onKeyDown={(e) => {
                if (e.key !== 'Enter' && e.key !== ' ') return
                e.preventDefault()
                e.stopPropagation()
                if (!item.enabled) return
                if (item.submenu) openSubmenu(item, e.currentTarget, true)
                else onChoose(item)
              }}
              onPointerEnter={(e) => {
                e.currentTarget.focus()
                if (item.submenu) openSubmenu(item, e.currentTarget, false)
                else if (open && !expanded) setOpen(undefined)
              }}
            >
              <span className="menu-label">{item.label}</span>
              {item.submenu && (
                <span className="menu-arrow" aria-hidden="true">
                  ▸
                </span>
              )}
            </button>
            {item.submenu && expanded && open && (
              <MenuList
                entries={item.submenu}
                x={0}
                y={0}
                label={item.label}
                onChoose={onChoose}
                onClose={onClose}
                onBack={() => {
                  setOpen(undefined)
                  own.current?.querySelector<HTMLElement>(`[data-id="${CSS.escape(item.id)}"]`)?.focus()
                }}
                autoFocus={open.focus}
                parentRect={open.rect}
              />
            )}
          </div>
        )
      })}
    </div>
  )
}

function items(menu: HTMLElement | null): HTMLElement[] {
  if (!menu) return []
  return [...menu.querySelectorAll<HTMLElement>(':scope > .menu-entry > [role="menuitem"]')]
}
