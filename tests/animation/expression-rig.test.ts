import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../src/shared/camera';
import { allocateCloud } from '../../src/shared/gaussians/cloud';
import {
  addMouthCavity,
  anchorsFromMesh478,
  deformCloud,
  displacementAt,
  expressionAt,
  faceFrame,
  falloff,
  prepareRig,
  toFace,
  type FaceAnchors,
} from '../../src/shared/animation';

const IOD = 0.06; // world units: a head fills the pipeline's 10-degree view at radius 1.5

/** A posed face: face coords (IOD units: x to the subject's left, y up, z out) -> world via yaw + offset. */
function posedFace(yawDeg: number, offset: Vec3 = [0.01, 0.02, 0.05]) {
  const a = (yawDeg * Math.PI) / 180;
  const toWorld = (q: Vec3): Vec3 => {
    const x = q[0] * IOD;
    const y = q[1] * IOD;
    const z = q[2] * IOD;
    return [
      Math.cos(a) * x + Math.sin(a) * z + offset[0],
      y + offset[1],
      -Math.sin(a) * x + Math.cos(a) * z + offset[2],
    ];
  };
  const eye = (s: number) => ({
    upperLid: toWorld([0.5 * s, 0.06, 0.02]),
    lowerLid: toWorld([0.5 * s, -0.06, 0.02]),
    inner: toWorld([0.3 * s, 0, 0]),
    outer: toWorld([0.7 * s, 0, -0.04]),
  });
  const anchors: FaceAnchors = {
    leftEye: eye(1),
    rightEye: eye(-1),
    leftBrow: toWorld([0.5, 0.3, 0.05]),
    rightBrow: toWorld([-0.5, 0.3, 0.05]),
    mouthLeft: toWorld([0.35, -1.1, 0.05]),
    mouthRight: toWorld([-0.35, -1.1, 0.05]),
    upperLip: toWorld([0, -1.08, 0.15]),
    lowerLip: toWorld([0, -1.12, 0.15]),
    chin: toWorld([0, -1.65, 0.05]),
  };
  return { anchors, toWorld };
}

const len = (v: Vec3) => Math.hypot(...v);

