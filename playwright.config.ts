import { defineConfig } from '@playwright/test'

/**
 * Two projects:
 * - chromium: the built renderer (out/renderer) served by the real headless
 *   host, in the system's Chromium (Playwright cannot download browsers on
 *   these machines). Each test file's fixture starts its own host; there is
 *   no webServer. Build first: `npx electron-vite build`.
 * - electron: the desktop app through Playwright's _electron; those specs
 *   skip themselves when no Electron binary is installed.
 */
const chromiumPath = process.env.PROCTOR_CHROMIUM ?? '/usr/bin/chromium'

export default defineConfig({
  reporter: 'list',
  outputDir: 'test-results',
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  projects: [
    {
      name: 'chromium',
      testDir: 'test/e2e',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        screenshot: 'only-on-failure',
        trace: 'retain-on-failure',
        launchOptions: {
          executablePath: chromiumPath,
          args: [
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
    {
      name: 'electron',
      testDir: 'test/e2e-electron',
    },
  ],
})
