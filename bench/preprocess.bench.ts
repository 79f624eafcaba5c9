/**
 * Preprocessing wall time: model load (once per process), a 512x512 portrait with a background
 * (segmentation runs) and a 24-megapixel JPEG (6000x4000, decode with shrink-on-load).
 * Targets (issue 4): 512 portrait < 2 s, 24 MP JPEG < 4 s on the 2-core CI machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { timeMs, type Bench } from './harness';
import { preprocessPortrait } from '../src/engine/preprocess/index';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const portraits = path.resolve(repoRoot, '../shared/fixtures/portraits');

export const benches: Bench[] = [
  {
    name: 'preprocess',
    async run() {
      const outdoor = fs.readFileSync(path.join(portraits, 'fl-002-outdoor.png'));
      const t0 = performance.now();
      await preprocessPortrait(outdoor); // first call loads every model
      const firstMs = performance.now() - t0;
      const ms512 = await timeMs(() => preprocessPortrait(outdoor), 5, 1);
      const big = await sharp(outdoor)
        .resize(4000, 4000)
        .extend({ left: 1000, right: 1000, background: '#c8d2dc' })
        .jpeg({ quality: 90 })
        .toBuffer();
      const ms24 = await timeMs(() => preprocessPortrait(big), 3, 1);
      return [
        { name: 'preprocess first call (incl. model load), 512 px', value: Math.round(firstMs), unit: 'ms' },
        { name: 'preprocess 512x512 portrait (segmentation)', value: Math.round(ms512), unit: 'ms' },
        { name: 'preprocess 24 MP JPEG (6000x4000)', value: Math.round(ms24), unit: 'ms' },
      ];
    },
  },
];
