/**
 * What no training view sees keeps the seeds (shared/gaussians/out-of-view.ts): after optimisation,
 * trained Gaussians pushed out of every frame are dropped and the seeds out of every frame come back,
 * so the chest below a bust's crop is the completed proxy's, not a scatter of stray stripes and skin.
 */
import { describe, expect, it } from 'vitest';
import { orbitCamera } from '../../src/shared/camera';
import { allocateCloud, type GaussianCloud } from '../../src/shared/gaussians/cloud';
import { reseedOutOfView, seenBy, seenMask } from '../../src/shared/gaussians/out-of-view';

/** A cloud with one Gaussian per point, its colour (shDC red) = `tag` + index so rows can be traced. */
function cloudAt(points: [number, number, number][], tag: number, shDegree: 0 | 1 = 0): GaussianCloud {
  const c = allocateCloud(points.length, shDegree);
  points.forEach((p, i) => {
    c.positions.set(p, i * 3);
    c.shDC[i * 3] = tag + i;
    c.scales.set([-5, -5, -5], i * 3);
    c.opacities[i] = 2;
  });
  return c;
}

// Two level cameras on the orbit (front and side), 64 px: the head at the origin is in both frames,
// a point 1 unit below it in neither (the default lens sees about +-0.13 units at the orbit radius).
const cams = [orbitCamera(0, 0, 64), orbitCamera(90, 0, 64)];
const IN = [0, 0.02, 0] as [number, number, number];
const BELOW = [0, -1, 0] as [number, number, number];

describe('seenBy', () => {
  it('sees the head centre and not a point far below the frames, nor one behind the camera', () => {
    expect(seenBy(cams[0], ...IN)).toBe(true);
    expect(seenBy(cams[0], ...BELOW)).toBe(false);
    // Behind the front camera (beyond its centre, away from the head): projects, but z < near.
    expect(seenBy(cams[0], 0, 0, 100)).toBe(false);
    expect(Array.from(seenMask(cloudAt([IN, BELOW], 0), cams))).toEqual([1, 0]);
  });
});

describe('reseedOutOfView', () => {
  it('keeps the trained Gaussians the views see, drops the strays, and puts the unseen seeds back', () => {
    const seeds = cloudAt([IN, BELOW, [0.3, -1.2, 0]], 100, 1);
    // Trained: one seen (from seed 0), one pushed out of the frames (from seed 0), one split child seen (from seed 2).
    const trained = cloudAt([[0.01, 0, 0], [0, -0.9, 0.05], [-0.01, 0.01, 0]], 0, 1);
    trained.shRest.fill(0.25);
    const out = reseedOutOfView(trained, Int32Array.from([0, 0, 2]), seeds, cams);
    expect(out.dropped).toBe(1);
    expect(out.restored).toBe(2);
    expect(out.cloud.count).toBe(4);
    // Rows: trained 0 and 2, then seeds 1 and 2 (their own lineage).
    expect(Array.from(out.cloud.shDC.filter((_, k) => k % 3 === 0))).toEqual([0, 2, 101, 102]);
    expect(Array.from(out.lineage)).toEqual([0, 2, 1, 2]);
    // The trained keep their view-dependent colour; the seeds come back as they were (none).
    expect(Array.from(out.cloud.shRest.subarray(0, 18)).every((v) => v === 0.25)).toBe(true);
    expect(Array.from(out.cloud.shRest.subarray(18)).every((v) => v === 0)).toBe(true);
    expect(Array.from(out.cloud.positions.subarray(9, 12))).toEqual([0.30000001192092896, -1.2000000476837158, 0]);
    for (const buf of [out.cloud.positions, out.cloud.scales, out.cloud.rotations, out.cloud.opacities, out.cloud.shDC, out.cloud.shRest])
      expect(buf.every(Number.isFinite)).toBe(true);
  });

  it('changes nothing when every Gaussian is in view', () => {
    const seeds = cloudAt([IN], 100);
    const trained = cloudAt([IN, [0.02, 0, 0]], 0);
    const out = reseedOutOfView(trained, Int32Array.from([0, 0]), seeds, cams);
    expect(out.dropped + out.restored).toBe(0);
    expect(Array.from(out.cloud.positions)).toEqual(Array.from(trained.positions));
  });

  it('refuses a lineage of the wrong length and seeds of another SH degree', () => {
    const seeds = cloudAt([IN, BELOW], 100);
    expect(() => reseedOutOfView(cloudAt([IN], 0), new Int32Array(2), seeds, cams)).toThrow(/lineage has 2 rows/);
    expect(() => reseedOutOfView(cloudAt([IN], 0, 1), new Int32Array(1), seeds, cams)).toThrow(/SH degree/);
  });
});
