/**
 * Colours borrowed from the mirror side take this side's light (weightfree/mirror-shading.ts): on a
 * face lit from one side, the lit cheek borrowing the shadowed cheek's colour came out in shadow.
 */
import { describe, expect, it } from 'vitest';
import { rgbLuma } from '../../src/shared/image';
import { borrowedColour, mirrorShadingGain } from '../../src/engine/multiview/weightfree/mirror-shading';

const W = 256;
const ROWS = 64;

const LIT = [200, 170, 150];
const SHADOW = [90, 70, 60];

/**
 * An observed atlas `width` x ROWS: each texel (x, y) of rows 16..47 that `paint` gives a colour is
 * seen (weight 1), skin unless `paint` says hair.
 */
function observedAtlas(
  width: number,
  paint: (x: number, y: number) => { rgb: number[]; hair?: boolean } | null,
) {
  const n = width * ROWS;
  const colour = new Float32Array(n * 3);
  const weight = new Float32Array(n);
  const skin = new Uint8Array(n);
  for (let y = 16; y < 48; y++)
    for (let x = 0; x < width; x++) {
      const p = paint(x, y);
      if (!p) continue;
      const i = y * width + x;
      weight[i] = 1;
      skin[i] = p.hair ? 0 : 1;
      colour.set(p.rgb, i * 3);
    }
  return { colour, weight, skin };
}

/**
 * Skin seen on both halves of the atlas, columns 64..191 (the face), rows 16..47: lit (200, 170, 150)
 * on the left half, in shadow (90, 70, 60) on the right half; `hairLeft` paints hair over the left
 * half's top rows instead.
 */
function sideLit(hairLeft = false) {
  return observedAtlas(W, (x, y) => {
    if (x < 64 || x >= 192) return null;
    if (hairLeft && x < W / 2 && y < 24) return { rgb: [30, 20, 10], hair: true };
    return { rgb: x < W / 2 ? LIT : SHADOW };
  });
}

describe('mirrorShadingGain', () => {
  it("scales a colour borrowed across the face to this side's light, channel by channel", () => {
    const { colour, weight, skin } = sideLit();
    const gain = mirrorShadingGain(colour, weight, skin, W, ROWS);
    // Deep in the lit half (column 80; its partner, 175, is in shadow): the shadow's colour is
    // brought up to the light's, per channel.
    const i = 32 * W + 80;
    expect(gain[i * 3]).toBeCloseTo(200 / 90, 1);
    expect(gain[i * 3 + 2]).toBeCloseTo(150 / 60, 1);
    // Deep in the shadowed half: the lit colour is brought down, red less than blue (shadowed skin is warmer).
    const j = 32 * W + 175;
    expect(gain[j * 3]).toBeCloseTo(90 / 200, 2);
    expect(gain[j * 3 + 2]).toBeCloseTo(60 / 150, 2);
    expect(gain[j * 3]).toBeGreaterThan(gain[j * 3 + 2]);
    // On the midline both sides' light meet: no change.
    const m = 32 * W + W / 2;
    for (let c = 0; c < 3; c++) expect(Math.abs(gain[m * 3 + c] - 1)).toBeLessThan(0.35);
    expect(gain.every((g) => Number.isFinite(g) && g >= 1 / 3 - 1e-6 && g <= 3 + 1e-6)).toBe(true);
  });

  it('lets hair, not skin, say nothing about the light, and leaves an evenly lit face alone', () => {
    const lit = sideLit(true);
    const gain = mirrorShadingGain(lit.colour, lit.weight, lit.skin, W, ROWS);
    // Under the hair on the lit half, the gain still comes from the lit skin below it, not the dark hair.
    const i = 18 * W + 80;
    expect(gain[i * 3]).toBeGreaterThan(2);
    const even = sideLit();
    for (let i = 0; i < W * ROWS; i++) if (even.weight[i]) even.colour.set([200, 170, 150], i * 3);
    const flat = mirrorShadingGain(even.colour, even.weight, even.skin, W, ROWS);
    expect(flat.every((g) => Math.abs(g - 1) < 1e-4)).toBe(true);
    // Nothing seen: all ones; buffers of the wrong size are refused.
    expect(
      mirrorShadingGain(
        new Float32Array(W * ROWS * 3),
        new Float32Array(W * ROWS),
        new Uint8Array(W * ROWS),
        W,
        ROWS,
      ).every((g) => g === 1),
    ).toBe(true);
    expect(() => mirrorShadingGain(even.colour, even.weight, even.skin, W, ROWS + 1)).toThrow(RangeError);
  });
});

