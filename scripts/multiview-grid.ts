/**
 * Writes the weight-free 16-view grid of fixture portraits as PNGs under test-output/multiview/:
 * the input crop (top-left), then the 16 views in VIEW_AZIMUTHS_DEG order, on a grey checker so the
 * alpha is visible. The tests call `writeViewGrid`; run directly to refresh every fixture:
 *   npx tsx scripts/multiview-grid.ts [fixture-name | path/to/portrait ...] [--seed N] [--elevation DEG] [--turned AZ]
 * An argument with a '/' is read as a portrait file of your own (any portrait, not only the fixtures),
 * written as <parent folder>-<file name>-seedN.png.
 * --turned AZ uses, instead of each fixture, its weight-free head rendered at azimuth AZ (a 3/4 or
 * profile input; tests/multiview/portrait-inputs.ts loadTurnedPortrait), written as
 * turnedAZ-<fixture>-seedN.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { fileURLToPath } from 'node:url';
import type { RgbaImage } from '../src/shared/image';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const GRID_DIR = path.join(ROOT, 'test-output', 'multiview');

/** Composite straight-alpha RGBA over a light checker (shows where alpha < 1). */
function onChecker(img: RgbaImage): Buffer {
  const out = Buffer.alloc(img.width * img.height * 3);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = y * img.width + x;
      const bg = ((x >> 4) + (y >> 4)) & 1 ? 205 : 235;
      const a = img.data[i * 4 + 3] / 255;
      for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.round(img.data[i * 4 + c] * a + bg * (1 - a));
    }
  }
  return out;
}

/** Input + 16 views in a 6 x 3 grid of `tile` px cells (last cell empty); returns the PNG path. */
export async function writeViewGrid(
  name: string,
  input: RgbaImage,
  views: readonly RgbaImage[],
  tile = 256,
): Promise<string> {
  fs.mkdirSync(GRID_DIR, { recursive: true });
  const cells = [input, ...views];
  const cols = 6;
  const rows = Math.ceil(cells.length / cols);
  const composites = await Promise.all(
    cells.map(async (img, k) => ({
      input: await sharp(onChecker(img), { raw: { width: img.width, height: img.height, channels: 3 } })
        .resize(tile, tile)
        .png()
        .toBuffer(),
      left: (k % cols) * tile,
      top: Math.floor(k / cols) * tile,
    })),
  );
  const file = path.join(GRID_DIR, `${name}.png`);
  await sharp({ create: { width: cols * tile, height: rows * tile, channels: 3, background: '#ffffff' } })
    .composite(composites)
    .png()
    .toFile(file);
  return file;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (n: string) => {
    const i = args.indexOf(n);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const seed = flag('--seed') ?? 1;
  const names = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
  const { FIXTURE_PORTRAITS, cachedPreprocess, loadPreprocessed, loadTurnedPortrait } =
    await import('../tests/multiview/portrait-inputs');
  // A portrait of your own: cached under (and the grid named by) its parent folder and file name.
  const ownName = (file: string) => `${path.basename(path.dirname(path.resolve(file)))}-${path.basename(file)}`;
  const load = (file: string) =>
    file.includes('/')
      ? cachedPreprocess(ownName(file), async () => new Uint8Array(fs.readFileSync(file)))
      : loadPreprocessed(file);
  const turned = flag('--turned');
  const { generateWeightFreeViews } = await import('../src/engine/multiview/weightfree/index');
  const { fitRunHead } = await import('../src/engine/head-fit');
  for (const file of names.length ? names : FIXTURE_PORTRAITS) {
    const pre =
      turned === undefined ? await load(file) : (await loadTurnedPortrait(file, turned)).pre;
    const t0 = performance.now();
    // The run's head model ($HEADFORGE_HEAD_MODEL or the installed one) fitted as generate does.
    const { head } = await fitRunHead(pre, (m) => console.log(`  ${m}`));
    const elevationDeg = flag('--elevation') ?? pre.elevationDeg;
    const res = await generateWeightFreeViews(
      pre,
      { elevationDeg, seed, size: 512 },
      { log: (m) => console.log(`  ${m}`), head },
    );
    const prefix = turned === undefined ? '' : `turned${turned}-`;
    const out = await writeViewGrid(
      `${prefix}${(file.includes('/') ? ownName(file) : file).replace(/\.[a-z]+$/, '')}-seed${seed}`,
      pre.image512,
      res.views,
    );
    console.log(
      `${file}: ${(performance.now() - t0).toFixed(0)} ms, face ${pre.face ? 'yes' : 'no'}, elevation ${elevationDeg.toFixed(1)} -> ${out}`,
    );
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
