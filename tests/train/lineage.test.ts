/**
 * The trainer's lineage (GaussianTrainer.getLineage): each Gaussian of the trained cloud names the row
 * of the initial cloud it descends from, through clone and split (children inherit) and pruning (the
 * row goes). The engine binds the initial cloud to the fitted head and gives every trained Gaussian its
 * ancestor's triangle, so a wrong lineage moves the wrong splats with the jaw.
 *
 * Reference, slow and obvious: with every learning rate 0 the optimiser moves nothing, so densification
 * is the only change, and a Gaussian's colour (unique per initial row), opacity and rotation stay its
 * ancestor's bits: the ancestor is found by looking the colour up among the initial rows.
 */
import { describe, expect, it } from 'vitest';
import { GaussianTrainer, renderCloud, toRgba8 } from '../../src/engine/raster';
import type { GaussianCloud } from '../../src/shared/gaussians/cloud';
import { requireNativeAddon } from '../native-required';
import { randomCloud, sceneCamera } from '../raster/scenes';

const SIZE = 32;
const SCENE_EXTENT = 0.35;
const SMALL = 0.01 * SCENE_EXTENT; // clone at or below this max scale, split above (percentDense)
const TOO_BIG = 0.1 * SCENE_EXTENT; // pruned above this max scale (pruneWorldScale)
const SPLIT_SHRINK = 1.6;

/** 40 Gaussians: every 5th nearly transparent (pruned), one huge (pruned even split), half small (cloned), the rest split. */
function initialCloud(): GaussianCloud {
  const c = randomCloud(11, { count: 40, shDegree: 0, spread: 0.08, opacityLogit: [0, 3] });
  for (let i = 0; i < c.count; i++) {
    c.shDC[i * 3] = i / 40; // a colour no other row has: the reference's key
    const s = i === 7 ? 0.25 : i % 2 === 0 ? 0.002 : 0.01;
    for (let k = 0; k < 3; k++) c.scales[i * 3 + k] = Math.log(s);
    if (i % 5 === 0) c.opacities[i] = -8; // sigmoid = 0.0003 < pruneOpacity 0.005
  }
  return c;
}

const frozen = {
  seed: 5,
  threads: 1,
  sceneExtent: SCENE_EXTENT,
  lrPositionInit: 0,
  lrPositionSteps: 1000, // t < 1: the position LR stays exp(-inf) = 0
  lrScale: 0,
  lrRotation: 0,
  lrOpacity: 0,
  lrShDC: 0,
  lrShRest: 0,
  densifyFrom: 1,
  densifyInterval: 1,
  densifyGradThreshold: 0, // every Gaussian is a candidate
  maxCount: 10_000,
};

function ancestorsByColour(init: GaussianCloud, trained: GaussianCloud): number[] {
  const byColour = new Map<number, number>();
  for (let j = 0; j < init.count; j++) byColour.set(init.shDC[j * 3], j);
  return Array.from({ length: trained.count }, (_, i) => {
    const j = byColour.get(trained.shDC[i * 3]);
    if (j === undefined) throw new Error(`Gaussian ${i} has a colour no initial row has`);
    // The colour is not a coincidence: opacity and rotation are the ancestor's bits too.
    expect(trained.opacities[i]).toBe(init.opacities[j]);
    for (let k = 0; k < 4; k++) expect(trained.rotations[i * 4 + k]).toBe(init.rotations[j * 4 + k]);
    return j;
  });
}

function trainerFor(init: GaussianCloud, opts: Record<string, number>): GaussianTrainer {
  const camera = sceneCamera(SIZE, SIZE);
  const image = toRgba8(renderCloud(init, camera));
  return GaussianTrainer.create(init, [{ image, camera }], { ...frozen, ...opts });
}

describe('densification lineage', () => {
  it('before any step, each Gaussian is its own ancestor', () => {
    requireNativeAddon();
    const init = initialCloud();
    const t = trainerFor(init, { densifyUntil: 1 });
    expect(Array.from(t.getLineage())).toEqual(Array.from({ length: init.count }, (_, i) => i));
    t.dispose();
  });

  it('one round: clones and split children carry their source, pruned rows vanish, counts add up', async () => {
    requireNativeAddon();
    const init = initialCloud();
    const t = trainerFor(init, { densifyUntil: 1 });
    const stats = await t.step(1);
    const cloud = t.getCloud();
    const lineage = Array.from(t.getLineage());
    t.dispose();
    expect(lineage.length).toBe(cloud.count);
    expect(lineage).toEqual(ancestorsByColour(init, cloud));
    expect(cloud.count).toBe(init.count + stats.densified - stats.pruned);

    // Per initial row, what the 3DGS rules say it becomes.
    for (let j = 0; j < init.count; j++) {
      const rows = lineage.flatMap((a, i) => (a === j ? [i] : []));
      const scale = Math.exp(init.scales[j * 3]);
      if (j % 5 === 0 || j === 7) {
        expect(rows, `row ${j} is pruned`).toEqual([]);
      } else if (scale <= SMALL) {
        // Cloned: the source and its copy, both exactly where the source was.
        expect(rows.length, `row ${j} is cloned`).toBe(2);
        for (const i of rows)
          for (let k = 0; k < 3; k++) expect(cloud.positions[i * 3 + k]).toBe(init.positions[j * 3 + k]);
      } else {
        // Split: two children with the shrunk scale, drawn inside the source (within 5 sigma).
        expect(rows.length, `row ${j} is split`).toBe(2);
        expect(scale / SPLIT_SHRINK).toBeLessThan(TOO_BIG);
        for (const i of rows) {
          expect(Math.exp(cloud.scales[i * 3])).toBeCloseTo(scale / SPLIT_SHRINK, 6);
          const d = Math.hypot(
            ...[0, 1, 2].map((k) => cloud.positions[i * 3 + k] - init.positions[j * 3 + k]),
          );
          expect(d).toBeLessThan(5 * Math.sqrt(3) * scale);
        }
      }
    }
  });

  it('three rounds under a count cap: every Gaussian still names its first ancestor; setCloud starts a new lineage', async () => {
    requireNativeAddon();
    const init = initialCloud();
    const t = trainerFor(init, { densifyUntil: 3, maxCount: 90 });
    let count = init.count;
    for (let s = 0; s < 3; s++) {
      const stats = await t.step(1);
      count += stats.densified - stats.pruned;
      expect(stats.count).toBe(count);
    }
    const cloud = t.getCloud();
    expect(cloud.count).toBeLessThanOrEqual(90);
    expect(cloud.count).toBeGreaterThan(init.count);
    const lineage = Array.from(t.getLineage());
    expect(lineage).toEqual(ancestorsByColour(init, cloud));
    // Only rows that survive pruning have descendants.
    for (const a of lineage) expect(a % 5 !== 0 && a !== 7).toBe(true);

    t.setCloud(cloud);
    expect(Array.from(t.getLineage())).toEqual(Array.from({ length: cloud.count }, (_, i) => i));
    t.dispose();
  });
});
