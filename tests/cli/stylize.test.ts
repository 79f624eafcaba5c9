/**
 * `headforge stylize` through the CLI: every built-in style on a fixture portrait writes a PNG with the
 * style's measurable property, a style pack's network runs through `--style pack:NAME[/STYLE]`, a
 * head is recoloured, and every bad input exits with its code and a message that says what is wrong.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyStylePack } from '../../scripts/make-tiny-style-pack';
import { readRgba } from '../../src/engine/image-io';
import { celColours } from '../../src/shared/stylize';
import type { RgbaImage } from '../../src/shared/image';
import { decodeSplat, encodeSplat } from '../../src/shared/splat';
import { makeHeadCloud } from '../animation/head-cloud';
import { paletteSize } from '../stylize/fixture';
import { PORTRAITS, repoRoot } from './quick-run';
import { runCli } from './run-cli';

let tmp: string;
let portraitFile: string;
let portrait: RgbaImage;
let packRoot: string;
const outDir = path.join(repoRoot, 'test-output', 'cli');
/** Style packs run on the CPU here (no CUDA probe, whose failure onnxruntime logs in red). */
const CPU_ENV: NodeJS.ProcessEnv = { ...process.env, HEADFORGE_EP: 'cpu' };

/**
 * Median over 5x5 patches (every 3rd pixel) of the luma variance: the texture of a typical patch.
 * Painterly styles flatten patches into strokes while keeping edges, so the median (not the mean,
 * which edges and stroke borders dominate) is what drops.
 */
