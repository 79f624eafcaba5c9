import { beforeAll, describe, expect, it } from 'vitest';
import {
  celColours,
  celShade,
  INK_RGB,
  inkShare,
  inkMask,
  painterly,
  pencilSketch,
  stylizeImage,
  STYLE_NAMES,
} from '../../src/shared/stylize';
import { gaussianBlur, sobelMagnitude } from '../../src/shared/stylize/kernels';
import { kuwahara } from '../../src/shared/stylize/kuwahara';
import { luma, toPlanesOnWhite } from '../../src/shared/stylize/planes';
import { gaussianBlurReference, kuwaharaReference } from '../../src/shared/stylize/reference';
import type { RgbaImage } from '../../src/shared/image';
import { hstack, loadPortrait, paletteSize, savePng } from './fixture';

/** Fraction of pixels whose luma Sobel magnitude exceeds 0.25 (a visible edge). */
function edgeDensity(img: RgbaImage): number {
  const p = toPlanesOnWhite(img);
  const mag = sobelMagnitude(luma(p), img.width, img.height);
  let n = 0;
  for (const m of mag) if (m > 0.25) n++;
  return n / mag.length;
}

/**
 * Median over a grid of 5x5 windows of the local luma variance: fine texture (skin pores, stubble,
 * hair strands) that a painterly filter should flatten. The median ignores the few strong edges that
 * Kuwahara deliberately keeps.
 */
function medianLocalVariance(img: RgbaImage): number {
  const p = toPlanesOnWhite(img);
  const y = luma(p);
  const { width: w, height: h } = img;
  const vars: number[] = [];
  for (let cy = 2; cy < h - 2; cy += 3) {
    for (let cx = 2; cx < w - 2; cx += 3) {
      let s = 0;
      let s2 = 0;
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) {
          const v = y[(cy + dy) * w + cx + dx];
          s += v;
          s2 += v * v;
        }
      vars.push(s2 / 25 - (s / 25) ** 2);
    }
  }
  vars.sort((a, b) => a - b);
  return vars[vars.length >> 1];
}

function randomImage(w: number, h: number, seed: number): RgbaImage {
  let s = seed >>> 0;
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = i % 4 === 3 ? 255 : s >>> 24;
  }
  return { width: w, height: h, data };
}

describe('stylize kernels match their slow references', () => {
  it('separable Gaussian blur equals the direct 2D convolution (abs err < 1e-5)', () => {
    const img = randomImage(23, 17, 3);
    const y = luma(toPlanesOnWhite(img));
    const fast = gaussianBlur(y, 23, 17, 1.7);
    const ref = gaussianBlurReference(y, 23, 17, 1.7);
    let maxErr = 0;
    for (let i = 0; i < fast.length; i++) maxErr = Math.max(maxErr, Math.abs(fast[i] - ref[i]));
    expect(Number.isNaN(maxErr)).toBe(false);
    expect(maxErr).toBeLessThan(1e-5);
  });

  it('summed-area Kuwahara equals the direct quadrant loops exactly, for several radii', () => {
    const p = toPlanesOnWhite(randomImage(19, 14, 7));
    for (const r of [1, 2, 4]) {
      const fast = kuwahara(p, r);
      const ref = kuwaharaReference(p, r);
      for (const c of ['r', 'g', 'b'] as const) {
        for (let i = 0; i < fast[c].length; i++) expect(fast[c][i]).toBeCloseTo(ref[c][i], 6);
      }
    }
  });

  it('Kuwahara keeps a step edge sharp while removing noise on each side', () => {
    const w = 24;
    const h = 8;
    const data = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const v = (x < 12 ? 40 : 210) + (((x * 7 + y * 13) % 5) - 2) * 6;
        data.set([v, v, v, 255], (y * w + x) * 4);
      }
    const out = kuwahara(toPlanesOnWhite({ width: w, height: h, data }), 2);
    const row = 4 * w;
    expect(out.r[row + 10] * 255).toBeLessThan(60);
    expect(out.r[row + 13] * 255).toBeGreaterThan(190);
  });
});

