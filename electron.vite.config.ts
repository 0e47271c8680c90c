import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // The command line, bundled: the desktop app starts `proctor daemon` with it (Electron as Node).
          cli: resolve(__dirname, 'src/main/cli/main.ts'),
        },
      },
    },
  },
  preload: {
    // The preload runs sandboxed: it cannot require node_modules, so what the
    // contract uses (zod; re2js, for the query language's regexes) is bundled in.
    build: { externalizeDeps: { exclude: ['zod', 're2js'] } },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
    plugins: [react()],
  },
})
