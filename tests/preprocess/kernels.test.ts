// Model-free kernels of preprocessing, each against a slow obviously-correct reference or a known answer.
import { describe, expect, it } from 'vitest';
import { applyAffine, ARCFACE_TEMPLATE_112, estimateSimilarity, invertAffine, warpAffine } from '../../src/engine/face/align';
import { elevationFromPitch, headPoseFromMesh } from '../../src/engine/face/pose';
import { cosineSimilarity } from '../../src/engine/face/index';
import { boxMean, guidedFilter } from '../../src/engine/preprocess/guided-filter';
import { convexHull, fillPolygon } from '../../src/engine/preprocess/regions';
import { isRealAlpha } from '../../src/engine/preprocess/decode';
import { createRgba } from '../../src/shared/image';

function rng(seed: number) {
  return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('ArcFace similarity transform', () => {
  it('recovers a known rotation+scale+translation exactly', () => {
    const [a, b, tx, ty] = [0.8 * Math.cos(0.3), 0.8 * Math.sin(0.3), 12, -7];
    const m = [a, -b, tx, b, a, ty];
    const src = ARCFACE_TEMPLATE_112.map(([x, y]) => [x * 3 + 5, y * 2.5 - 4] as [number, number]);
    const dst = src.map(([x, y]) => applyAffine(m, x, y));
    const est = estimateSimilarity(src, dst);
    est.forEach((v, i) => expect(v).toBeCloseTo(m[i], 9));
  });
  it('is the least-squares fit under noise (residual no worse than the true transform)', () => {
    const r = rng(3);
    const m = [1.1, -0.2, 3, 0.2, 1.1, -5];
    const src = Array.from({ length: 5 }, () => [r() * 100, r() * 100] as [number, number]);
    const dst = src.map(([x, y]) => applyAffine(m, x, y)).map(([x, y]) => [x + r() - 0.5, y + r() - 0.5] as [number, number]);
    const res = (t: number[]) => src.reduce((s, [x, y], i) => s + (applyAffine(t, x, y)[0] - dst[i][0]) ** 2 + (applyAffine(t, x, y)[1] - dst[i][1]) ** 2, 0);
    expect(res(estimateSimilarity(src, dst))).toBeLessThanOrEqual(res(m) + 1e-9);
  });
  it('inverse composes to identity', () => {
    const m = [0.7, -0.4, 10, 0.4, 0.7, 3];
    const [x, y] = applyAffine(invertAffine(m), ...applyAffine(m, 17, -4));
    expect(x).toBeCloseTo(17, 9);
    expect(y).toBeCloseTo(-4, 9);
  });
  it('warpAffine matches per-pixel bilinear sampling of a reference implementation', () => {
    const src = createRgba(9, 7);
    const r = rng(5);
    for (let i = 0; i < src.data.length; i++) src.data[i] = Math.floor(r() * 256);
    const m = [1.3, -0.2, 1.5, 0.2, 1.3, -0.5];
    const out = warpAffine(src, m, 8, 8, [0, 0, 0, 0]);
    const inv = invertAffine(m);
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) {
        const [sx, sy] = applyAffine(inv, x, y);
        const ref = [0, 0, 0, 0];
        const x0 = Math.floor(sx), y0 = Math.floor(sy);
        for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
          const w = (dx ? sx - x0 : 1 - (sx - x0)) * (dy ? sy - y0 : 1 - (sy - y0));
          const xi = x0 + dx, yi = y0 + dy;
          const inside = xi >= 0 && yi >= 0 && xi < 9 && yi < 7;
          for (let c = 0; c < 4; c++) ref[c] += w * (inside ? src.data[(yi * 9 + xi) * 4 + c] : 0);
        }
        for (let c = 0; c < 4; c++) expect(Math.abs(out.data[(y * 8 + x) * 4 + c] - ref[c])).toBeLessThanOrEqual(0.5 + 1e-6);
      }
    }
  });
});

