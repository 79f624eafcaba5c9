/**
 * Carving the body's level sections to the portrait's outline seen from above (torso-carve.ts): the
 * closed-form deepest fitting ellipse against a slow row-by-row search, the run reader's edges, and a
 * level camera left alone.
 */
import { describe, expect, it } from 'vitest';
import { carveTorso, fittingHalfDepth, runHalfExtent } from '../../src/engine/multiview/weightfree/torso-carve';
import { CROP } from '../../src/engine/multiview/weightfree/landmarks';
import type { TorsoStub } from '../../src/engine/multiview/weightfree/torso';
import { createRng } from '../../src/engine/multiview/weightfree/random';

/** Whether a section of half-width w and half-depth d fits: every row it covers is at least as wide as its ellipse there. */
function fitsSlowly(extentAt: (j: number) => number, w: number, d: number, s: number): boolean {
  const a = d * Math.abs(s);
  for (let j = -Math.floor(a); j <= Math.floor(a); j++) {
    const need = a > 0 ? w * Math.sqrt(Math.max(0, 1 - (j / a) ** 2)) : w;
    if (extentAt(j) < need - 1e-9) return false;
  }
  return true;
}

/** The deepest fitting half-depth by bisection on fitsSlowly (fitting is monotone in d). */
function deepestSlowly(extentAt: (j: number) => number, w: number, s: number, maxD: number): number {
  if (!fitsSlowly(extentAt, w, 0, s)) return 0;
  if (fitsSlowly(extentAt, w, maxD, s)) return Infinity;
  let lo = 0;
  let hi = maxD;
  for (let it = 0; it < 80; it++) {
    const mid = (lo + hi) / 2;
    if (fitsSlowly(extentAt, w, mid, s)) lo = mid;
    else hi = mid;
  }
  return lo;
}

describe('fittingHalfDepth', () => {
  it('matches the slow row-by-row search on random outlines', () => {
    const rand = createRng(7);
    for (let trial = 0; trial < 200; trial++) {
      const ext = new Map<number, number>();
      for (let j = -80; j <= 80; j++) ext.set(j, j === 0 ? 100 + 60 * rand() : 160 * rand() + (Math.abs(j) < 5 ? 60 : 0));
      const extentAt = (j: number) => ext.get(j) ?? 0;
      const w = 20 + 120 * rand();
      const s = Math.sin(((5 + 40 * rand()) * Math.PI) / 180) * (rand() < 0.5 ? -1 : 1);
      // Rows past +-80 are background: no section reaches them.
      const fast = fittingHalfDepth(extentAt, w, s, 200);
      const slow = deepestSlowly(extentAt, w, s, 80 / Math.abs(s));
      if (!Number.isFinite(slow)) expect(fast).toBeGreaterThanOrEqual(80 / Math.abs(s) - 1e-6);
      else expect(fast).toBeCloseTo(slow, 4);
    }
  });

  it('has no bound from a level camera, and none at all when its own row is too narrow', () => {
    expect(fittingHalfDepth(() => 100, 50, 0, 10)).toBe(Infinity);
    expect(fittingHalfDepth((j) => (j === 0 ? 40 : 1000), 50, 0.5, 10)).toBe(0);
  });
});

describe('runHalfExtent', () => {
  const width = 20;
  const matte = new Float32Array(width * 3);
  // Row 0: foreground columns 5..9; row 1: 0..9 (touches the left edge); row 2: background.
  for (let x = 5; x <= 9; x++) matte[x] = 1;
  for (let x = 0; x <= 9; x++) matte[width + x] = 1;
  it('reads the lesser side of the run through a column, a side at the edge going on past it', () => {
    const m = { width, left: 0, matte, openBelow: false };
    expect(runHalfExtent(m, 0, 7)).toBe(2.5);
    expect(runHalfExtent(m, 1, 7)).toBe(2.5);
    expect(runHalfExtent(m, 1, 2)).toBe(7.5);
    expect(runHalfExtent({ ...m, matte: Float32Array.from(matte).fill(1, width, 2 * width) }, 1, 7)).toBe(Infinity);
    expect(runHalfExtent(m, 2, 7)).toBe(0);
    expect(runHalfExtent(m, 0, 2)).toBe(0);
    expect(runHalfExtent(m, -1, 7)).toBe(0);
    expect(runHalfExtent(m, 3, 7)).toBe(0);
    expect(runHalfExtent({ ...m, openBelow: true }, 3, 7)).toBe(Infinity);
  });
});

describe('carveTorso', () => {
  it('leaves a level camera\'s stub as it was', () => {
    const n = 10;
    const stub: TorsoStub = {
      yTop: 0,
      rowStep: 2,
      centreX: new Float32Array(n),
      halfWidth: new Float32Array(n).fill(80),
      halfDepth: new Float32Array(n).fill(60),
      zCentre: 0,
      zSlope: 0,
      yaw: 0,
      chin: 2,
      zShift: new Float32Array(n),
      riseFrom: 2,
      tilt: 0,
      back: new Float32Array(n),
    };
    const fits = new Array<boolean>(n).fill(true);
    const all = Array.from({ length: n }, (_, k) => k);
    carveTorso(stub, { width: CROP, left: 0, matte: new Float32Array(CROP * CROP), openBelow: false }, all, 0, 100, null, fits);
    expect(fits.every(Boolean)).toBe(true);
    expect([...stub.halfWidth]).toEqual(new Array(n).fill(80));
    expect([...stub.halfDepth]).toEqual(new Array(n).fill(60));
  });
});
