/**
 * The head fit recovers a known head: landmarks made by posing the model (random identity, a few
 * expressions, a known rotation, distance and lens) and projecting it, with pixel noise, come back as
 * the same pose, lens and shape. Correspondences here are synthetic (random points on the narrow
 * face) so the test checks the solver, not the detector; the real correspondences are tested in
 * tests/head-model.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fitLandmarks, poseAngles } from '../../src/engine/head-fit';
import { basisPoints, landmarkBasis } from '../../src/engine/head-fit/landmark-basis';
import { mul3x3, rotX, rotY } from '../../src/engine/head-fit/linalg';
import type { HeadModel } from '../../src/engine/head-model';
import { orbitCamera } from '../../src/shared/camera';
import { mulberry32 } from '../../src/shared/random';
import { sharedHeadModel } from './shared-model';

let model: HeadModel;

const rng = mulberry32;

beforeAll(async () => {
  const real = await sharedHeadModel();
  // Synthetic correspondences on front-facing triangles of the narrow face.
  const rnd = rng(7);
  const landmarkTriangles = new Int32Array(478).fill(-1);
  const landmarkBarycentrics = new Float32Array(478 * 3);
  for (let i = 0; i < 468; i++) {
    let t: number;
    do t = Math.floor(rnd() * 12000);
    while (real.neutral[real.triangles[t * 3] * 3 + 2] < 4 || real.triangles[t * 3] >= 6706);
    landmarkTriangles[i] = t;
    const a = rnd();
    const b = rnd() * (1 - a);
    landmarkBarycentrics.set([a, b, 1 - a - b], i * 3);
  }
  model = { ...real, landmarkTriangles, landmarkBarycentrics };
}, 300_000);

/**
 * Landmarks [478*3] of a random head (40 identity modes, a few expressions) turned by `yaw` and
 * `pitch` (degrees), seen by a camera of crop field of view `fov` at the distance that keeps the head's
 * size in the crop, with +-1 px noise; R and t are the truth (model -> OpenCV camera, cm).
 */
function posedLandmarks(yaw: number, pitch: number, fov: number): { lm: Float32Array; R: Float64Array; t: number[] } {
  const rnd = rng(yaw * 7 + pitch * 13 + fov);
  const b = landmarkBasis(model, { identityCount: 40 });
  const alpha = Array.from({ length: 40 }, () => (rnd() - 0.5) * 2);
  const beta = b.expressionIndex.map(() => (rnd() < 0.1 ? rnd() * 0.5 : 0));
  const pts = basisPoints(b, alpha, beta);
  const R = mul3x3(
    new Float64Array([1, 0, 0, 0, -1, 0, 0, 0, -1]),
    mul3x3(rotY((yaw * Math.PI) / 180), rotX((pitch * Math.PI) / 180)),
  );
  const f = 256 / Math.tan((fov * Math.PI) / 360);
  // The distance that makes the head the same size in the crop whatever the lens.
  const t = [1, -2, (f * 18) / 300];
  const lm = new Float32Array(478 * 3);
  for (let l = 0; l < b.count; l++) {
    const p = pts.subarray(l * 3, l * 3 + 3);
    const q = [0, 1, 2].map((r) => R[r * 3] * p[0] + R[r * 3 + 1] * p[1] + R[r * 3 + 2] * p[2] + t[r]);
    lm[b.ids[l] * 3] = (f * q[0]) / q[2] + 256 + (rnd() - 0.5) * 2;
    lm[b.ids[l] * 3 + 1] = (f * q[1]) / q[2] + 256 + (rnd() - 0.5) * 2;
  }
  return { lm, R, t };
}

