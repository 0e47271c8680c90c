import { expect, openProctor, test } from './fixtures'
import { processTable, processTree, rowOf, searchBox, spawnFamily, treeItemOf } from './processPage'

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
