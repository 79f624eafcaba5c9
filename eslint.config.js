import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'native/build/**', 'test-output/**', 'demo-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Layers (as VS Code's layer rule): the renderer runs in a browser page and talks to the engine only
  // through the StudioApi contract in src/shared; it never imports main, preload, engine or cli code.
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(main|preload|engine|cli)(/|$)',
              message: 'src/renderer must not import main, preload, engine or cli code: use the contracts in src/shared.',
            },
            { group: ['electron', 'electron/*', 'node:*'], message: 'src/renderer runs in a browser page: no Electron or Node APIs.' },
          ],
        },
      ],
    },
  },
  // src/shared is pure TypeScript used by the engine AND the renderer: no Node, Electron or DOM.
  {
    files: ['src/shared/**'],
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'src/shared must stay free of Node APIs.' },
            { group: ['electron', 'electron/*'], message: 'src/shared must stay free of Electron.' },
            {
              group: ['fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'zlib', 'stream', 'buffer', 'url', 'http', 'net'],
              message: 'src/shared must stay free of Node APIs.',
            },
            { group: ['react', 'react-dom', 'three', '@mui/*'], message: 'src/shared must stay free of DOM/UI libraries.' },
            {
              regex: '^(\\.\\./)+(main|preload|engine|cli|renderer)(/|$)',
              message: 'src/shared is imported by every layer: it must not import main, preload, engine, cli or renderer code.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
);
