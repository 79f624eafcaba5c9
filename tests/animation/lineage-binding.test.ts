/**
 * The binding the optimisation keeps (src/engine/animation/lineage-binding.ts): a head trained a few
 * steps with densification (the native trainer, the fitted ICT head from ../shared with Gaussians on
 * its skin) keeps every Gaussian on the triangle its ancestor in the initial cloud was bound to:
 *   - children of one ancestor share its triangle, even where the nearest rule would split them;
 *   - moving the mesh moves every bound child exactly with its triangle; a zero blend leaves the
 *     trained head unchanged to the bit;
 *   - whether a Gaussian is bound, and to which surface, is the rules on the trained cloud: one whose
 *     ancestor was not bound, or that wandered beyond DRIFT_CM from its inherited triangle, takes the
 *     nearest rule's triangle.
 */
import { describe, expect, it } from 'vitest';
import { bindToHead } from '../../src/engine/animation/bind-to-head';
import { BoundHead } from '../../src/engine/animation/bound-head';
import { lineageBinding } from '../../src/engine/animation/lineage-binding';
import { restPose } from '../../src/engine/animation/rest-pose';
import { GaussianTrainer, renderCloud, toRgba8 } from '../../src/engine/raster';
import { deformBoundCloud } from '../../src/shared/animation/mesh-binding';
import { orbitCamera } from '../../src/shared/camera';
import { cloneCloud, type GaussianCloud } from '../../src/shared/gaussians/cloud';
import { mulberry32 } from '../../src/shared/random';
import { requireNativeAddon } from '../native-required';
import { apply, ictSkinCloud, matMul, quatMatrix, rotation, sameBits, type V3 } from './binding-helpers';

const FIT = { identity: [], expression: {} };

/** Train `init` 30 steps towards renders of a slightly moved, recoloured copy, densifying every 5 steps. */
async function trainFew(init: GaussianCloud): Promise<{ trained: GaussianCloud; lineage: Int32Array }> {
  const rnd = mulberry32(3);
  const target = cloneCloud(init);
  for (let i = 0; i < target.positions.length; i++) target.positions[i] += (rnd() - 0.5) * 0.002;
  for (let i = 0; i < target.shDC.length; i++) target.shDC[i] = rnd() * 2 - 1;
  const views = [0, 45, -45, 180].map((az) => {
    const camera = orbitCamera(az, 5, 96, 12);
    return { image: toRgba8(renderCloud(target, camera, { background: [1, 1, 1] })), camera };
  });
  const trainer = GaussianTrainer.create(init, views, {
    seed: 2,
    threads: 0,
    densifyFrom: 5,
    densifyInterval: 5,
    densifyUntil: 25,
    densifyGradThreshold: 2e-5,
    maxCount: init.count * 3,
  });
  await trainer.step(30);
  const out = { trained: trainer.getCloud(), lineage: trainer.getLineage() };
  trainer.dispose();
  return out;
}

