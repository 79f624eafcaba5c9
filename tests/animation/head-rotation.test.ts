/**
 * Head rotation from an ARKit take (src/engine/animation/head-rotation.ts, take-frames.ts): a HeadYaw
 * column turns the head, its hair and the neck about the neck; the torso stays where it was.
 */
import { describe, expect, it } from 'vitest';
import { BoundHead } from '../../src/engine/animation/bound-head';
import { takeFrameCloud } from '../../src/engine/animation/take-frames';
import { ARKIT_BLENDSHAPES } from '../../src/shared/animation/arkit';
import { LIVE_LINK_HEAD_DEG, parseArkitCsv } from '../../src/shared/animation/arkit-csv';
import { allocateCloud } from '../../src/shared/gaussians/cloud';
import { sharedHeadModel } from '../head-fit/shared-model';

/** A Live Link Face style take: 30 rows at 60 fps, every shape 0, the head columns as given. */
function take(yaw: number, pitch = 0, roll = 0) {
  const header = ['Timecode', 'BlendShapeCount', ...ARKIT_BLENDSHAPES, 'HeadYaw', 'HeadPitch', 'HeadRoll'];
  const rows = Array.from({ length: 30 }, (_, r) =>
    [
      `00:00:00:${String(r).padStart(2, '0')}.000`,
      '52',
      ...ARKIT_BLENDSHAPES.map(() => '0'),
      yaw,
      pitch,
      roll,
    ].join(','),
  );
  return parseArkitCsv([header.join(','), ...rows].join('\n'));
}

async function boundHead() {
  const model = await sharedHeadModel();
  // Model cm -> world: 1 cm = 0.01, no rotation (so world axes are the model's).
  const scale = 0.01;
  const toWorld = {
    A: new Float64Array([scale, 0, 0, 0, scale, 0, 0, 0, scale]),
    b: [0, 0, 0] as [number, number, number],
    scale,
  };
  const at = (i68: number) =>
    Array.from(model.neutral.subarray(model.multiPie68[i68] * 3, model.multiPie68[i68] * 3 + 3)).map(
      (v) => v * scale,
    );
  // Nose tip (on the skin: bound), a tuft of hair 3 cm above the crown (not bound), torso 35 cm below the eyes.
  const points = [at(30), [0, 0.17, 0], [0.1, -0.35, 0.05], [-0.12, -0.4, 0]];
  const cloud = allocateCloud(points.length, 0);
  points.forEach((p, i) => {
    cloud.positions.set(p, i * 3);
    cloud.rotations.set([1, 0, 0, 0], i * 4);
    cloud.scales.set([-5, -5, -5], i * 3);
  });
  return { head: new BoundHead(model, { identity: [], expression: {} }, toWorld, cloud), cloud };
}

/** Angle (degrees) of the horizontal direction (x, z) of a point, 0 = facing +z, positive towards +x. */
const heading = (x: number, z: number) => (Math.atan2(x, z) * 180) / Math.PI;
/** b - a in (-180, 180]. */
const turnDeg = (a: number, b: number) => ((((b - a + 180) % 360) + 360) % 360) - 180;

describe('head rotation from a take', () => {
  it('a HeadYaw column turns head and hair about the neck; the torso stays; no rotation changes nothing', async () => {
    const { head, cloud } = await boundHead();
    const yaw = 0.5; // Live Link Face units: 45 degrees
    const turned = takeFrameCloud(head, take(yaw))(0, 0);
    const P = cloud.positions;
    const Q = turned.positions;
    // The nose tip swings towards the subject's left (+x) and keeps its height.
    expect(Q[0] - P[0]).toBeGreaterThan(0.05);
    expect(Math.abs(Q[1] - P[1])).toBeLessThan(1e-6);
    // Nose and hair turn rigidly together about a vertical axis: the line from the nose to the hair
    // tuft (not bound to the face) turns by 45 degrees seen from above and keeps its length.
    expect(head.binding.triangle[1]).toBe(-1);
    const before = [P[3] - P[0], P[5] - P[2]];
    const after = [Q[3] - Q[0], Q[5] - Q[2]];
    expect(turnDeg(heading(before[0], before[1]), heading(after[0], after[1]))).toBeCloseTo(
      yaw * LIVE_LINK_HEAD_DEG,
      3,
    );
    expect(Math.hypot(after[0], after[1])).toBeCloseTo(Math.hypot(before[0], before[1]), 6);
    // The torso does not move at all.
    expect(Array.from(Q.subarray(6, 12))).toEqual(Array.from(P.subarray(6, 12)));
    // The Gaussians' orientation turns with the head: a 45 degree turn about y is (cos 22.5, 0, sin 22.5, 0).
    expect(turned.rotations[0]).toBeCloseTo(Math.cos(Math.PI / 8), 5);
    expect(turned.rotations[2]).toBeCloseTo(Math.sin(Math.PI / 8), 5);
    // A take whose head columns are 0 leaves the cloud unchanged to the bit.
    const still = takeFrameCloud(head, take(0))(0, 0);
    expect(Array.from(still.positions)).toEqual(Array.from(P));
  });
});
