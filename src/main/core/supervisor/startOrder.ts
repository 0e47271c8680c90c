import type { Program } from '../../../shared/supervisor/program'

/**
 * Dependency order over a set of programs (the registry refuses cycles, so
 * every walk here ends): who depends on a program, and the waves a set is
 * stopped in, dependents before what they depend on.
 */

type Node = Pick<Program, 'name' | 'dependsOn'>

/** The programs that depend on `name`, directly or through others, up to `depth` links away. */
export function dependentsOf(name: string, programs: readonly Node[], depth = Infinity): string[] {
  const found = new Set<string>()
  let frontier = [name]
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const next: string[] = []
    for (const p of programs) {
      if (found.has(p.name) || p.name === name) continue
      if (p.dependsOn.some((d) => frontier.includes(d.name))) {
        found.add(p.name)
        next.push(p.name)
      }
    }
    frontier = next
  }
  return [...found]
}

/**
 * `programs` in stop order: each wave holds those no other remaining
 * program of the set depends on, so a wave can be stopped at once.
 * Programs for which `active` is false are left out.
 */
export function stopWaves(programs: readonly Node[], active: (name: string) => boolean): string[][] {
  let remaining = programs.filter((p) => active(p.name))
  const waves: string[][] = []
  while (remaining.length > 0) {
    const needed = new Set(remaining.flatMap((p) => p.dependsOn.map((d) => d.name)))
    const wave = remaining.filter((p) => !needed.has(p.name))
    // Unreachable with the registry's cycle check; stops everything left rather than loop.
    const take = wave.length > 0 ? wave : remaining
    waves.push(take.map((p) => p.name))
    const taken = new Set(take.map((p) => p.name))
    remaining = remaining.filter((p) => !taken.has(p.name))
  }
  return waves
}
