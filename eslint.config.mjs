// ESLint: typescript-eslint's recommended rules, no import cycles, no Math.random; Prettier owns the layout.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'results/', 'test/.out/', 'lib/engine/assembly/', 'lib/engine/build/', '**/*.mjs', '**/*.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      // Layers import downwards only: a cycle is an arrow running back up. It skips `import type`; scripts/import-cycles.ts
      // (also in npm run lint) refuses those cycles too.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Every random draw goes through a seeded Rng passed in explicitly (lib/rng.ts).
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'use a seeded Rng (lib/rng.ts)' }],
      // CommonJS: require() loads modules chosen at run time (an optional backend, a registry given by path).
      '@typescript-eslint/no-require-imports': 'off',
      // Errors met at a boundary are rewritten on purpose into one message naming the input.
      'preserve-caught-error': 'off',
      // Tests match terminal escape codes.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Experiments read typed rows (Experiment<Config, Tables>): a cast there would hide a wrong column.
    files: ['lib/experiments/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }] },
  },
  {
    // A notebook's code cells, as scripts/lint-notebooks.ts hands them over (NAME.ipynb.ts): they only call the
    // library, so a cast there, as in an experiment, would hide a wrong column.
    files: ['**/*.ipynb.ts'],
    rules: { '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'never' }] },
  },
  prettier,
);
