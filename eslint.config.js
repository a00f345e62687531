import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/.cache/', '.lockout/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setImmediate: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // jsforce is imported in exactly one place: src/org (architecture.md).
    files: ['src/**/*.ts'],
    ignores: ['src/org/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'jsforce', message: 'Only src/org imports jsforce.' }], patterns: ['jsforce/*'] },
      ],
    },
  },
  {
    // Rules are pure: they never print, read files or touch the network (style.md, trufflehog).
    files: ['src/scan/rules/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:fs', 'fs', 'node:http', 'node:https', 'jsforce'] }],
    },
  },
  {
    files: ['bench/**', 'bin/**', 'test/**', '*.js', '*.mjs'],
    rules: { 'no-console': 'off' },
  },
);
