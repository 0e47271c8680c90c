import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

/** Import rules that keep the boundaries of DESIGN.md: shared is pure, core has no electron, the renderer sees only the contract. */
const noElectron = { name: 'electron', message: 'Only the Electron edge (src/main/index.ts, src/main/desktop, src/preload) may import electron.' }
const nodePatterns = { group: ['node:*'], message: 'src/shared is pure: no Node modules.' }

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [nodePatterns] }],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require'],
    },
  },
  {
    // The tray's pure parts (icon, menu, text, png, host check) are tested without the stand-in electron module.
    files: ['src/main/core/**/*.ts', 'src/main/host/**/*.ts', 'src/main/cli/**/*.ts', 'src/main/desktop/tray/{icon,menu,text,png,host}.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            { group: ['**/main/**', '**/preload/**'], message: 'The renderer talks only to the contract (src/shared) through its api.' },
            { group: ['node:*'], message: 'The renderer runs in a browser.' },
          ],
        },
      ],
    },
  },
)
