import { describe, expect, it } from 'vitest';
import { allocateCloud, SH_C0, type GaussianCloud, type ShDegree } from '../../src/shared/gaussians/cloud';
import { nearestPaletteColour, parseHexColor, restyleCloud, type Rgb } from '../../src/shared/stylize';

/** A small random cloud: colours spread over the whole gamut, some view-dependent SH. */
function randomCloud(n: number, degree: ShDegree, seed: number): GaussianCloud {
  const c = allocateCloud(n, degree);
  let s = seed >>> 0;
  const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let i = 0; i < n * 3; i++) {
    c.positions[i] = rnd() - 0.5;
    c.shDC[i] = (rnd() - 0.5) / SH_C0; // base colour in [0, 1]
  }
  for (let i = 0; i < c.shRest.length; i++) c.shRest[i] = (rnd() - 0.5) * 0.2;
  return c;
}

const baseColour = (c: GaussianCloud, i: number): Rgb =>
  [0, 1, 2].map((ch) => 0.5 + SH_C0 * c.shDC[i * 3 + ch]) as Rgb;

describe('3D restyle of Gaussian colours', () => {
  const cloud = randomCloud(500, 2, 11);
  const snapshot = cloud.shDC.slice();

  it('posterise at strength 1: at most levels^3 base colours, no view-dependent colour left', () => {
    const out = restyleCloud(cloud, { kind: 'posterize', levels: 3 });
    const colours = new Set<string>();
    for (let i = 0; i < out.count; i++)
      colours.add(
        baseColour(out, i)
          .map((v) => v.toFixed(4))
          .join(','),
      );
    expect(colours.size).toBeLessThanOrEqual(27);
    expect(colours.size).toBeGreaterThan(10);
    expect(out.shRest.every((v) => v === 0)).toBe(true);
    expect(cloud.shDC).toEqual(snapshot); // input untouched
  });

  it('palette mapping sends every Gaussian to its perceptually nearest palette colour', () => {
    const palette = ['#1b1b3a', '#e0c097', '#b85c38', '#5c3d2e'].map(parseHexColor);
    const out = restyleCloud(cloud, { kind: 'palette', palette });
    for (let i = 0; i < out.count; i++) {
      const got = baseColour(out, i);
      const want = nearestPaletteColour(baseColour(cloud, i), palette);
      for (let ch = 0; ch < 3; ch++) expect(got[ch]).toBeCloseTo(want[ch], 5);
    }
    // half strength lands half-way
    const half = restyleCloud(cloud, { kind: 'palette', palette, strength: 0.5 });
    const c0 = baseColour(cloud, 0);
    const p0 = nearestPaletteColour(c0, palette);
    expect(baseColour(half, 0)[1]).toBeCloseTo((c0[1] + p0[1]) / 2, 5);
  });

  it('saturation 0 makes every SH coefficient grey, so the head is grey from every direction', () => {
    const out = restyleCloud(cloud, { kind: 'hueSaturation', saturation: 0 });
    for (const buf of [out.shDC, out.shRest]) {
      for (let j = 0; j < buf.length; j += 3) {
        expect(buf[j + 1]).toBeCloseTo(buf[j], 5);
        expect(buf[j + 2]).toBeCloseTo(buf[j], 5);
      }
    }
  });

  it('hue rotation: 360 degrees is the identity, 3 x 120 equals 360, 120 moves red towards green', () => {
    const full = restyleCloud(cloud, { kind: 'hueSaturation', hueDeg: 360 });
    const thrice = restyleCloud(cloud, Array(3).fill({ kind: 'hueSaturation', hueDeg: 120 }));
    for (let j = 0; j < cloud.shDC.length; j++) {
      expect(full.shDC[j]).toBeCloseTo(cloud.shDC[j], 4);
      expect(thrice.shDC[j]).toBeCloseTo(cloud.shDC[j], 4);
    }
    const red = allocateCloud(1, 0);
    red.shDC.set([0.5 / SH_C0, -0.5 / SH_C0, -0.5 / SH_C0]); // colour (1, 0, 0)
    const rotated = baseColour(restyleCloud(red, { kind: 'hueSaturation', hueDeg: 120 }), 0);
    expect(rotated[1]).toBeGreaterThan(0.9);
    expect(rotated[0]).toBeLessThan(0.1);
  });

  it('tint multiplies colour per channel (white tint is the identity) and scales SH rest the same way', () => {
    const white = restyleCloud(cloud, { kind: 'tint', color: [1, 1, 1] });
    expect(Array.from(white.shDC).every((v, j) => Math.abs(v - cloud.shDC[j]) < 1e-5)).toBe(true);
    const warm = restyleCloud(cloud, { kind: 'tint', color: [1, 0.8, 0.5] });
    for (let i = 0; i < 20; i++) {
      const a = baseColour(cloud, i);
      const b = baseColour(warm, i);
      expect(b[0]).toBeCloseTo(a[0], 5);
      expect(b[2]).toBeCloseTo(a[2] * 0.5, 5);
    }
    expect(warm.shRest[2]).toBeCloseTo(cloud.shRest[2] * 0.5, 6);
  });

  it('refuses bad requests with clear errors and never produces NaN', () => {
    expect(() => restyleCloud(cloud, { kind: 'posterize', levels: 1 })).toThrow(/levels/);
    expect(() => restyleCloud(cloud, { kind: 'palette', palette: [] })).toThrow(/at least one colour/);
    expect(() => restyleCloud(cloud, { kind: 'tint', color: [2, 0, 0] })).toThrow(/tint/);
    expect(() => restyleCloud(cloud, { kind: 'posterize', levels: 4, strength: 2 })).toThrow(/strength/);
    expect(() => parseHexColor('red')).toThrow(/hex/);
    const out = restyleCloud(cloud, [
      { kind: 'hueSaturation', hueDeg: 45, saturation: 1.5 },
      { kind: 'tint', color: [0.9, 0.7, 1], strength: 0.5 },
      { kind: 'posterize', levels: 5, strength: 0.7 },
    ]);
    expect(out.shDC.some(Number.isNaN)).toBe(false);
    expect(out.shRest.some(Number.isNaN)).toBe(false);
    expect(out.positions).toEqual(cloud.positions);
  });
});
