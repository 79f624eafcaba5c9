/**
 * CUDA vs CPU backend on the same random small scenes: images (rgb, alpha, depth) and every gradient
 * group, through renderBackward(..., 'cuda' | 'cpu'). Runs only where the CUDA backend starts (library
 * built and a GPU present); elsewhere each case skips with the loader's reason.
 *
 * Tolerances, and why they are not zero: the per-Gaussian maths is double on both sides (same results to
 * float rounding); the blending is float with the same operation order and no FMA (--fmad=false), but
 * the CPU's vectorised exp is a polynomial and CUDA's expf differs by an ulp or two, which can flip the
 * 1/255 alpha cut or the 1e-4 transmittance stop at a rare pixel; gradient sums run in a different
 * order (CPU lanes vs a warp tree). So: images max |diff| <= 5e-3 and mean <= 2e-5; each gradient group
 * relative L2 error <= 2e-3 (the CPU-vs-finite-difference bar is 3e-4 in gradients.test.ts); radii equal.
 */
import { describe, expect, it } from 'vitest';
import type { ShDegree } from '../../src/shared/gaussians/cloud';
import { GRADIENT_GROUPS } from '../../src/shared/raster/types';
import { nativeAddon } from '../../src/engine/raster/native-addon';
import { randomCloud, rng, sceneCamera } from './scenes';

/** Why the CUDA backend cannot run here, or undefined when it can. */
function cudaUnavailable(): string | undefined {
  const probe = randomCloud(1, { count: 2, shDegree: 0 });
  try {
    nativeAddon().renderBackward(probe, sceneCamera(8, 8), {}, new Float32Array(8 * 8 * 3), null, 'cuda');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
const unavailable = cudaUnavailable();

function relL2(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < a.length; k++) {
    num += (a[k] - b[k]) ** 2;
    den += b[k] ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

function diffStats(a: Float32Array, b: Float32Array): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  for (let k = 0; k < a.length; k++) {
    const d = Math.abs(a[k] - b[k]);
    max = Math.max(max, d);
    sum += d;
  }
  return { max, mean: sum / Math.max(1, a.length) };
}

interface Case {
  seed: number;
  deg: ShDegree;
  w: number;
  h: number;
  n: number;
  bg: [number, number, number];
  /** Camera distance: 0.12 puts the camera inside the cloud's cube (Gaussians straddle the near plane). */
  radius?: number;
  spread?: number;
}

const cases: Case[] = [
  { seed: 101, deg: 0, w: 20, h: 18, n: 40, bg: [1, 1, 1] },
  { seed: 102, deg: 1, w: 33, h: 17, n: 120, bg: [0.3, 0.6, 0.1] },
  { seed: 103, deg: 2, w: 64, h: 48, n: 600, bg: [0, 0, 0] },
  { seed: 104, deg: 3, w: 97, h: 71, n: 2000, bg: [0.5, 0.5, 0.5], spread: 0.2 },
  { seed: 105, deg: 3, w: 48, h: 48, n: 400, bg: [1, 0, 0], radius: 0.12, spread: 0.15 },
];

describe('CUDA backend matches the CPU backend', () => {
  for (const c of cases) {
    it(`SH ${c.deg}, ${c.w}x${c.h}, ${c.n} Gaussians${c.radius ? ', camera inside the cloud' : ''}`, (ctx) => {
      if (unavailable) ctx.skip(`CUDA backend unavailable here: ${unavailable}`);
      const cloud = randomCloud(c.seed, { count: c.n, shDegree: c.deg, spread: c.spread ?? 0.1 });
      const cam = sceneCamera(c.w, c.h, c.seed * 37, 12, 12, c.radius ?? 1.5, 0.05);
      const r = rng(c.seed + 7);
      const wRgb = Float32Array.from({ length: c.w * c.h * 3 }, () => r() * 2 - 1);
      const wAlpha = Float32Array.from({ length: c.w * c.h }, () => r() * 2 - 1);
      const opts = { background: c.bg, shDegree: c.deg, withDepth: true };
      const cpu = nativeAddon().renderBackward(cloud, cam, opts, wRgb, wAlpha, 'cpu');
      const gpu = nativeAddon().renderBackward(cloud, cam, opts, wRgb, wAlpha, 'cuda');
      expect(gpu.rgb.length).toBe(cpu.rgb.length);
      for (const key of ['rgb', 'alpha'] as const) {
        const d = diffStats(gpu[key], cpu[key]);
        expect(d.max, `${key} max |diff|`).toBeLessThanOrEqual(5e-3);
        expect(d.mean, `${key} mean |diff|`).toBeLessThanOrEqual(2e-5);
      }
      expect(gpu.depth && cpu.depth && relL2(gpu.depth, cpu.depth), 'depth relative L2').toBeLessThanOrEqual(1e-3);
      expect(Array.from(gpu.radii)).toEqual(Array.from(cpu.radii));
      for (const g of GRADIENT_GROUPS) {
        expect(gpu.grads[g].length, g).toBe(cpu.grads[g].length);
        if (cpu.grads[g].length === 0) continue;
        expect(relL2(gpu.grads[g], cpu.grads[g]), `${g} relative L2`).toBeLessThanOrEqual(2e-3);
      }
      expect(relL2(gpu.meanGrad2dNorm, cpu.meanGrad2dNorm), 'meanGrad2dNorm relative L2').toBeLessThanOrEqual(2e-3);
    });
  }

  it('is bit-identical run to run (no order-dependent atomics)', (ctx) => {
    if (unavailable) ctx.skip(`CUDA backend unavailable here: ${unavailable}`);
    const cloud = randomCloud(201, { count: 800, shDegree: 3, spread: 0.12 });
    const cam = sceneCamera(64, 64, 40, 10);
    const w = Float32Array.from({ length: 64 * 64 * 3 }, (_, k) => Math.sin(k));
    const a = nativeAddon().renderBackward(cloud, cam, {}, w, null, 'cuda');
    const b = nativeAddon().renderBackward(cloud, cam, {}, w, null, 'cuda');
    expect(Buffer.from(a.rgb.buffer).equals(Buffer.from(b.rgb.buffer))).toBe(true);
    for (const g of GRADIENT_GROUPS) expect(Buffer.from(a.grads[g].buffer).equals(Buffer.from(b.grads[g].buffer)), g).toBe(true);
  });
});
