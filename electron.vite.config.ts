/**
 * electron-vite build of the three Electron bundles plus the renderer that browser mode also serves.
 *
 *   out/main/index.js          Electron main (src/main/index.ts)
 *   out/main/engine-host.js    the engine's utility-process entry (src/engine/host/entry.ts), when present
 *   out/preload/index.cjs      preload: CommonJS because sandboxed preloads cannot be ES modules
 *   out/renderer/              the React studio (index.html + assets); `headforge serve` serves this folder
 *
 * `electron-vite build` only bundles: it needs no Electron binary, so CI and these machines can build.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

const root = import.meta.dirname;
const engineEntry = resolve(root, 'src/engine/host/entry.ts');

// The engine host is written alongside the shell; bundle it as soon as it exists.
const mainInputs: Record<string, string> = { index: resolve(root, 'src/main/index.ts') };
if (existsSync(engineEntry)) mainInputs['engine-host'] = engineEntry;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: mainInputs },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    // Relative asset URLs: the same build loads from file:// (Electron) and from http://127.0.0.1 (serve).
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      // three + gaussian-splats-3d + MUI make one large chunk; that is expected for a desktop app.
      chunkSizeWarningLimit: 4096,
      // Not 'assets': in browser mode /assets/<projectId>/... is the server's project-asset route.
      assetsDir: 'static',
      rollupOptions: { input: { index: resolve(root, 'src/renderer/index.html') } },
    },
  },
});
