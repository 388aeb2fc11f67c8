// Flat config shared by every project; each project's `lint` target runs `eslint src`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    // Libraries report through return values, events and injected loggers, never stdout.
    files: ['libs/**/*.ts'],
    ignores: ['libs/**/*.test.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: [{ group: ['@lnsgd/cli', '@lnsgd/parameter-server', '@lnsgd/worker', '@lnsgd/metrics'], message: 'Libraries never import apps.' }] }],
    },
  },
  {
    // Tests may use console and loose numeric helpers.
    files: ['**/*.test.ts', 'tests/**/*.ts'],
    rules: { 'max-params': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
