// Left-right symmetric correspondences: each reliable pair becomes the mirror image of the other, the
// midline's points lie on the mirror plane, and nothing unreliable moves.
import { describe, expect, it } from 'vitest';
import { FACE_MESH_MIRROR } from '../../src/engine/face/face-mesh-mirror';
import { LANDMARK_STATUS } from '../../src/engine/head-model/asset';
import { symmetrizeLandmarkPoints } from '../../src/engine/head-model/landmark-symmetry';

describe('symmetric landmark correspondences', () => {
  it('makes reliable pairs mirror images about the plane and leaves the others alone', () => {
    const N = FACE_MESH_MIRROR.length;
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const midX = 0.4;
    const pts = new Float64Array(N * 3);
    for (let k = 0; k < N; k++) {
      const j = FACE_MESH_MIRROR[k];
      const side = j === k ? 0 : k < j ? 1 : -1;
      pts[k * 3] = midX + side * (3 + rnd()) + rnd() * 0.2;
      pts[k * 3 + 1] = rnd() * 5;
      pts[k * 3 + 2] = rnd() * 5;
    }
    const status = new Uint8Array(N).fill(LANDMARK_STATUS.ok);
    status[61] = LANDMARK_STATUS.unstable; // 61's pair (291) must not move
    status[10] = LANDMARK_STATUS.contour;
    const before = pts.slice();
    const r = symmetrizeLandmarkPoints(pts, status, midX);
    expect(r.pairs).toBeGreaterThan(200);
    expect(r.maxShiftCm).toBeGreaterThan(0);
    for (const k of [61, 291, 10])
      expect(Array.from(pts.subarray(k * 3, k * 3 + 3))).toEqual(
        Array.from(before.subarray(k * 3, k * 3 + 3)),
      );
    for (let k = 0; k < N; k++) {
      if (status[k] !== LANDMARK_STATUS.ok || status[FACE_MESH_MIRROR[k]] !== LANDMARK_STATUS.ok) continue;
      const j = FACE_MESH_MIRROR[k];
      expect(pts[k * 3] - midX).toBeCloseTo(-(pts[j * 3] - midX), 9);
      expect(pts[k * 3 + 1]).toBeCloseTo(pts[j * 3 + 1], 9);
      expect(pts[k * 3 + 2]).toBeCloseTo(pts[j * 3 + 2], 9);
      // Each point moves to the mean of itself and its partner's mirror image: half their difference.
      const d = Math.hypot(
        before[k * 3] - midX + (before[j * 3] - midX),
        before[k * 3 + 1] - before[j * 3 + 1],
        before[k * 3 + 2] - before[j * 3 + 2],
      );
      const moved = Math.hypot(
        pts[k * 3] - before[k * 3],
        pts[k * 3 + 1] - before[k * 3 + 1],
        pts[k * 3 + 2] - before[k * 3 + 2],
      );
      expect(moved).toBeCloseTo(j === k ? Math.abs(before[k * 3] - midX) : d / 2, 9);
    }
  });
});
