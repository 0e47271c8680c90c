/** Copies text: the async clipboard where the page may use it, else the old selection trick. */
export async function copyText(text: string): Promise<void> {
  try {
    if (navigator.clipboard) {
      await navigator.clipboard.writeText(text)
      return
    }
  } catch {
    // Not allowed here (no focus, a permission): fall back.
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.appendChild(area)
  const focused = document.activeElement as HTMLElement | null
  area.select()
  const ok = document.execCommand('copy')
  area.remove()
  focused?.focus()
  if (!ok) throw new Error('the clipboard is not available')
}
