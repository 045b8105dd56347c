// ESLint: typescript-eslint's recommended rules (syntax only: type-aware rules would cost more
// than the 45 s the pre-stop hook allows on a busy machine) and deepclust's layers (eslint/layers.js).
// `npm run lint` also runs eslint/cycles.js (no import cycles) over the whole import graph.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import deepclust from './eslint/layers.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'docs/api/', 'runs/', 'dist/', 'out/', 'bench/out/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,js,mjs}'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.node },
    plugins: { deepclust },
    rules: {
      'deepclust/layers': 'error',
      // `_name` marks an argument an interface requires but this implementation ignores
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
