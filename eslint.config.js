// One lint preset for every workspace. Dependencies point one way:
// apps → persistence, messaging, service-kit → contracts, domain; domain imports only contracts.
// (Later blocks win for the same rule, so the narrow package rules come last.)
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const io = ['@nestjs/*', 'typeorm', 'pg', '@nats-io/*', 'node:fs', 'node:net', 'node:http', 'express', 'nestjs-pino'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='parseFloat']", message: 'Money is bigint msat; never parse it as a float.' },
      ],
    },
  },
  {
    files: ['packages/**/*.ts'],
    ignores: ['packages/testing/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@bkpr/ingest-gateway', '@bkpr/ledger', '@bkpr/reconciler', '@bkpr/reporting'], message: 'packages never import apps.' }] }],
    },
  },
  {
    files: ['packages/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...io, '@bkpr/*', '!@bkpr/contracts'], message: 'domain is pure: it imports only @bkpr/contracts.' }] }],
    },
  },
  {
    files: ['packages/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...io, '@bkpr/*'], message: 'contracts depends on nothing of ours and does no I/O.' }] }],
    },
  },
);