describe('mirrorShadingGain, a shadow seen in a patch', () => {
  it('darkens borrowed colours by how near the shadow is, not in a flat rectangle round it', () => {
    // A 512-column atlas (the head's 1024 at half size). The own (right) half sees skin in two patches,
    // as a 45-degree portrait sees its far side: lit (200, 170, 150) at the temple, rows 16..21, and in
    // shadow (90, 70, 60) on the cheek, rows 40..47, columns 400..429 for both (out of the low-pass's
    // reach of the other half); the left half, columns 64..255, the borrowed colours' source, is lit.
    const W2 = 512;
    const { colour, weight, skin } = observedAtlas(W2, (x, y) => {
      if (x < 64 || x >= 430) return null;
      const own = x >= W2 / 2;
      if (own && (x < 400 || (y >= 22 && y < 40))) return null;
      return { rgb: own && y >= 40 ? SHADOW : LIT };
    });
    const gain = mirrorShadingGain(colour, weight, skin, W2, ROWS);
    const g = (x: number, y: number) => gain[(y * W2 + x) * 3];
    // Dark at the shadow, lighter up towards the temple.
    expect(g(415, 46)).toBeLessThan(0.6);
    expect(g(415, 20)).toBeGreaterThan(0.9);
    // And smoothly: going up the column from the shadow in steps of 4 rows, the gain's steps grow and
    // then shrink (one soft shoulder). One 32 x 16 box gave flat runs and kinks (steps 0, 0.11, 0.13,
    // 0.06, 0.17, 0.08, 0: the edges of a rectangle); three passes give 0.03, 0.06, 0.10, 0.13, 0.11,
    // 0.07, 0.03.
    const steps = [44, 40, 36, 32, 28, 24, 20, 16]
      .map((y) => g(415, y))
      .slice(1)
      .map((v, k, a) => v - (k === 0 ? g(415, 44) : a[k - 1]));
    const peak = steps.indexOf(Math.max(...steps));
    const report = `steps ${steps.map((v) => v.toFixed(3)).join(', ')}`;
    for (let k = 1; k <= peak; k++) expect(steps[k], report).toBeGreaterThan(steps[k - 1]);
    for (let k = peak + 1; k < steps.length; k++) expect(steps[k], report).toBeLessThan(steps[k - 1]);
    expect(gain.every((v) => Number.isFinite(v))).toBe(true);
  });
});

describe('borrowedColour', () => {
  /** Chromaticity (r, g) of an RGB colour: its hue and saturation without its brightness. */
  const chroma = (c: ArrayLike<number>) => [c[0] / (c[0] + c[1] + c[2]), c[1] / (c[0] + c[1] + c[2])];

  it("lifts a shadow's structure to this side's light without blotches: no clipped channel, the skin's hue", () => {
    // The far cheek is lit (its light LIT), the near one in shadow; the gain is about 2.5 (warm shadow:
    // blue gains most). The shadow holds its own structure: the warm rim beside the ear (120, 62, 36)
    // and the edge of the nose's shadow (40, 30, 26).
    const shadowLight = [80, 66, 56];
    const gain = Float32Array.from(LIT, (l, c) => l / shadowLight[c]);
    const light = Float32Array.from(LIT);
    const out = [0, 0, 0];
    for (const texel of [shadowLight, [120, 62, 36], [40, 30, 26]]) {
      const colour = Float32Array.from(texel);
      borrowedColour(colour, 0, gain, light, 0, out);
      for (const v of out) {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeLessThanOrEqual(255);
      }
      // Within 0.04 of the lit skin's chromaticity and 25% of its brightness. Multiplied by the gain
      // alone the rim came out (255, 160, 96), clipped orange, and the shadow's edge at half the light.
      const [r, g] = chroma(out);
      const [lr, lg] = chroma(LIT);
      expect(Math.abs(r - lr), `${texel} -> ${out.map(Math.round)}`).toBeLessThan(0.04);
      expect(Math.abs(g - lg), `${texel} -> ${out.map(Math.round)}`).toBeLessThan(0.04);
      expect(Math.abs(rgbLuma(out, 0) / rgbLuma(LIT, 0) - 1), `${texel}`).toBeLessThan(0.25);
    }
    // The shadow's own light comes out as this side's light.
    borrowedColour(Float32Array.from(shadowLight), 0, gain, light, 0, out);
    out.forEach((v, c) => expect(v).toBeCloseTo(LIT[c], 3));
  });

  it('keeps the detail of a colour borrowed under a light much like its own', () => {
    // Gain 1.1: a freckle (150, 100, 80) on skin lit like the partner's keeps its full contrast.
    const gain = Float32Array.from([1.1, 1.1, 1.1]);
    const out = [0, 0, 0];
    borrowedColour(Float32Array.from([150, 100, 80]), 0, gain, Float32Array.from(LIT), 0, out);
    expect(out[0]).toBeCloseTo(165, 3);
    expect(out[1]).toBeCloseTo(110, 3);
    expect(out[2]).toBeCloseTo(88, 3);
  });
});
