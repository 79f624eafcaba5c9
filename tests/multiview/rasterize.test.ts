import { describe, expect, it } from 'vitest';
import { orbitCamera, cameraLookAt } from '../../src/shared/camera';
import { rasterizeTriangles } from '../../src/shared/mesh/rasterize';
import { rasterizeTrianglesReference } from '../../src/shared/mesh/rasterize-reference';
import { createRng } from '../../src/engine/multiview/weightfree/random';

/** A few random overlapping triangles near the origin (world units ~0.1, like a head). */
function randomTriangles(seed: number, count: number) {
  const rng = createRng(seed);
  const positions = new Float32Array(count * 9);
  for (let i = 0; i < positions.length; i++) positions[i] = (rng() - 0.5) * 0.2;
  const indices = Uint32Array.from({ length: count * 3 }, (_, i) => i);
  return { positions, indices };
}

describe('software rasterizer', () => {
  it('matches the ray-casting reference: coverage, nearest triangle, depth, perspective-correct barycentrics', () => {
    for (const [seed, cam] of [
      [1, orbitCamera(0, 0, 40)],
      [2, orbitCamera(56.25, 20, 40)],
      [3, cameraLookAt([0.3, 0.1, 0.25], [0, 0, 0], 40, 32, 40)],
    ] as const) {
      const { positions, indices } = randomTriangles(seed, 12);
      const fast = rasterizeTriangles(positions, indices, cam);
      const ref = rasterizeTrianglesReference(positions, indices, cam);
      let covered = 0;
      let mismatched = 0;
      for (let p = 0; p < fast.depth.length; p++) {
        if (ref.triangle[p] >= 0) covered++;
        // Pixels whose centre lies on a shared edge may legitimately pick either triangle: allow a few.
        if (fast.triangle[p] !== ref.triangle[p]) {
          mismatched++;
          continue;
        }
        if (ref.triangle[p] < 0) continue;
        expect(Number.isNaN(fast.depth[p])).toBe(false);
        expect(fast.depth[p]).toBeCloseTo(ref.depth[p], 5);
        expect(fast.bary1[p]).toBeCloseTo(ref.bary1[p], 4);
        expect(fast.bary2[p]).toBeCloseTo(ref.bary2[p], 4);
      }
      expect(covered).toBeGreaterThan(50);
      expect(mismatched).toBeLessThanOrEqual(Math.max(2, covered * 0.01));
    }
  });

  it('keeps the nearer of two overlapping quads whatever the draw order', () => {
    const cam = orbitCamera(0, 0, 16);
    // Two squares facing the camera, one at z = +0.05 (nearer), one at z = -0.05.
    const quad = (z: number) => [-0.05, -0.05, z, 0.05, -0.05, z, 0.05, 0.05, z, -0.05, 0.05, z];
    const positions = Float32Array.from([...quad(-0.05), ...quad(0.05)]);
    const idx = [0, 1, 2, 0, 2, 3, 4, 5, 6, 4, 6, 7];
    for (const order of [idx, [...idx.slice(6), ...idx.slice(0, 6)]]) {
      const buf = rasterizeTriangles(positions, Uint32Array.from(order), cam);
      const centre = 8 * 16 + 8;
      const t = buf.triangle[centre];
      expect(order[t * 3]).toBeGreaterThanOrEqual(4);
      expect(buf.depth[centre]).toBeCloseTo(1.45, 4);
    }
  });
});