function medianPatchVariance(img: RgbaImage): number {
  const { width: w, height: h, data: d } = img;
  const y = (x: number, r: number) => 0.299 * d[(r * w + x) * 4] + 0.587 * d[(r * w + x) * 4 + 1] + 0.114 * d[(r * w + x) * 4 + 2];
  const vars: number[] = [];
  for (let cy = 2; cy < h - 2; cy += 3)
    for (let cx = 2; cx < w - 2; cx += 3) {
      let s = 0;
      let s2 = 0;
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) {
          const v = y(cx + dx, cy + dy);
          s += v;
          s2 += v * v;
        }
      vars.push(s2 / 25 - (s / 25) ** 2);
    }
  vars.sort((a, b) => a - b);
  return vars[vars.length >> 1];
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-cli-stylize-'));
  fs.mkdirSync(outDir, { recursive: true });
  // 256 px keeps the styles quick on shared cores; an opaque photo, so every pixel is measured.
  portraitFile = path.join(tmp, 'portrait.png');
  await sharp(path.join(PORTRAITS, 'pd-astronaut-collins.png')).resize(256, 256).png().toFile(portraitFile);
  portrait = await readRgba(portraitFile);
  packRoot = path.join(tmp, 'packs');
  writeTinyStylePack(path.join(packRoot, 'tiny-styles'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function stylize(style: string, strength: string, extra: string[] = []): Promise<RgbaImage> {
  const out = path.join(outDir, `stylize-${style.replace(/[:/]/g, '_')}.png`);
  const r = await runCli(['stylize', portraitFile, out, '--style', style, '--strength', strength, ...extra], CPU_ENV);
  expect(r.code, r.err).toBe(0);
  expect(r.out).toContain(`${portraitFile} -> ${out}`);
  const img = await readRgba(out);
  expect([img.width, img.height]).toEqual([256, 256]);
  return img;
}

describe('headforge stylize: built-in styles', () => {
  it('cel: the PNG holds at most the cel palette (+1 ink colour), far fewer colours than the photo', async () => {
    const img = await stylize('cel', '1');
    expect(paletteSize(portrait)).toBeGreaterThan(5000);
    expect(paletteSize(img)).toBeLessThanOrEqual(celColours(1) + 1);
  });

  it('pencil: grey graphite on mostly white paper', async () => {
    const img = await stylize('pencil', '1');
    let coloured = 0;
    let paper = 0;
    for (let i = 0; i < img.data.length; i += 4) {
      if (img.data[i] !== img.data[i + 1] || img.data[i] !== img.data[i + 2]) coloured++;
      if (img.data[i] > 220) paper++;
    }
    expect(coloured).toBe(0);
    expect(paper / (256 * 256)).toBeGreaterThan(0.5);
  });

  it('painterly: a typical patch has at most half the photo\'s texture', async () => {
    const img = await stylize('painterly', '1');
    expect(medianPatchVariance(img)).toBeLessThan(0.5 * medianPatchVariance(portrait));
  });
});

describe('headforge stylize: style packs', () => {
  it('pack:NAME runs the default style (sepia): every pixel warm-toned, R >= G >= B', async () => {
    const img = await stylize('pack:tiny-styles', '1', ['--models', packRoot]);
    let warm = 0;
    for (let i = 0; i < img.data.length; i += 4) if (img.data[i] >= img.data[i + 1] && img.data[i + 1] >= img.data[i + 2]) warm++;
    expect(warm / (256 * 256)).toBeGreaterThan(0.97);
  });

  it('pack:NAME/STYLE picks a style; HEADFORGE_MODELS is searched too', async () => {
    const out = path.join(tmp, 'cool.png');
    const r = await runCli(['stylize', portraitFile, out, '--style', 'pack:tiny-styles/cool-64'], { ...CPU_ENV, HEADFORGE_MODELS: packRoot });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('pack tiny-styles style cool-64, strength 1, 256x256, network at 64x64');
    const img = await readRgba(out);
    let blueShift = 0;
    for (let i = 0; i < img.data.length; i += 4) blueShift += img.data[i + 2] - img.data[i] - (portrait.data[i + 2] - portrait.data[i]);
    expect(blueShift / (256 * 256)).toBeGreaterThan(20);
  });
});

describe('headforge stylize: heads', () => {
  it('--saturation 0 turns every Gaussian grey, in and out as PLY', async () => {
    const head = path.join(tmp, 'head.ply');
    fs.writeFileSync(head, encodeSplat(makeHeadCloud(3000).cloud, 'ply'));
    const out = path.join(tmp, 'grey.ply');
    const r = await runCli(['stylize', head, out, '--saturation', '0']);
    expect(r.code, r.err).toBe(0);
    const cloud = decodeSplat(new Uint8Array(fs.readFileSync(out)), 'grey.ply');
    expect(cloud.count).toBe(3000);
    let spread = 0;
    for (let i = 0; i < cloud.count; i++) {
      const [r0, g0, b0] = [0, 1, 2].map((c) => cloud.shDC[i * 3 + c]);
      spread = Math.max(spread, Math.abs(r0 - g0), Math.abs(g0 - b0));
    }
    expect(spread).toBeLessThan(1e-3);
  });
});

describe('headforge stylize: bad input', () => {
  const cases: [string, () => string[], number, RegExp][] = [
    ['missing portrait: exit 2', () => [path.join(tmp, 'absent.png'), path.join(tmp, 'o.png'), '--style', 'cel'], 2, /cannot read .*absent\.png/],
    ['unknown style: exit 2', () => [portraitFile, path.join(tmp, 'o.png'), '--style', 'oil'], 2, /--style must be one of cel, pencil, painterly, or pack:NAME\[\/STYLE\]/],
    ['no style: exit 2', () => [portraitFile, path.join(tmp, 'o.png')], 2, /--style must be one of/],
    ['strength out of range: exit 2', () => [portraitFile, path.join(tmp, 'o.png'), '--style', 'cel', '--strength', '2'], 2, /--strength must be a number in \[0, 1\]/],
    ['output not PNG: exit 2', () => [portraitFile, path.join(tmp, 'o.jpg'), '--style', 'cel'], 2, /written as \.png/],
    ['portrait to splat: exit 2', () => [portraitFile, path.join(tmp, 'o.ply'), '--style', 'cel'], 2, /written as \.png/],
    ['pack not installed: exit 3', () => [portraitFile, path.join(tmp, 'o.png'), '--style', 'pack:absent', '--models', packRoot], 3, /style pack 'absent' is not installed/],
    ['unknown pack style: exit 2', () => [portraitFile, path.join(tmp, 'o.png'), '--style', 'pack:tiny-styles/oil', '--models', packRoot], 2, /has no style 'oil'; its styles are sepia, cool-64/],
    ['empty pack name: exit 2', () => [portraitFile, path.join(tmp, 'o.png'), '--style', 'pack:'], 2, /pack:NAME or pack:NAME\/STYLE/],
    ['head with --style: exit 2', () => [path.join(tmp, 'head.ply'), path.join(tmp, 'o.ply'), '--style', 'cel'], 2, /--style applies to portraits/],
    ['head with nothing to do: exit 2', () => [path.join(tmp, 'head.ply'), path.join(tmp, 'o.ply')], 2, /nothing to do/],
    ['posterize out of range: exit 2', () => [path.join(tmp, 'head.ply'), path.join(tmp, 'o.ply'), '--posterize', '40'], 2, /--posterize must be 2\.\.16/],
  ];
  it.each(cases)('%s', async (_name, argv, code, message) => {
    const r = await runCli(['stylize', ...argv()], CPU_ENV);
    expect(r.err).toMatch(message);
    expect(r.code).toBe(code);
    expect(fs.existsSync(path.join(tmp, 'o.png'))).toBe(false);
  });

  it('an invalid style pack exits 2 and lists what is wrong', async () => {
    const broken = path.join(tmp, 'broken-packs', 'tiny-styles');
    fs.cpSync(path.join(packRoot, 'tiny-styles'), broken, { recursive: true });
    fs.rmSync(path.join(broken, 'sepia.onnx'));
    const r = await runCli(['stylize', portraitFile, path.join(tmp, 'o.png'), '--style', 'pack:tiny-styles', '--models', path.dirname(broken)], CPU_ENV);
    expect(r.err).toContain('style sepia: file sepia.onnx is missing');
    expect(r.code).toBe(2);
  });
});