describe('expression rig', () => {
  const { anchors, toWorld } = posedFace(25);
  const rig = prepareRig(anchors);

  it('zero weights move nothing; the back of the head and the hair never move', () => {
    expect(len(displacementAt(rig, {}, toWorld([0.5, 0.06, 0.02])))).toBe(0);
    const all = { blink: 1, smile: 1, jawOpen: 1, browRaise: 1 };
    for (const q of [
      [0, 0.5, -2.5],
      [0, 1.8, 0],
      [1.8, 0, -1],
      [-1.8, -1, -1],
    ] as Vec3[]) {
      expect(len(displacementAt(rig, all, toWorld(q)))).toBe(0);
    }
  });

  it('blink 1 brings the upper lid onto the lower lid, leaves the lower lid, closes gradually', () => {
    const upper = anchors.leftEye.upperLid;
    const lower = anchors.leftEye.lowerLid;
    const moved = displacementAt(rig, { blink: 1 }, upper);
    const landed: Vec3 = [upper[0] + moved[0], upper[1] + moved[1], upper[2] + moved[2]];
    // The squash is along the face's up axis, so the lid lands on the lower lid up to the tiny tilt
    // between that axis and the lid pair.
    expect(len([landed[0] - lower[0], landed[1] - lower[1], landed[2] - lower[2]])).toBeLessThan(0.01 * IOD);
    expect(len(displacementAt(rig, { blink: 1 }, lower))).toBeLessThan(1e-12);
    const half = displacementAt(rig, { blink: 0.5 }, upper);
    expect(len(half)).toBeCloseTo(len(moved) / 2, 12);
    // the other eye closes too, the brows barely move
    expect(len(displacementAt(rig, { blink: 1 }, anchors.rightEye.upperLid))).toBeCloseTo(0.12 * IOD, 4);
    expect(len(displacementAt(rig, { blink: 1 }, anchors.leftBrow))).toBeLessThan(0.02 * IOD);
  });

  it('blink never folds the face: heights along a vertical line through the eye keep their order', () => {
    let prev = -Infinity;
    for (let y = -0.1; y <= 0.6; y += 0.005) {
      const p = toWorld([0.5, y, 0.02]);
      const d = displacementAt(rig, { blink: 1 }, p);
      const h = p[1] + d[1];
      expect(h).toBeGreaterThanOrEqual(prev - 0.002 * IOD); // the eye sinks along the slightly tilted face z
      prev = h;
    }
  });

  it('fields are continuous: bounded slope along a line crossing every region boundary and the lip seam', () => {
    // Steps of 1/4000 IOD; a jump (discontinuity) would show as one step moving far more than
    // slope x step. The steepest designed part is the lip seam, where the lips part over 0.03 IOD.
    const w = { blink: 1, smile: 1, jawOpen: 1, browRaise: 1 };
    const step = 0.00025;
    let prev = displacementAt(rig, w, toWorld([0.05, 0.6, 0.05]));
    let maxSlope = 0;
    for (let t = 1; t <= 2.6 / step; t++) {
      const d = displacementAt(rig, w, toWorld([0.05 + t * step * 0.2, 0.6 - t * step, 0.05]));
      maxSlope = Math.max(maxSlope, len([d[0] - prev[0], d[1] - prev[1], d[2] - prev[2]]) / IOD / step);
      prev = d;
    }
    expect(maxSlope).toBeGreaterThan(1); // the line does cross moving regions
    expect(maxSlope).toBeLessThan(40);
  });

  it('smile lifts both mouth corners up and outward, symmetric for a frontal face', () => {
    const frontal = prepareRig(posedFace(0, [0, 0, 0]).anchors);
    const f = posedFace(0, [0, 0, 0]).anchors;
    const l = displacementAt(frontal, { smile: 1 }, f.mouthLeft);
    const r = displacementAt(frontal, { smile: 1 }, f.mouthRight);
    expect(l[1]).toBeGreaterThan(0.08 * IOD);
    expect(l[0]).toBeGreaterThan(0.05 * IOD); // subject's left is +x
    expect(r[0]).toBeCloseTo(-l[0], 12);
    expect(r[1]).toBeCloseTo(l[1], 12);
    expect(len(displacementAt(frontal, { smile: 1 }, toWorldOf(0, [0, 0.6, 0.3])))).toBe(0); // nose bridge
  });

  it('jaw open drops the chin and lower lip, keeps the upper lip and eyes', () => {
    const chin = displacementAt(rig, { jawOpen: 1 }, anchors.chin);
    const lower = displacementAt(rig, { jawOpen: 1 }, anchors.lowerLip);
    expect(len(chin)).toBeGreaterThan(0.3 * IOD);
    expect(chin[1]).toBeLessThan(-0.25 * IOD); // yaw keeps world y = face y here
    expect(len(lower)).toBeGreaterThan(0.2 * IOD);
    expect(len(displacementAt(rig, { jawOpen: 1 }, anchors.upperLip))).toBeLessThan(0.001 * IOD);
    expect(len(displacementAt(rig, { jawOpen: 1 }, anchors.leftEye.lowerLid))).toBe(0);
  });

  it('the mouth interior stays behind the lowered lip and chin at every jaw opening', () => {
    const { cloud, frozenFrom } = addMouthCavity(allocateCloud(0, 0), rig);
    const f = faceFrame(anchors);
    const sheet = Array.from({ length: cloud.count - frozenFrom }, (_, k) => {
      const i = frozenFrom + k;
      return toFace(f, [cloud.positions[i * 3], cloud.positions[i * 3 + 1], cloud.positions[i * 3 + 2]]);
    });
    const sheetZ = Math.max(...sheet.map((q) => q[2]));
    const [yMin, yMax] = [Math.min(...sheet.map((q) => q[1])), Math.max(...sheet.map((q) => q[1]))];
    // The lower lip and the skin between it and the chin, at every opening: wherever they end up in
    // front of the sheet's extent, they must be in front of it in depth too.
    const between = (t: number): Vec3 => [0, 1, 2].map((c) => anchors.lowerLip[c] + (anchors.chin[c] - anchors.lowerLip[c]) * t) as Vec3;
    let overlapping = 0;
    for (const jawOpen of [0.25, 0.5, 0.75, 1]) {
      for (let t = 0; t <= 1; t += 0.125) {
        const p = between(t);
        const d = displacementAt(rig, { jawOpen }, p);
        const moved = toFace(f, [p[0] + d[0], p[1] + d[1], p[2] + d[2]]);
        if (moved[1] < yMin || moved[1] > yMax) continue;
        overlapping++;
        expect(moved[2], `jawOpen ${jawOpen}, ${t} of the way to the chin`).toBeGreaterThan(sheetZ + 0.05);
      }
    }
    expect(overlapping).toBeGreaterThan(0);
  });

  it('brow raise lifts the brows by ~0.12 IOD', () => {
    const d = displacementAt(rig, { browRaise: 1 }, anchors.leftBrow);
    expect(d[1]).toBeCloseTo(0.12 * IOD, 4);
  });

  it('deformCloud matches the field per Gaussian, leaves frozen Gaussians and the input alone', () => {
    const pts: Vec3[] = [anchors.leftEye.upperLid, anchors.chin, anchors.mouthLeft, toWorld([0, 1.5, -1])];
    const base = allocateCloud(pts.length, 0);
    pts.forEach((p, i) => base.positions.set(p, i * 3));
    const { cloud, frozenFrom } = addMouthCavity(base, rig);
    expect(cloud.count).toBeGreaterThan(base.count + 100);
    const w = { blink: 1, jawOpen: 0.7, smile: 0.4 };
    const out = deformCloud(cloud, rig, w, frozenFrom);
    pts.forEach((p, i) => {
      const d = displacementAt(rig, w, p);
      for (let c = 0; c < 3; c++) expect(out.positions[i * 3 + c]).toBeCloseTo(p[c] + d[c], 6);
    });
    expect(Array.from(out.positions.subarray(frozenFrom * 3))).toEqual(
      Array.from(cloud.positions.subarray(frozenFrom * 3)),
    );
    expect(Array.from(base.positions)).toEqual(pts.flat().map((v) => Math.fround(v)));
    expect(out.positions.some(Number.isNaN)).toBe(false);
  });

  it('refuses bad weights and degenerate anchors', () => {
    expect(() => displacementAt(rig, { blink: 2 }, [0, 0, 0])).toThrow(/blink/);
    expect(() => displacementAt(rig, { wink: 1 } as never, [0, 0, 0])).toThrow(/unknown expression/);
    const bad = { ...anchors, rightEye: anchors.leftEye };
    expect(() => prepareRig(bad)).toThrow(/degenerate/);
    expect(() => anchorsFromMesh478(new Float32Array(10))).toThrow(/478/);
  });

  it('falloff is 1 inside, 0 outside, continuous at both ends', () => {
    expect(falloff(0.2, 0.4)).toBe(1);
    expect(falloff(1, 0.4)).toBe(0);
    expect(falloff(0.4001, 0.4)).toBeGreaterThan(0.9999);
    expect(falloff(0.9999, 0.4)).toBeLessThan(1e-6);
  });

  it('expression tracks: pulses peak mid-clip, keyframes interpolate', () => {
    expect(expressionAt({ kind: 'pulse', expressions: ['blink'] }, 1, 2).blink).toBeCloseTo(1, 12);
    expect(expressionAt({ kind: 'pulse', expressions: ['blink'] }, 0, 2).blink).toBeCloseTo(0, 12);
    const track = {
      kind: 'keyframes' as const,
      keyframes: [
        { timeS: 0, weights: {} },
        { timeS: 2, weights: { smile: 1 } },
      ],
    };
    expect(expressionAt(track, 0.5, 2).smile).toBeCloseTo(0.25, 12);
  });
});

function toWorldOf(yaw: number, q: Vec3): Vec3 {
  return posedFace(yaw, [0, 0, 0]).toWorld(q);
}
