/**
 * Hair the portrait never showed flows from the crown as strands at the visible hair's level of detail
 * (weightfree/hair-strands.ts), instead of the portrait's hair patches tiled over the back, which read
 * as a stone or camouflage print on short grey and dark hair.
 */
import { describe, expect, it } from 'vitest';
import {
  hairDetailRms,
  hairStrandCoherence,
  MAX_STREAK,
  strandsFromResidual,
  strandStreak,
} from '../../src/engine/multiview/weightfree/hair-strands';
import { buildHeadProxy } from '../../src/engine/multiview/weightfree/build';
import { renderProxyView } from '../../src/engine/multiview/weightfree/render';
import { orbitCamera } from '../../src/shared/camera';
import type { RgbaImage } from '../../src/shared/image';
import { createRng } from '../../src/engine/multiview/weightfree/random';
import { luma, opaqueRows } from './appearance-measures';
import { loadPreprocessed } from './portrait-inputs';

const TIMEOUT = 240_000;

/** Seeded white noise [w*h*3] with standard deviation `sd`. */
function noise(w: number, h: number, sd: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: w * h * 3 }, () => (rng() - 0.5) * sd * Math.sqrt(12));
}

const rmsOf = (f: Float32Array) => Math.sqrt(f.reduce((s, v) => s + v * v, 0) / f.length);

/** Mean correlation of channel 0 between vertical (dy = 1, 0) or horizontal (0, 1) neighbours. */
function neighbourCorrelation(f: Float32Array, w: number, h: number, vertical: boolean): number {
  let sxy = 0, sxx = 0;
  for (let y = 0; y + 1 < h; y++) {
    for (let x = 0; x + 1 < w; x++) {
      const a = f[(y * w + x) * 3];
      const b = vertical ? f[((y + 1) * w + x) * 3] : f[(y * w + x + 1) * 3];
      sxy += a * b;
      sxx += a * a;
    }
  }
  return sxy / sxx;
}

/** An RGBA image whose luminance is `lum(x, y)`, and an all-ones mask. */
function greyImage(w: number, h: number, lum: (x: number, y: number) => number): { img: RgbaImage; mask: Uint8Array } {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = Math.max(0, Math.min(255, Math.round(lum(x, y))));
      data.set([v, v, v, 255], (y * w + x) * 4);
    }
  }
  return { img: { width: w, height: h, data } as RgbaImage, mask: new Uint8Array(w * h).fill(1) };
}

describe('strands from copied hair detail', () => {
  it('runs along the atlas columns (from the crown down), drops clumps larger than a strand, at the asked contrast', () => {
    const w = 128, h = 96;
    const detail = noise(w, h, 20, 3);
    // A clump: a broad bright blob that patches carry over from the portrait's hair.
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        detail[(y * w + x) * 3] += 60 * Math.exp(-((x - 64) ** 2 + (y - 48) ** 2) / (2 * 30 ** 2));
    const out = strandsFromResidual(detail, w, h, 10, 12);
    expect(out.every(Number.isFinite)).toBe(true);
    expect(rmsOf(out)).toBeCloseTo(12, 0);
    expect(neighbourCorrelation(out, w, h, true)).toBeGreaterThan(0.8);
    expect(Math.abs(neighbourCorrelation(out, w, h, false))).toBeLessThan(0.3);
    // The blob is gone: the mean over its core is a small part of its height (60).
    let core = 0, n = 0;
    for (let y = 38; y < 58; y++) for (let x = 54; x < 74; x++, n++) core += out[(y * w + x) * 3];
    expect(Math.abs(core / n)).toBeLessThan(6);
    // Curls (no streak) keep their isotropy.
    const curls = strandsFromResidual(noise(w, h, 20, 4), w, h, 0, null);
    expect(Math.abs(neighbourCorrelation(curls, w, h, true) - neighbourCorrelation(curls, w, h, false))).toBeLessThan(0.1);
  });

  it('reads strand coherence and the level of detail from the visible hair', () => {
    const stripes = greyImage(96, 96, (x, y) => 128 + 40 * Math.sin(x * 1.3 + 0.1 * y) + 5 * Math.sin(y * 7.1 + x));
    const rng = createRng(9);
    const frizz = greyImage(96, 96, () => 128 + 80 * (rng() - 0.5));
    const cStripes = hairStrandCoherence(stripes.img, stripes.mask);
    const cFrizz = hairStrandCoherence(frizz.img, frizz.mask);
    expect(cStripes).toBeGreaterThan(0.8);
    expect(cFrizz).toBeLessThan(0.35);
    expect(strandStreak(cStripes)).toBe(MAX_STREAK);
    expect(strandStreak(cFrizz)).toBeLessThan(0.3 * MAX_STREAK);
    expect(strandStreak(0)).toBe(0);
    // The detail RMS: a flat image has none; a smooth ramp little (its windows clipped at the edges lean).
    expect(hairDetailRms(greyImage(64, 64, () => 100).img, new Uint8Array(64 * 64).fill(1))).toBe(0);
    const ramp = greyImage(64, 64, (x) => 60 + 2 * x);
    expect(hairDetailRms(ramp.img, ramp.mask)).toBeLessThan(4);
    expect(hairDetailRms(frizz.img, frizz.mask)).toBeGreaterThan(15);
    expect(hairDetailRms(stripes.img, new Uint8Array(96 * 96))).toBe(0);
  });
});

