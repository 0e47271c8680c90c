import { expect, openProctor, test } from './fixtures'
import { BUSY_CHILD, IDLE_CHILD, processTable, processTree, rowOf, searchBox, spawnFamily, statusBar, treeItemOf } from './processPage'

/** The tree view on a real parent and child. */

test('the tree shows a child under its parent; collapse, expand all, subtree totals', async ({ page, proctorHost }, testInfo) => {
  const family = await spawnFamily()
  try {
    await openProctor(page, proctorHost)
    await searchBox(page).fill(family.marker)
    await expect(rowOf(page, family.child)).toHaveCount(1)

    await page.getByRole('button', { name: 'Tree', exact: true }).click()
    const tree = processTree(page)
    await expect(tree).toBeVisible()
    const parent = treeItemOf(page, family.parent)
    const child = treeItemOf(page, family.child)
    await expect(parent).toBeVisible()
    await expect(child).toBeVisible()

    // The child is one level below its parent, right after it.
    const parentLevel = Number(await parent.getAttribute('aria-level'))
    await expect(child).toHaveAttribute('aria-level', String(parentLevel + 1))
    await expect(parent).toHaveAttribute('aria-expanded', 'true')
    const items = tree.getByRole('treeitem')
    const names = await items.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')))
    const at = names.indexOf(`node, PID ${family.parent}`)
    expect(names[at + 1]).toBe(`node, PID ${family.child}`)
    // The search matched these two; their ancestors are there for context.
    expect(at).toBeGreaterThan(0)

    // Subtree totals: the parent's Σ memory is at least its own memory.
    await expect(page.getByRole('button', { name: 'Subtree memory' })).toBeVisible()
    await page.screenshot({ path: testInfo.outputPath('tree.png') })

    // Collapse the parent (Left on the selected item); its child goes; Expand all brings it back.
    await parent.click()
    await expect(parent).toHaveAttribute('aria-selected', 'true')
    await page.keyboard.press('ArrowLeft')
    await expect(parent).toHaveAttribute('aria-expanded', 'false')
    await expect(child).toHaveCount(0)
    await page.getByRole('button', { name: 'Expand all' }).click()
    await expect(child).toBeVisible()

    // The selection stays on the process, and on screen, across refreshes.
    await child.click()
    await page.waitForTimeout(2200)
    await expect(child).toHaveAttribute('aria-selected', 'true')
    await expect(child).toBeInViewport()
    await expect(tree).toHaveAttribute('aria-activedescendant', (await child.getAttribute('id')) ?? '')

    // "Show in tree" from the table finds the process in the whole tree.
    await page.getByRole('button', { name: 'Table', exact: true }).click()
    await searchBox(page).fill('')
    await rowOf(page, family.child)
      .or(processTable(page).getByRole('row').nth(1))
      .first()
      .waitFor()
    await searchBox(page).fill(family.marker)
    await rowOf(page, family.child).click({ button: 'right' })
    await page.getByRole('menuitem', { name: 'Show in tree' }).click()
    await expect(child).toHaveAttribute('aria-selected', 'true')
    await expect(child).toBeInViewport()
  } finally {
    await family.stop()
  }
})

/**
 * In the page, polling every 50 ms: once the tree item of PID shows "Exited", what the rows of
 * PARENT and PID and the status bar say at that same moment (a string: the tests compile without
 * the DOM's types).
 */
const WHEN_EXITED = `new Promise((resolve, reject) => {
  const cells = (pid) => {
    const item = [...document.querySelectorAll('[role="treeitem"]')].find((el) => el.getAttribute('aria-label').endsWith(', PID ' + pid))
    if (!item) return undefined
    return {
      state: item.querySelector('.state')?.textContent ?? '',
      cpu: item.querySelector('.barred:not(.bar-memory)')?.textContent ?? '',
      subtreeCpu: item.querySelector('.subtree')?.textContent ?? '',
    }
  }
  const started = Date.now()
  const poll = () => {
    const child = cells(PID)
    if (child && child.state === 'Exited') return resolve({ child, parent: cells(PARENT), status: document.querySelector('footer')?.textContent ?? '' })
    if (Date.now() - started > 15000) return reject(new Error('PID never showed as exited'))
    setTimeout(poll, 50)
  }
  poll()
})`

const percent = (text: string | undefined): number => Number(/(-?[\d.]+)%/.exec(text ?? '')?.[1] ?? NaN)

test('the tree counts what runs: an exited child is in no Σ CPU, and the status bar counts the same matches in the table and the tree, collapsed or not', async ({
  page,
  proctorHost,
}, testInfo) => {
  const family = await spawnFamily({ children: [IDLE_CHILD, BUSY_CHILD] })
  const [idle, busy] = family.children as [number, number]
  try {
    await openProctor(page, proctorHost)
    await searchBox(page).fill(family.marker)
    await expect(rowOf(page, busy)).toHaveCount(1)
    await expect(statusBar(page)).toContainText('Processes: 3 of')

    // The tree: the same three matches, with their ancestors shown for context.
    await page.getByRole('button', { name: 'Tree', exact: true }).click()
    const parent = treeItemOf(page, family.parent)
    await expect(treeItemOf(page, idle)).toBeVisible()
    await expect(statusBar(page)).toContainText('Processes: 3 of')
    // Collapsed, the parent still holds its two matching children (its row says so).
    await parent.click()
    await page.keyboard.press('ArrowLeft')
    await expect(parent).toHaveAttribute('aria-expanded', 'false')
    await expect(parent.locator('.tree-count')).toHaveText('2')
    await expect(statusBar(page)).toContainText('Processes: 3 of')
    await page.keyboard.press('ArrowRight')
    await expect(treeItemOf(page, busy)).toBeVisible()

    // The busy child is seen busy, then killed: while its row fades, it is in no total.
    await expect.poll(async () => percent((await treeItemOf(page, busy).locator('.barred').first().textContent()) ?? ''), { timeout: 15_000 }).toBeGreaterThan(5)
    const seen = page.evaluate(WHEN_EXITED.replace('cells(PID)', `cells(${busy})`).replace('cells(PARENT)', `cells(${family.parent})`).replace("'PID never", `'${busy} never`))
    process.kill(busy, 'SIGKILL')
    const { child, parent: parentCells, status } = (await seen) as {
      child: { cpu: string; subtreeCpu: string }
      parent: { cpu: string; subtreeCpu: string }
      status: string
    }
    await page.screenshot({ path: testInfo.outputPath('tree-exited-light.png') })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: testInfo.outputPath('tree-exited-dark.png') })
    await page.emulateMedia({ colorScheme: 'light' })
    // The exited row keeps its last CPU figure (struck through), but its Σ is no total: "–".
    expect(percent(child.cpu)).toBeGreaterThan(5)
    expect(child.subtreeCpu).toBe('–')
    // The parent's Σ is itself and its idle child: far below what the exited child last used.
    expect(percent(parentCells.subtreeCpu)).toBeLessThan(percent(parentCells.cpu) + 2)
    expect(percent(parentCells.subtreeCpu)).toBeLessThan(percent(child.cpu))
    // Two processes run and match now.
    expect(status).toContain('Processes: 2 of')

    // Collapsed while the exited row still fades: the same count.
    await parent.click()
    await page.keyboard.press('ArrowLeft')
    await expect(statusBar(page)).toContainText('Processes: 2 of')
    await page.getByRole('button', { name: 'Table', exact: true }).click()
    await expect(statusBar(page)).toContainText('Processes: 2 of')
  } finally {
    await family.stop()
  }
})
