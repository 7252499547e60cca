// Lint rules that keep the layering honest: shared/ is the pure engine and types, so the
// I/O libraries (Kubernetes client, MongoDB, koa, simple-git) may only be used by agent/ and plugin/,
// and the plugin never reaches into the agent. The one exception is shared/node/: Node-side adapters
// that the agent and the plugin both need (Kubernetes REST, rendering, Git file listing). They may do
// I/O; the pure parts of shared/ never import them.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const ioLibraries = [
  '@kubernetes/client-node',
  'mongodb',
  'koa',
  '@koa/*',
  'simple-git',
  'prom-client',
  'pino',
  'ink',
  'react',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test/cluster/go/**', 'agent/image/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    // Type-aware: a promise nobody awaits or handles, or one passed where a void callback is
    // expected (an event handler, setInterval), loses its rejection. One TypeScript program for
    // the whole repository (projectService), so the full lint stays about a minute.
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'suite', 'test'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // The Ink browser's components and hooks: the rules of hooks, complete effect dependencies,
    // and the React Compiler's checks (no state set during render, pure renders, refs read in
    // effects only). Applied to the plugin's UI only: nothing else uses React.
    files: ['plugin/ui/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
      // Two compiler checks do not fit this app, which React Compiler does not compile: the
      // latest-value refs in views/app.tsx are written during render on purpose (key presses
      // arrive faster than renders and must fold over the newest state), and ages are measured
      // against the clock at render time (purity: Date.now()).
      'react-hooks/refs': 'off',
      'react-hooks/purity': 'off',
    },
  },
  {
    files: ['shared/**/*.{ts,tsx}'],
    ignores: ['shared/node/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ioLibraries, message: 'shared/ is pure: I/O libraries belong in agent/ or plugin/.' },
            {
              group: [
                'node:fs',
                'node:fs/*',
                'node:net',
                'node:http',
                'node:https',
                'node:child_process',
                'fs',
                'net',
                'http',
                'child_process',
              ],
              message: 'shared/ does no I/O.',
            },
            {
              group: ['**/agent/**', '**/plugin/**'],
              message: 'Dependencies run plugin -> shared <- agent.',
            },
            { group: ['**/node/**'], message: 'The pure shared code never imports the Node-side adapters.' },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/node/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/agent/**', '**/plugin/**'],
              message: 'Dependencies run plugin -> shared <- agent.',
            },
            {
              group: ['ink', 'react', 'koa', '@koa/*', 'mongodb'],
              message: 'shared/node/ holds adapters only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['plugin/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/agent/**'], message: 'The plugin talks to the agent over HTTP only.' }] },
      ],
    },
  },
  {
    files: ['agent/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/plugin/**'], message: 'The agent never imports the plugin.' }] },
      ],
    },
  },
  // Test kits (store contract suites, seeds, fixtures, benches) live under test/ or in *.testkit.ts;
  // product code never imports them. A second rule name, so the layering rules above still apply.
  {
    files: ['agent/**/*.{ts,tsx}', 'shared/**/*.{ts,tsx}', 'plugin/**/*.{ts,tsx}', 'bin/**'],
    ignores: ['**/*.test.{ts,tsx}', '**/*.testkit.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/test/**', '**/*.testkit', '**/*.testkit.*'],
              message: 'Product code never imports test code.',
            },
          ],
        },
      ],
    },
  },
);
