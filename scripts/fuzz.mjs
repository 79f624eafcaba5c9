#!/usr/bin/env node
/**
 * `npm run fuzz -- ...`: scripts/fuzz.ts (or, with --bench, scripts/fuzz-bench.ts) bundled with
 * esbuild and run as plain Node, not under tsx. Same arguments, same harness and checks; what changes
 * is the start: tsx transforms every module as it loads, and @playcanvas/splat-transform's 5.6 MB
 * bundle costs ~20 s and ~640 MB under it (plain Node: a few seconds, ~120 MB), which the compressed
 * PLY and SOG targets paid at every start. The bundle takes ~0.3 s to build; packages stay external
 * (resolved from node_modules as usual). One bundle file per process (two campaigns may start at
 * once), removed when it exits. esbuild is the one tsx itself depends on (installed with it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = process.argv.includes('--bench') ? 'fuzz-bench.ts' : 'fuzz.ts';
const outDir = path.join(root, 'node_modules', '.cache', 'headforge-fuzz');
const outfile = path.join(outDir, `${path.basename(entry, '.ts')}-${process.pid}.mjs`);
fs.mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: [path.join(root, 'scripts', entry)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
process.on('exit', () => fs.rmSync(outfile, { force: true }));
// process.argv[1] stays this file, so the scripts the targets import (make-tiny-pack: "run when
// started directly") see that they were not started.
await import(pathToFileURL(outfile).href);
