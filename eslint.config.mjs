// Flat config shared by every project; each project's `lint` target runs `eslint src`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The apps' packages. */
const APP_NAMES = ['@lnsgd/cli', '@lnsgd/parameter-server', '@lnsgd/worker', '@lnsgd/metrics', '@lnsgd/bench'];
/** The apps' packages and any subpath of them. */
const APPS = APP_NAMES.flatMap((n) => [n, `${n}/*`]);
/** Build output and sources of a workspace package. */
const DEEP_IMPORT = {
  group: ['@lnsgd/*/dist', '@lnsgd/*/dist/*', '@lnsgd/*/src', '@lnsgd/*/src/*', '@lnsgd/*/generated/*'],
  message: "Import a package's entry point or a subpath in its package.json `exports`, not its dist/ or src/.",
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js', '**/*.mjs', '**/*.cjs', 'deploy/**', 'libs/transport/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // An un-awaited ZeroMQ send or file write loses errors silently.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-params': ['error', 3],
    },
  },
  {
    // Package boundaries (every package.json has an `exports` map, so node and tsc refuse
    // anything else too): a package is entered through its entry point or a subpath it
    // exports, never its build output or sources.
    files: ['**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [DEEP_IMPORT] }] },
  },
  {
    // Apps are processes, not libraries: an app never imports another (shared code lives in libs/).
    files: ['apps/**/*.ts'],
    ignores: ['apps/bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [DEEP_IMPORT, { group: APPS, message: 'An app never imports another app: move the shared code into a lib.' }] },
      ],
    },
  },
  {
    // The bench spawns the CLI and the apps as processes; it imports none of them.
    files: ['apps/bench/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: APP_NAMES.map((name) => ({ name, message: 'An app never imports another app: move the shared code into a lib.' })),
          patterns: [DEEP_IMPORT, { group: APP_NAMES.map((n) => `${n}/*`), message: 'An app never imports another app: move the shared code into a lib.' }],
        },
      ],
    },
  },
  {
    // Libraries report through return values, events and injected loggers, never stdout.
    files: ['libs/**/*.ts'],
    ignores: ['libs/**/*.test.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: [DEEP_IMPORT, { group: APPS, message: 'Libraries never import apps.' }] }],
    },
  },
  {
    // Tests may use console and loose numeric helpers.
    files: ['**/*.test.ts', 'tests/**/*.ts'],
    rules: { 'max-params': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