describe('box filter and guided filter', () => {
  it('boxMean equals the slow windowed mean', () => {
    const W = 13, H = 9, r = 3;
    const rand = rng(7);
    const src = Float32Array.from({ length: W * H }, () => rand());
    const fast = boxMean(src, W, H, r);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let s = 0, n = 0;
        for (let v = Math.max(0, y - r); v <= Math.min(H - 1, y + r); v++) for (let u = Math.max(0, x - r); u <= Math.min(W - 1, x + r); u++) { s += src[v * W + u]; n++; }
        expect(fast[y * W + x]).toBeCloseTo(s / n, 5);
      }
    }
  });
  it('keeps a matte whose edge coincides with an image edge sharp, and output is finite in [0,1]', () => {
    const W = 40, H = 20;
    const guide = new Float32Array(W * H);
    const p = new Float32Array(W * H);
    for (let i = 0; i < W * H; i++) {
      const x = i % W;
      guide[i] = x < 20 ? 0.1 : 0.9;
      p[i] = x < 18 ? 0 : x < 22 ? 0.5 : 1; // coarse matte: blurry around the true edge at x = 20
    }
    const q = guidedFilter(guide, { width: W, height: H, data: p }, 4, 1e-4);
    for (const v of q.data) expect(Number.isFinite(v) && v >= 0 && v <= 1).toBe(true);
    expect(q.data[10 * W + 19]).toBeLessThan(0.35); // just left of the edge: pulled to background
    expect(q.data[10 * W + 20]).toBeGreaterThan(0.65); // just right: pulled to foreground
  });
});

describe('head pose conventions', () => {
  // A frontal synthetic "mesh" with only the 4 points the pose uses, rotated by known angles.
  function mesh(yaw: number, pitch: number): Float32Array {
    const m = new Float32Array(478 * 3);
    const pts: Record<number, [number, number, number]> = { 33: [-40, 0, 0], 263: [40, 0, 0], 10: [0, -60, 0], 152: [0, 60, 0] };
    const [cy, sy, cp, sp] = [Math.cos(yaw), Math.sin(yaw), Math.cos(pitch), Math.sin(pitch)];
    for (const [k, [x, y, z]] of Object.entries(pts)) {
      // pitch about x (y -> z), then yaw about y (x -> z); z = away from the camera.
      const y1 = cp * y - sp * z, z1 = sp * y + cp * z;
      const x2 = cy * x - sy * z1, z2 = sy * x + cy * z1;
      m.set([x2 + 200, y1 + 200, z2], Number(k) * 3);
    }
    return m;
  }
  it('yaw > 0 when the image-right side of the face moves away (subject turns to their left)', () => {
    const p = headPoseFromMesh(mesh((20 * Math.PI) / 180, 0));
    expect(p.yawDeg).toBeCloseTo(20, 5);
    expect(Math.abs(p.pitchDeg)).toBeLessThan(1e-6);
  });
  it('pitch > 0 when the chin moves away (looking down); elevation follows and clamps', () => {
    const p = headPoseFromMesh(mesh(0, (15 * Math.PI) / 180));
    expect(p.pitchDeg).toBeCloseTo(15, 5);
    expect(elevationFromPitch(p.pitchDeg)).toBe(15);
    expect(elevationFromPitch(70)).toBe(40);
    expect(elevationFromPitch(-30)).toBe(-10);
    expect(elevationFromPitch(Number.NaN)).toBe(0);
  });
});

describe('polygons, alpha, cosine', () => {
  it('convex hull + fill covers a square exactly', () => {
    const pts: [number, number][] = [[2, 2], [8, 2], [8, 8], [2, 8], [5, 5], [3, 6]];
    expect(convexHull(pts)).toHaveLength(4);
    const mask = new Uint8Array(100);
    fillPolygon(mask, 10, 10, convexHull(pts), 1);
    expect(mask.reduce((s, v) => s + v, 0)).toBe(36); // pixel centres 2.5..7.5 in x and y
  });
  it('isRealAlpha: opaque or nearly-opaque images are not matted', () => {
    const img = createRgba(10, 10, [0, 0, 0, 255]);
    expect(isRealAlpha(img)).toBe(false);
    for (let i = 0; i < 50; i++) img.data[i * 4 + 3] = 0;
    expect(isRealAlpha(img)).toBe(true);
  });
  it('cosineSimilarity', () => {
    expect(cosineSimilarity(Float32Array.of(1, 0), Float32Array.of(2, 0))).toBeCloseTo(1, 9);
    expect(cosineSimilarity(Float32Array.of(1, 0), Float32Array.of(0, 3))).toBeCloseTo(0, 9);
    expect(() => cosineSimilarity(Float32Array.of(1), Float32Array.of(1, 2))).toThrow();
  });
});
