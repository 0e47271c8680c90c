import { z } from 'zod'

/**
 * Imported first by main.tsx, before anything builds a zod schema. Zod
 * compiles fast object parsers with `new Function`, and probes for it when a
 * schema is created; the window's CSP (script-src 'self') forbids eval, and
 * Chromium reports even the caught probe as a CSP violation. Jitless zod
 * skips the probe and parses the same, a little slower.
 */
z.config({ jitless: true })