describe('built-in 2D styles on a real portrait', () => {
  let portrait: RgbaImage;
  beforeAll(async () => {
    portrait = await loadPortrait('hq-0002-matted-rgba.png', 256);
  });

  it('strength 0 returns the input bytes for every style; bad strengths are refused', () => {
    for (const style of STYLE_NAMES) {
      const out = stylizeImage(portrait, { style, strength: 0 });
      expect(Buffer.from(out.data).equals(Buffer.from(portrait.data))).toBe(true);
      expect(() => stylizeImage(portrait, { style, strength: 1.5 })).toThrow(/strength/);
      expect(() => stylizeImage(portrait, { style, strength: Number.NaN })).toThrow(/strength/);
    }
    expect(() => stylizeImage(portrait, { style: 'oil' as never, strength: 0.5 })).toThrow(/unknown style/);
  });

  it('cel: the palette is bounded by the colour setting (+1 ink) and shrinks with strength', async () => {
    const photoColours = paletteSize(portrait);
    const soft = celShade(portrait, { strength: 0.3 });
    const hard = celShade(portrait, { strength: 1 });
    expect(photoColours).toBeGreaterThan(5000);
    expect(paletteSize(soft)).toBeLessThanOrEqual(celColours(0.3) + 1);
    expect(paletteSize(hard)).toBeLessThanOrEqual(celColours(1) + 1);
    expect(paletteSize(hard)).toBeLessThan(paletteSize(soft));
    expect(paletteSize(celShade(portrait, { strength: 0.5, colours: 4, ink: false }))).toBeLessThanOrEqual(4);
    await savePng(hstack([portrait, soft, hard]), 'cel.png');
  });

  it('cel: ink raises edge density, more with strength, and lies on the portrait edges', async () => {
    const noInk = celShade(portrait, { strength: 0.8, ink: false });
    const inked = celShade(portrait, { strength: 0.8 });
    expect(edgeDensity(inked)).toBeGreaterThan(edgeDensity(noInk) * 1.2);
    const y = luma(toPlanesOnWhite(portrait));
    const weak = inkMask(y, 256, 256, 0.2).reduce((a, b) => a + b, 0);
    const strong = inkMask(y, 256, 256, 1).reduce((a, b) => a + b, 0);
    expect(strong).toBeGreaterThan(weak * 1.5);
    // Ink pixels sit where the photo has gradients: mean input gradient under ink >> overall mean.
    const mag = sobelMagnitude(gaussianBlur(y, 256, 256, 1), 256, 256);
    const mask = inkMask(y, 256, 256, 0.5);
    let underInk = 0;
    let all = 0;
    let nInk = 0;
    for (let i = 0; i < mag.length; i++) {
      all += mag[i];
      if (mask[i]) {
        underInk += mag[i];
        nInk++;
      }
    }
    expect(underInk / nInk).toBeGreaterThan(4 * (all / mag.length));
    await savePng(hstack([noInk, inked]), 'cel-ink.png');
  });

  it('cel: on a busy photo (astronaut, 256 px) ink stays a thin line share, the face is not blotted out', async () => {
    const busy = await loadPortrait('pd-astronaut-collins.png', 256);
    const hard = celShade(busy, { strength: 1 });
    let ink = 0;
    for (let i = 0; i < hard.data.length; i += 4)
      if (hard.data[i] === Math.round(INK_RGB[0] * 255) && hard.data[i + 1] === Math.round(INK_RGB[1] * 255) && hard.data[i + 2] === Math.round(INK_RGB[2] * 255)) ink++;
    // inkShare(1) = 8% of the pixels at most (a fixed threshold inked ~25% of this photo).
    expect(ink / (256 * 256)).toBeLessThanOrEqual(inkShare(1) + 0.005);
    expect(ink / (256 * 256)).toBeGreaterThan(0.01);
    await savePng(hstack([busy, hard]), 'cel-busy.png');
  });

  it('pencil: grey graphite on mostly white paper, dark strokes on the edges', async () => {
    const sketch = pencilSketch(portrait, { strength: 1 });
    let grey = true;
    let paper = 0;
    const d = sketch.data;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) grey = false;
      if (d[i] > 220) paper++;
    }
    expect(grey).toBe(true);
    expect(paper / (d.length / 4)).toBeGreaterThan(0.5);
    expect(edgeDensity(sketch)).toBeGreaterThan(edgeDensity(portrait));
    await savePng(hstack([portrait, pencilSketch(portrait, { strength: 0.5 }), sketch]), 'pencil.png');
  });

  it('painterly: flattens local texture more as strength grows, deterministic', async () => {
    const mid = painterly(portrait, { strength: 0.4 });
    const full = painterly(portrait, { strength: 1 });
    const v0 = medianLocalVariance(portrait);
    expect(medianLocalVariance(mid)).toBeLessThan(v0 * 0.5);
    expect(medianLocalVariance(full)).toBeLessThan(medianLocalVariance(mid));
    expect(Buffer.from(painterly(portrait, { strength: 1 }).data).equals(Buffer.from(full.data))).toBe(true);
    await savePng(hstack([portrait, mid, full]), 'painterly.png');
  });
});
