// Lint: typescript-eslint's recommended rules plus the type-aware rules that catch lost promises
// and unhandled enum cases, React hooks rules, import cycles, and the layer fences as
// allow-lists (what each layer may import; anything else is an error). Formatting is Prettier's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/** npm packages the renderer may use: UI and client-state libraries, never Node or Electron. */
const RENDERER_PACKAGES = [
  'react',
  'react-dom',
  '@types/react',
  '@types/react-dom',
  'antd',
  '@ant-design',
  '@tanstack',
  'dayjs',
  'echarts',
  'zod',
  'decimal.js',
  '@rc-component',
  'rc-',
];
/** npm packages shared/ may use: validation and exact decimals, nothing with I/O. */
const SHARED_PACKAGES = ['zod', 'decimal.js'];
/** npm packages the central server may use: its HTTP server, database access, ids; never Electron or the desktop's store. */
const CENTRAL_PACKAGES = ['fastify', 'kysely', 'pg', '@types/pg', '@electric-sql/pglite', 'uuid', 'zod', 'decimal.js'];

const allow = (dir, ...others) => ({ target: dir, from: '.', except: [dir, ...others] });

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'native/**', 'docs/**', '.test-reports/**', 'central/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          alwaysTryTypes: true,
          noWarnOnMultipleProjects: true,
          project: ['tsconfig.json', '*/tsconfig.json'],
        }),
      ],
      // Without a parser for .ts, import-x cannot read dependencies and no-cycle sees nothing.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-console': 'off',
    },
  },
  {
    // Config files and plain scripts are outside every TypeScript project.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'import-x/no-restricted-paths': [
        'error',
        { zones: [allow('./renderer', './shared', ...RENDERER_PACKAGES.map((p) => `./node_modules/${p}`))] },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', 'better-sqlite3*', 'kysely'],
              message: 'The renderer reaches the core only through shared/api and the transport.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: [allow('./shared', ...SHARED_PACKAGES.map((p) => `./node_modules/${p}`))] }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'shared/ is pure: no Node, Electron, database or UI modules.' }] },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'localStorage', 'sessionStorage', 'Buffer'],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './electron/core',
              from: [
                './renderer',
                './node_modules/electron',
                './electron/main.ts',
                './electron/preload.ts',
                './electron/web-host.ts',
                './electron/cli',
              ],
            },
          ],
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'The core runs without Electron (web host, CLI, tests): only electron/main.ts and preload.ts import it.',
            },
          ],
        },
      ],
    },
  },
  {
    // The central server is its own program: it shares the wire contract and the catalogue
    // (shared/) with the desktop app and nothing else.
    files: ['central/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: [allow('./central', './shared', ...CENTRAL_PACKAGES.map((p) => `./node_modules/${p}`))] },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['electron', 'better-sqlite3*'], message: 'central/ runs on a server: no Electron and no desktop store.' }],
        },
      ],
    },
  },
  prettier,
);