describe('fitLandmarks', () => {
  // [name, yaw, pitch, crop fovy, whether the face is turned too far for the fit to choose the lens]
  const cases: [string, number, number, number, boolean][] = [
    ['frontal, portrait lens', 0, 0, 25, false],
    ['turned a little, from above, long lens', 15, 12, 12, false],
    ['3/4 from above, long lens', 30, 12, 12, true],
    ['turned away, from below, wide lens', -45, -10, 40, true],
  ];
  for (const [name, yaw, pitch, fov, turned] of cases) {
    it(`recovers pose, lens and landmarks: ${name}`, () => {
      const { lm, R } = posedLandmarks(yaw, pitch, fov);
      const r = fitLandmarks(model, lm);
      const truth = poseAngles(R);
      expect(Math.abs(r.fit.yawDeg - truth.yawDeg)).toBeLessThan(4);
      expect(Math.abs(r.fit.pitchDeg - truth.pitchDeg)).toBeLessThan(3);
      expect(Math.abs(r.fit.rollDeg - truth.rollDeg)).toBeLessThan(2);
      expect(Math.abs(r.fit.cameraElevationDeg - truth.cameraElevationDeg)).toBeLessThan(3);
      if (turned) {
        // A real detector's landmarks on a turned face read as a wide lens (turned-face-lens.test.ts):
        // the fit holds a portrait lens instead, and these exact landmarks show its perspective error.
        expect(r.fit.lensSource).toBe('prior');
        expect(r.fit.cropFovyDeg).toBeCloseTo(25, 6);
        expect(r.fit.meanErrorPx).toBeLessThan(2.5);
      } else {
        expect(r.fit.lensSource).toBe('fitted');
        // The lens is only weakly observable: the right order of magnitude.
        expect(r.fit.cropFovyDeg / fov).toBeGreaterThan(0.5);
        expect(r.fit.cropFovyDeg / fov).toBeLessThan(2);
        // Residual at the noise level (uniform +-1 px: mean |e| ~ 0.77 px).
        expect(r.fit.meanErrorPx).toBeLessThan(1.6);
      }
      for (const v of [
        ...r.fit.rotation,
        ...r.fit.translation,
        ...r.fit.identity,
        ...Object.values(r.fit.expression),
      ])
        expect(Number.isFinite(v)).toBe(true);
      for (const v of Object.values(r.fit.expression)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    });
  }

  it('holds a known lens: a telephoto portrait from above keeps its distance and its elevation', () => {
    const { lm, R, t } = posedLandmarks(5, 30, 8);
    const truth = poseAngles(R);
    const held = fitLandmarks(model, lm, { lens: { cropFovyDeg: 8, source: 'stated' } });
    expect(held.fit.cropFovyDeg).toBeCloseTo(8, 6);
    expect(held.fit.lensSource).toBe('stated');
    // The camera is where it was (about 5 m back), not at a portrait lens's distance.
    expect(Math.abs(held.fit.translation[2] / t[2] - 1)).toBeLessThan(0.1);
    expect(Math.abs(held.fit.cameraElevationDeg - truth.cameraElevationDeg)).toBeLessThan(3);
    expect(held.fit.meanErrorPx).toBeLessThan(1.6);
    // Left to choose, a face pitched 30 degrees is too turned for its landmarks to tell the lens: the
    // fit holds a portrait lens and says so.
    const free = fitLandmarks(model, lm);
    expect(free.fit.lensSource).toBe('prior');
    expect(free.fit.cropFovyDeg).toBeCloseTo(25, 6);
  });

  it('pose angles: a camera above a level head reads as a positive elevation', () => {
    // A camera 20 deg above an upright head, looking at it: the head in that camera's axes.
    const e = (20 * Math.PI) / 180;
    const R = new Float64Array(orbitCamera(0, 20, 64).worldToCamera.filter((_, i) => i % 4 !== 3));
    const a = poseAngles(R);
    expect(a.cameraElevationDeg).toBeCloseTo(20, 6);
    // The face looks tilted down in that camera: its forward axis points down the image (+y in OpenCV).
    expect(R[5]).toBeCloseTo(Math.sin(e), 6);
    expect(a.pitchDeg).toBeCloseTo(20, 6);
    expect(a.yawDeg).toBeCloseTo(0, 6);
  });

  it('refuses a model without correspondences with a clear error', () => {
    const none = { ...model, landmarkTriangles: new Int32Array(478).fill(-1) };
    expect(() => fitLandmarks(none, new Float32Array(478 * 3))).toThrow(/correspondences/);
  });
});
