import { buildSync } from 'esbuild'
import { createHash } from 'node:crypto'
import { join } from 'node:path'

/**
 * The 1 Hz child runs as plain JavaScript, like the built app: under tsx an
 * idle Node process alone costs about 0.7 % of a core (plain Node: 0.03 %),
 * which would be charged to Proctor. Written under node_modules/.cache so
 * packages resolve.
 */
export function bundleOneHz(repoRoot: string): string {
  return bundleBenchScript(repoRoot, 'oneHz')
}

/** bench/NAME.ts (or `entry`, relative to the repository) as one plain JavaScript file NAME.js; its path. */
export function bundleBenchScript(repoRoot: string, name: string, entry = join('bench', `${name}.ts`)): string {
  // A folder per checkout: worktrees share one node_modules, and one's bundle must not replace another's mid-run.
  const checkout = createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)
  const outdir = join(repoRoot, 'node_modules', '.cache', 'proctor-bench', checkout)
  buildSync({
    entryPoints: { [name]: join(repoRoot, entry) },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  })
  return join(outdir, `${name}.js`)
}
