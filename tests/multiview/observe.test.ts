/**
 * What the portrait may paint on surfaces it sees obliquely: their colour, not their detail (a glasses
 * rim or an eye corner stretched over the side of the head is a ghost face in the 3/4 views), and not
 * the mixture at an edge between regions (cheek, ear, hair and outline within a few pixels).
 */
import { describe, expect, it } from 'vitest';
import type { PreprocessResult } from '../../src/shared/contracts/preprocess';
import { createRgba } from '../../src/shared/image';
import { broadFacing, detailTrust, edgeTrust, mirrorLead } from '../../src/engine/multiview/weightfree/observe';
import type { HeadProxy } from '../../src/engine/multiview/weightfree/proxy';
import { localSpread } from '../../src/engine/multiview/weightfree/local-spread';
import { mulberry32 } from '../../src/shared/random';
import { portraitPlane } from '../../src/engine/multiview/weightfree/portrait-plane';

const N = 512;

/** A red disc (radius 150) on a white background, matte = the disc, with a 2 px black ring at radius 100. */
function discPortrait(): PreprocessResult {
  const image512 = createRgba(N, N, [255, 255, 255, 255]);
  const matte = new Float32Array(N * N);
  for (let y = 0; y < N; y++) {
    for (let x = 0; x < N; x++) {
      const r = Math.hypot(x - N / 2, y - N / 2);
      const i = y * N + x;
      if (r > 150) continue;
      matte[i] = 1;
      const ring = Math.abs(r - 100) < 1;
      image512.data.set(ring ? [0, 0, 0] : [200, 30, 30], i * 4);
    }
  }
  const regions = new Uint8Array(N * N);
  return { image512, matte512: { width: N, height: N, data: matte }, regions } as unknown as PreprocessResult;
}