describe('a trained head keeps its ancestors’ triangles', () => {
  it('densified children sit on their ancestor’s triangle and move with it exactly; a zero blend is the trained head', async () => {
    requireNativeAddon();
    const { model, toWorld, cloud: init, hair } = await ictSkinCloud();
    // Splats of a trained head's size (2-6 mm; the helper's are 1-3 cm, whose split children land centimetres away).
    for (let i = 0; i < init.scales.length; i++) init.scales[i] -= Math.log(5);
    const { trained, lineage } = await trainFew(init);
    expect(trained.count).toBeGreaterThan(init.count * 1.2); // densification happened

    const rest = restPose(model, FIT, toWorld);
    const bindNearest = (c: GaussianCloud) =>
      bindToHead(model, rest.restModel, rest.restVertices, toWorld, c).binding;
    const ancestors = bindNearest(init).triangle;
    const nearest = bindNearest(trained);
    const { triangle, stats } = lineageBinding(model, FIT, toWorld, init, trained, lineage);
    expect(stats.inherited).toBeGreaterThan(0.2 * (trained.count - hair));
    // Bound exactly where the rules on the trained cloud bind; there, on the ancestor's triangle, or
    // (a few: split children thrown far, ancestors unbound, children the eye openings route to an
    // eyeball) on the nearest rule's.
    const V = rest.restVertices;
    let switched = 0;
    for (let i = 0; i < trained.count; i++) {
      expect(triangle[i] >= 0).toBe(nearest.triangle[i] >= 0);
      const a = ancestors[lineage[i]];
      if (triangle[i] < 0 || triangle[i] === a) continue;
      expect(triangle[i]).toBe(nearest.triangle[i]);
      if (a >= 0) switched++;
    }
    expect(switched).toBeLessThanOrEqual(stats.drifted + stats.resurfaced);
    // Siblings share a triangle where the nearest rule on the trained cloud would part some of them.
    let differs = 0;
    for (let i = 0; i < trained.count; i++) if (nearest.triangle[i] !== triangle[i]) differs++;
    console.log(
      `lineage binding: ${trained.count} Gaussians from ${init.count}, ${stats.bound} bound, ${differs} on another triangle than the nearest rule's; drift median ${stats.driftMedianCm.toFixed(3)} cm, max ${stats.driftMaxCm.toFixed(3)} cm`,
    );
    expect(differs).toBeGreaterThan(0);

    const head = new BoundHead(model, FIT, toWorld, trained, triangle);
    expect(head.stats.rule).toBe('lineage');
    expect(Array.from(head.binding.triangle)).toEqual(Array.from(triangle));
    const zero = head.frame({});
    for (const k of ['positions', 'rotations', 'scales', 'opacities', 'shDC'] as const)
      expect(sameBits(zero.cloud[k], trained[k]), k).toBe(true);

    // Move the whole mesh (rotation, translation, uniform scale): every bound child follows exactly.
    const R = rotation([0.48, 0.6, 0.64], 0.4);
    const s = 1.2;
    const t: V3 = [0.03, -0.02, 0.05];
    const posed = V.slice();
    for (let v = 0; v < V.length / 3; v++) {
      const p = apply(R, V, v * 3);
      for (let a = 0; a < 3; a++) posed[v * 3 + a] = s * p[a] + t[a];
    }
    const out = deformBoundCloud(trained, head.binding, model.triangles, V, posed);
    for (let i = 0; i < trained.count; i++) {
      if (triangle[i] < 0) {
        expect(
          sameBits(out.positions.subarray(i * 3, i * 3 + 3), trained.positions.subarray(i * 3, i * 3 + 3)),
        ).toBe(true);
        continue;
      }
      const p = apply(R, trained.positions, i * 3);
      for (let a = 0; a < 3; a++) expect(out.positions[i * 3 + a]).toBeCloseTo(s * p[a] + t[a], 5);
      const want = matMul(R, quatMatrix(trained.rotations, i * 4));
      const got = quatMatrix(out.rotations, i * 4);
      // Frames of millimetre triangles from float32 vertices: ~1e-4 in the rotation's entries.
      for (let k = 0; k < 9; k++) expect(got[k]).toBeCloseTo(want[k], 3);
      expect(out.scales[i * 3] - trained.scales[i * 3]).toBeCloseTo(Math.log(s), 3); // k of millimetre float32 triangles
    }
  });

  it('a Gaussian that drifted beyond DRIFT_CM from its inherited triangle, or came from the hair onto the skin, takes the nearest rule’s', async () => {
    const { model, toWorld, cloud: init } = await ictSkinCloud();
    const rest = restPose(model, FIT, toWorld);
    const ancestors = bindToHead(model, rest.restModel, rest.restVertices, toWorld, init).binding.triangle;
    // Row 0 and row 1 (bound, on different triangles): the trained row 0 moved onto row 1's spot.
    expect(ancestors[0]).toBeGreaterThanOrEqual(0);
    // A row 3 cm from row 0 on the face's skin (both bound to the 'face' part).
    const face = model.parts.find((p) => p.name === 'face')!;
    const onFace = (t: number) => t >= face.triangleStart && t < face.triangleEnd;
    expect(onFace(ancestors[0])).toBe(true);
    const far = Array.from(ancestors).findIndex(
      (tri, j) =>
        onFace(tri) &&
        Math.hypot(...[0, 1, 2].map((a) => init.positions[j * 3 + a] - init.positions[a])) >
          3 * toWorld.scale,
    );
    expect(far).toBeGreaterThan(0);
    const trained = cloneCloud(init);
    trained.positions.set(init.positions.subarray(far * 3, far * 3 + 3), 0);
    const lineage = Int32Array.from({ length: init.count }, (_, i) => i);
    const { triangle, stats } = lineageBinding(model, FIT, toWorld, init, trained, lineage);
    expect(stats.drifted).toBe(1);
    expect(triangle[0]).toBe(ancestors[far]);
    // Without the fall-back it keeps its ancestor's triangle, however far.
    expect(lineageBinding(model, FIT, toWorld, init, trained, lineage, Infinity).triangle[0]).toBe(
      ancestors[0],
    );
    // A hair Gaussian (unbound) moved onto row `far`'s spot is bound there; the hair that stays is not.
    const hairRow = init.count - 1;
    expect(ancestors[hairRow]).toBe(-1);
    const moved = cloneCloud(init);
    moved.positions.set(init.positions.subarray(far * 3, far * 3 + 3), hairRow * 3);
    const adopted = lineageBinding(model, FIT, toWorld, init, moved, lineage);
    expect(adopted.stats.adopted).toBe(1);
    expect(adopted.triangle[hairRow]).toBe(ancestors[far]);
    expect(adopted.triangle[hairRow - 1]).toBe(-1);
  });
});
