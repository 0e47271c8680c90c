import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // At least two files at once, on two cores too: most tests wait on real processes, sockets and
    // timers rather than compute (the whole suite: 252 s with one worker, 144 s with two, here).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // The Electron edge, against the stand-in electron module in test/fakes.
        resolve: { alias: { electron: resolve(import.meta.dirname, 'test/fakes/electron.ts') } },
        test: {
          name: 'edge',
          include: ['test/edge/**/*.test.ts'],
          environment: 'node',
          // Real engines and child processes, as in integration: a loaded 2-core machine needs the room.
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // Faults, load, bad input and time across the whole of Proctor: a fast subset here,
        // the long versions with `npm run test:reliability` (PROCTOR_RELIABILITY=full).
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          environment: 'node',
          // Memory figures are taken after full collections.
          execArgv: ['--expose-gc'],
          testTimeout: process.env.PROCTOR_RELIABILITY === 'full' ? 3_600_000 : 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