describe('observed colour at grazing angles', () => {
  it('keeps full detail facing the camera, none at grazing, and rises monotonically between', () => {
    expect(detailTrust(1)).toBe(1);
    expect(detailTrust(0.65)).toBe(1);
    expect(detailTrust(0.25)).toBe(0);
    let last = -1;
    for (let f = 0.2; f <= 1; f += 0.05) {
      const t = detailTrust(f);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
  });

  it("the colour-only portrait keeps a region's colour, drops a thin dark line, and lets no background in", () => {
    const pre = discPortrait();
    const blurred = portraitPlane(pre).colourOnly;
    const px = (x: number, y: number) => Array.from(blurred.data.slice((y * N + x) * 4, (y * N + x) * 4 + 3));
    // On the ring: the sharp portrait is black, the colour-only one is mostly the disc's red.
    const onRing = px(N / 2 + 100, N / 2);
    expect(onRing[0]).toBeGreaterThan(120);
    // Just inside the outline: still the disc's colour, not a pink blend with the white background.
    const rim = px(N / 2 + 149, N / 2);
    expect(rim[0]).toBeGreaterThan(185);
    expect(rim[1]).toBeLessThan(45);
    expect(rim[2]).toBeLessThan(45);
    expect(blurred.data.every((v) => Number.isFinite(v))).toBe(true);
  });
});

/** Slow reference of localSpread at one pixel: the box's pixels listed, mean and variance by definition. */
function spreadAt(img: { width: number; height: number; data: ArrayLike<number> }, r: number, x: number, y: number): number {
  const px: number[][] = [];
  for (let yy = Math.max(0, y - r); yy <= Math.min(img.height - 1, y + r); yy++)
    for (let xx = Math.max(0, x - r); xx <= Math.min(img.width - 1, x + r); xx++)
      px.push([0, 1, 2].map((c) => img.data[(yy * img.width + xx) * 4 + c]));
  let variance = 0;
  for (let c = 0; c < 3; c++) {
    const mean = px.reduce((s, p) => s + p[c], 0) / px.length;
    variance += px.reduce((s, p) => s + (p[c] - mean) ** 2, 0) / px.length;
  }
  return Math.sqrt(variance / 3);
}

describe('observed colour at the edges between regions', () => {
  it('localSpread matches the slow reference, edges and corners included', () => {
    const img = createRgba(37, 23, [0, 0, 0, 255]);
    const rnd = mulberry32(5);
    for (let i = 0; i < img.data.length; i++) if (i % 4 !== 3) img.data[i] = Math.floor(256 * rnd());
    for (const r of [1, 4]) {
      const fast = localSpread(img, r);
      expect(fast.every((v) => Number.isFinite(v))).toBe(true);
      for (const [x, y] of [[0, 0], [36, 22], [5, 0], [18, 11], [36, 3], [2, 20]])
        expect(fast[y * 37 + x]).toBeCloseTo(spreadAt(img, r, x, y), 3);
    }
  });

  it("a surface seen obliquely loses the portrait at an edge between regions, keeps it inside one, and one facing the camera keeps it everywhere", () => {
    // The disc portrait with its right half green: an edge between two regions down the middle.
    const pre = discPortrait();
    for (let y = 0; y < N; y++)
      for (let x = N / 2; x < N; x++) if (pre.matte512.data[y * N + x] > 0) pre.image512.data.set([30, 160, 40], (y * N + x) * 4);
    const plane = portraitPlane(pre);
    const at = (x: number, y: number) => plane.spread[y * plane.width + x + plane.left];
    const inside = at(N / 2 - 50, N / 2 + 30);
    const onEdge = at(N / 2, N / 2 + 30);
    expect(inside).toBeLessThan(1);
    expect(onEdge).toBeGreaterThan(25);
    // The outline is no edge: the colour-only portrait carries the region's colour past it.
    expect(at(N / 2 - 150, N / 2)).toBeLessThan(5);
    // Obliquely (facing 0.3): inside a region whole, on the edge nothing.
    expect(edgeTrust(0.3, inside)).toBe(1);
    expect(edgeTrust(0.3, onEdge)).toBeLessThan(0.1);
    // Face-on: the portrait is trusted whatever its edges.
    expect(edgeTrust(0.9, onEdge)).toBe(1);
    // The more obliquely an edge is seen, the less it is trusted.
    let last = 0;
    for (let f = 0.2; f <= 1; f += 0.05) {
      const t = edgeTrust(f, 20);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
  });
});

describe('which side of a turned face lends its colour to the other', () => {
  // A head atlas (W columns round the head, x < W / 2 the near side) whose near side faces the camera
  // at 0.9 and whose far side at 0.45, with a small fold on the near side (a few texels turned away:
  // facing 0.1) at column `fold`; its mirror partner is column W - 1 - fold.
  const W = 256;
  const rows = 64;
  const fold = 60;
  const facing = new Float32Array(W * rows);
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < W; x++) {
      const inFold = Math.abs(x - fold) <= 1 && Math.abs(y - rows / 2) <= 2;
      facing[y * W + x] = inFold ? 0.1 : x < W / 2 ? 0.9 : 0.45;
    }
  const turned = { turnedTo: 1 } as HeadProxy;
  const at = (f: Float32Array, x: number) => f[(rows / 2) * W + x];

  it('decides by the side, not the texel: a fold on the near side borrows nothing from the far side', () => {
    const broad = broadFacing(facing, W, rows, Math.PI);
    const partner = W - 1 - fold;
    // Texel by texel the fold reads as seen worse than its far-side partner ...
    expect(mirrorLead(turned, at(facing, fold), at(facing, partner))).toBeGreaterThan(0.9);
    // ... but broadened, the near side keeps its own colour and the far side lends it none.
    expect(mirrorLead(turned, at(broad, fold), at(broad, partner))).toBe(0);
    expect(mirrorLead(turned, at(broad, partner), at(broad, fold))).toBe(1);
    // Away from the fold the broadened facing is the side's own.
    expect(at(broad, 20)).toBeCloseTo(0.9, 5);
    expect(at(broad, W - 21)).toBeCloseTo(0.45, 5);
  });

  it('leaves a frontal face alone', () => {
    expect(mirrorLead({ turnedTo: 0 } as HeadProxy, 0.1, 0.9)).toBe(0);
  });
});
