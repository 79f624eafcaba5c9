/**
 * The bound head's hot paths (src/engine/animation/bound-head.ts): binding a 65k-Gaussian head to the
 * fitted ICT head by the nearest rule (runs without head-binding.json) or from the triangles a run kept
 * (the studio's first expression pose waits for it), the lineage binding the pipeline makes once after
 * the optimisation (lineage-binding.ts: 32k initial Gaussians -> 65k trained), and posing it
 * (every slider move of the studio's Expression panel, every frame of `animate --arkit`): a rest pose,
 * jawOpen = 1 (the mouth interior added), and a blend with a head rotation.
 */
import { BoundHead } from '../src/engine/animation/bound-head';
import { lineageBinding } from '../src/engine/animation/lineage-binding';
import { selectGaussians } from '../src/shared/gaussians/filter';
import { allocateCloud } from '../src/shared/gaussians/cloud';
import { mulberry32 } from '../src/shared/random';
import { sharedHeadModel } from '../tests/head-fit/shared-model';
import { timeMs, type Bench } from './harness';

const COUNT = 65_536;

export const benches: Bench[] = [
  {
    name: 'bound head: bind and pose 65k Gaussians on the ICT head',
    async run() {
      const model = await sharedHeadModel();
      const scale = 0.01; // 1 cm = 0.01 world units, no rotation
      const toWorld = {
        A: new Float64Array([scale, 0, 0, 0, scale, 0, 0, 0, scale]),
        b: [0, 0, 0] as [number, number, number],
        scale,
      };
      // Gaussians on the face and head-and-neck skin (random triangles, random points, 0-3 mm off).
      const tris: number[] = [];
      for (const name of ['face', 'headNeck']) {
        const p = model.parts.find((q) => q.name === name)!;
        for (let t = p.triangleStart; t < p.triangleEnd; t++) tris.push(t);
      }
      const rnd = mulberry32(3);
      const cloud = allocateCloud(COUNT, 0);
      const V = model.neutral;
      for (let i = 0; i < COUNT; i++) {
        const t = tris[Math.floor(rnd() * tris.length)];
        let u = rnd();
        let v = rnd();
        if (u + v > 1) [u, v] = [1 - u, 1 - v];
        for (let a = 0; a < 3; a++) {
          const [p0, p1, p2] = [0, 1, 2].map((c) => V[model.triangles[t * 3 + c] * 3 + a]);
          cloud.positions[i * 3 + a] = (p0 + u * (p1 - p0) + v * (p2 - p0) + (rnd() - 0.5) * 0.3) * scale;
        }
        cloud.rotations.set([1, 0, 0, 0], i * 4);
        cloud.scales.set([-6, -6, -7], i * 3);
        cloud.opacities[i] = 2;
      }
      let head: BoundHead | null = null;
      const bindMs = await timeMs(
        () => (head = new BoundHead(model, { identity: [], expression: {} }, toWorld, cloud)),
        1,
        0,
      );
      const h = head!;
      const fit = { identity: [], expression: {} };
      // Lineage: the first half is the initial cloud, row i descends from row i mod 32k.
      const half = COUNT / 2;
      const initial = selectGaussians(
        cloud,
        Int32Array.from({ length: half }, (_, i) => i),
      );
      const lineage = Int32Array.from({ length: COUNT }, (_, i) => i % half);
      let kept: Int32Array | null = null;
      const lineageMs = await timeMs(
        () => (kept = lineageBinding(model, fit, toWorld, initial, cloud, lineage).triangle),
        1,
        0,
      );
      const keptMs = await timeMs(() => new BoundHead(model, fit, toWorld, cloud, kept!), 1, 0);
      return [
        { name: 'bind 65k by the nearest rule (runs without head-binding.json)', value: bindMs, unit: 'ms' },
        {
          name: 'lineage binding 32k -> 65k (once per run, after the optimisation)',
          value: lineageMs,
          unit: 'ms',
        },
        {
          name: 'bind 65k from the kept triangles (a run with head-binding.json)',
          value: keptMs,
          unit: 'ms',
        },
        { name: 'bound Gaussians', value: h.stats.bound, unit: 'count' },
        { name: 'pose: rest (zero blend)', value: await timeMs(() => h.frame({})), unit: 'ms' },
        {
          name: 'pose: jawOpen 1 (mouth interior added)',
          value: await timeMs(() => h.frame({ jawOpen: 1 })),
          unit: 'ms',
        },
        {
          name: 'pose: smile + blink + head yaw 20 deg',
          value: await timeMs(() =>
            h.frame(
              { mouthSmileLeft: 1, mouthSmileRight: 1, eyeBlinkLeft: 1, eyeBlinkRight: 1 },
              'relative',
              { yawDeg: 20, pitchDeg: 0, rollDeg: 0 },
            ),
          ),
          unit: 'ms',
        },
      ];
    },
  },
];
