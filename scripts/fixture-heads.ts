/**
 * Look at heads all the way round: for each portrait, run `headforge generate` (draft unless
 * --quality) and render its head.ply at 16 azimuths (every 22.5 deg) at elevation 0 and at 20 deg
 * above, next to the preprocessed input, into one sheet per portrait.
 *   npx tsx scripts/fixture-heads.ts [portrait ...] [--out docs/heads] [--quality draft] [--head-model DIR]
 * Without portraits: every fixture in ../shared/fixtures/portraits. The runs stay under
 * <out>/runs/ (ignored by git) so a sheet can be re-rendered without re-running.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { orbitCamera } from '../src/shared/camera';
import { decodeSplat } from '../src/shared/splat';
import { renderCloud, toRgba8 } from '../src/engine/raster';
import sharp from 'sharp';
import { gridImage, readRgba } from '../src/engine/image-io';
import { compositeOnWhite } from '../src/shared/metrics/alignment';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const outDir = path.resolve(flag('--out', path.join(ROOT, 'docs', 'heads')));
const quality = flag('--quality', 'draft');
const headModel = flag('--head-model', path.resolve(ROOT, '../shared/head-models/ict-facekit'));
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
const fixtureDir = path.resolve(ROOT, '../shared/fixtures/portraits');
const inputs = positional.length ? positional.map((p) => path.resolve(p)) : fs.readdirSync(fixtureDir).filter((f) => /\.(png|jpe?g)$/i.test(f)).sort().map((f) => path.join(fixtureDir, f));
const TILE = 128;

for (const input of inputs) {
  const name = path.basename(input).replace(/\.[a-z]+$/i, '');
  const runOut = path.join(outDir, 'runs', name);
  const t0 = Date.now();
  if (!fs.existsSync(path.join(runOut, 'head.ply'))) {
    fs.rmSync(runOut, { recursive: true, force: true });
    execFileSync('npx', ['tsx', path.join(ROOT, 'src/cli/index.ts'), 'generate', input, '--quality', quality, '--head-model', headModel, '--out', runOut, '--library', path.join(outDir, 'runs', '.library')], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const cloud = decodeSplat(new Uint8Array(fs.readFileSync(path.join(runOut, 'head.ply'))), 'head.ply');
  const tiles = [];
  for (const elevation of [0, 20]) {
    tiles.push(compositeOnWhite(await readRgba(path.join(runOut, 'preprocess', 'crop512.png'))));
    for (let k = 0; k < 16; k++) {
      tiles.push(toRgba8(renderCloud(cloud, orbitCamera(k * 22.5, elevation, TILE), { background: [1, 1, 1] }), { opaque: true }));
    }
  }
  const resized = await Promise.all(tiles.map(async (t) => (t.width === TILE ? t : downsample(t, TILE))));
  // JPEG: these sheets live in docs/ (a PNG of two 17-tile rows is ~0.8 MB).
  const sheet = gridImage(resized, 17);
  const file = path.join(outDir, `${name}.jpg`);
  await sharp(Buffer.from(sheet.data.buffer, sheet.data.byteOffset, sheet.data.byteLength), { raw: { width: sheet.width, height: sheet.height, channels: 4 } })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 85 })
    .toFile(file);
  console.log(`${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s -> ${path.relative(ROOT, file)}`);
}

/** Box-filter an RGBA image down to size x size. */
function downsample(img: { width: number; height: number; data: Uint8ClampedArray | Uint8Array }, size: number) {
  const out = new Uint8ClampedArray(size * size * 4);
  const f = img.width / size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0, 0];
      let n = 0;
      for (let yy = Math.floor(y * f); yy < Math.floor((y + 1) * f); yy++) {
        for (let xx = Math.floor(x * f); xx < Math.floor((x + 1) * f); xx++) {
          const i = (yy * img.width + xx) * 4;
          for (let c = 0; c < 4; c++) acc[c] += img.data[i + c];
          n++;
        }
      }
      for (let c = 0; c < 4; c++) out[(y * size + x) * 4 + c] = acc[c] / n;
    }
  }
  return { width: size, height: size, data: out };
}
