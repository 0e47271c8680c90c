import fc from 'fast-check'

/** The run's seed: PROCTOR_SEED replays a run, else a new one (each test prints the one it used). */
export function runSeed(): number {
  const given = process.env.PROCTOR_SEED
  if (given === undefined) return Date.now() % 2 ** 31
  const seed = Number(given)
  if (!Number.isSafeInteger(seed)) throw new Error(`PROCTOR_SEED must be an integer, not "${given}"`)
  return seed
}

const CHUNK = 1000

/** Numbers in [0, 1) drawn from fast-check's generator: one seed, one sequence. */
export function seededRandom(seed: number): () => number {
  let chunk = 0
  let drawn: number[] = []
  let next = 0
  return () => {
    if (next >= drawn.length) {
      drawn = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { numRuns: CHUNK, seed: seed + chunk++ })
      next = 0
    }
    return drawn[next++]! / 2 ** 31
  }
}