/**
 * Over the top of the back view's head (rows top+4 .. 30% of its height): the ratio of horizontal to
 * vertical luminance-gradient energy (strands hanging down change across, not along them) and the
 * standard deviation of 8x8 block means (clumps and blotches).
 */
function backHairMeasures(img: RgbaImage): { anisotropy: number; blotch: number } {
  const [top, bottom] = opaqueRows(img);
  const y0 = top + 4, y1 = top + Math.round(0.3 * (bottom - top));
  const w = img.width;
  const L = (i: number) => luma(img.data[i * 4], img.data[i * 4 + 1], img.data[i * 4 + 2]);
  const opaque = (i: number) => img.data[i * 4 + 3] === 255;
  let ex = 0, ey = 0;
  for (let y = y0; y + 1 < y1; y++) {
    for (let x = 0; x + 1 < w; x++) {
      const i = y * w + x;
      if (!opaque(i)) continue;
      if (opaque(i + 1)) ex += (L(i + 1) - L(i)) ** 2;
      if (opaque(i + w)) ey += (L(i + w) - L(i)) ** 2;
    }
  }
  const blocks: number[] = [];
  for (let by = y0; by + 8 <= y1; by += 8) {
    for (let bx = 0; bx + 8 <= w; bx += 8) {
      let s = 0, n = 0;
      for (let y = by; y < by + 8; y++) {
        for (let x = bx; x < bx + 8; x++) {
          if (!opaque(y * w + x)) continue;
          s += L(y * w + x);
          n++;
        }
      }
      if (n === 64) blocks.push(s / 64);
    }
  }
  const m = blocks.reduce((a, b) => a + b, 0) / blocks.length;
  return { anisotropy: ex / ey, blotch: Math.sqrt(blocks.reduce((a, b) => a + (b - m) ** 2, 0) / blocks.length) };
}

describe('the back of short hair (azimuth 180)', () => {
  it(
    'is strands falling from the crown, not a blotchy print, on short grey and short dark hair',
    async () => {
      for (const file of ['hq-0003-matted-rgba.png', 'hq-0002-matted-rgba.png']) {
        const pre = await loadPreprocessed(file);
        const back = renderProxyView(buildHeadProxy(pre, { seed: 1 }), orbitCamera(180, pre.elevationDeg, 256));
        const m = backHairMeasures(back);
        console.log(`${file} back of head: anisotropy ${m.anisotropy.toFixed(2)}, 8-px block sd ${m.blotch.toFixed(1)}`);
        // Patches tiled over the back: anisotropy 0.89 / 0.98, block sd 10.5 / 10.3 (now ~2.2 / 3.2
        // and ~3.5-4).
        expect(m.anisotropy).toBeGreaterThan(1.6);
        expect(m.blotch).toBeLessThan(5);
      }
    },
    TIMEOUT,
  );
});
