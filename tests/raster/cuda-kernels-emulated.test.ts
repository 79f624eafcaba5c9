/**
 * The CUDA kernels themselves (native/cuda/preprocess.cuh, raster.cuh), run on the CPU through a host
 * emulation of the CUDA features they use (native/cuda/emulate/cuda_emu.h: block threads as std::threads,
 * a block barrier for __syncthreads / votes / shuffles) and compared with the CPU backend on random
 * scenes. This is what can be checked without a GPU: the kernels' maths, tile binning, pair ordering,
 * reverse traversal and deterministic reductions. It does not exercise the CUDA runtime / CUB calls or
 * device float maths; cuda-parity.test.ts does that where a GPU exists.
 *
 * Tolerances: the host emulation uses glibc expf where the CPU backend uses its own vectorised exp (an
 * ulp or two apart), and sums gradients in another order; images max |diff| <= 5e-3 (a rare pixel may
 * flip the 1/255 alpha cut), mean <= 2e-5; gradient groups relative L2 <= 2e-3; radii equal.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RasterCamera } from '../../src/shared/camera';
import { shCoeffsRest, type GaussianCloud, type ShDegree } from '../../src/shared/gaussians/cloud';
import { GRADIENT_GROUPS } from '../../src/shared/raster/types';
import { nativeAddon } from '../../src/engine/raster/native-addon';
import { randomCloud, rng, sceneCamera } from './scenes';

const repoRoot = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-cuda-emu-'));
const driver = path.join(tmp, 'kernel_check');
let buildError: string | undefined;

beforeAll(() => {
  const src = path.join(repoRoot, 'native', 'cuda', 'emulate', 'kernel_check.cpp');
  const r = spawnSync('g++', ['-std=c++20', '-O2', '-pthread', '-o', driver, src], { encoding: 'utf8' });
  if (r.error) buildError = `g++ not runnable: ${r.error.message}`;
  else if (r.status !== 0) throw new Error(`kernel_check.cpp does not compile:\n${r.stderr}`);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Emulated {
  rgb: Float32Array;
  alpha: Float32Array;
  depth: Float32Array;
  grads: Record<(typeof GRADIENT_GROUPS)[number], Float32Array>;
  meanGrad2dNorm: Float32Array;
  radii: Int32Array;
}

/** Runs the emulated kernels on one scene (file layouts in kernel_check.cpp). */
function runEmulated(cloud: GaussianCloud, cam: RasterCamera, degree: number, bg: [number, number, number], dRgb: Float32Array, dAlpha: Float32Array, tag: string): Emulated {
  const n = cloud.count;
  const header = Buffer.alloc(5 * 4 + 3 * 4 + 18 * 8);
  [n, cloud.shDegree, degree, cam.width, cam.height].forEach((v, i) => header.writeInt32LE(v, i * 4));
  bg.forEach((v, i) => header.writeFloatLE(v, 20 + i * 4));
  const m = cam.worldToCamera;
  const R = [m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]];
  const t = [m[3], m[7], m[11]];
  [cam.fx, cam.fy, cam.cx, cam.cy, cam.near, cam.far, ...R, ...t].forEach((v, i) => header.writeDoubleLE(v, 32 + i * 8));
  const f32 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const scene = path.join(tmp, `${tag}.scene`);
  const out = path.join(tmp, `${tag}.out`);
  fs.writeFileSync(scene, Buffer.concat([header, ...[cloud.positions, cloud.scales, cloud.rotations, cloud.opacities, cloud.shDC, cloud.shRest, dRgb, dAlpha].map(f32)]));
  const r = spawnSync(driver, [scene, out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`kernel_check failed: ${r.stderr}`);
  const buf = fs.readFileSync(out);
  const P = cam.width * cam.height;
  const K = shCoeffsRest(cloud.shDegree as ShDegree);
  let at = 0;
  const take = (len: number) => {
    const a = new Float32Array(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + len * 4));
    at += len * 4;
    return a;
  };
  const rgb = take(P * 3);
  const alpha = take(P);
  const depth = take(P);
  const grads = { positions: take(n * 3), scales: take(n * 3), rotations: take(n * 4), opacities: take(n), shDC: take(n * 3), shRest: take(n * K * 3) };
  const meanGrad2dNorm = take(n);
  const radii = new Int32Array(buf.buffer.slice(buf.byteOffset + at, buf.byteOffset + at + n * 4));
  return { rgb, alpha, depth, grads, meanGrad2dNorm, radii };
}

function relL2(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let k = 0; k < a.length; k++) {
    num += (a[k] - b[k]) ** 2;
    den += b[k] ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

// Small scenes: the emulation runs 256 OS threads per tile with a barrier per vote/shuffle (seconds per case).
const cases: { seed: number; deg: ShDegree; w: number; h: number; n: number; bg: [number, number, number]; radius?: number; spread?: number }[] = [
  { seed: 301, deg: 0, w: 20, h: 18, n: 40, bg: [1, 1, 1] },
  { seed: 302, deg: 1, w: 33, h: 17, n: 60, bg: [0.3, 0.6, 0.1] },
  { seed: 303, deg: 3, w: 24, h: 20, n: 80, bg: [0, 0, 0], spread: 0.15 },
  { seed: 304, deg: 2, w: 32, h: 32, n: 300, bg: [0.5, 0.5, 0.5], radius: 0.12, spread: 0.15 },
];

describe('CUDA kernels (host emulation) match the CPU backend', () => {
  for (const c of cases) {
    it(`SH ${c.deg}, ${c.w}x${c.h}, ${c.n} Gaussians${c.radius ? ', camera inside the cloud' : ''}`, (ctx) => {
      if (buildError) ctx.skip(buildError);
      const cloud = randomCloud(c.seed, { count: c.n, shDegree: c.deg, spread: c.spread ?? 0.1 });
      const cam = sceneCamera(c.w, c.h, c.seed * 37, 12, 12, c.radius ?? 1.5, 0.05);
      const r = rng(c.seed + 7);
      const dRgb = Float32Array.from({ length: c.w * c.h * 3 }, () => r() * 2 - 1);
      const dAlpha = Float32Array.from({ length: c.w * c.h }, () => r() * 2 - 1);
      const cpu = nativeAddon().renderBackward(cloud, cam, { background: c.bg, shDegree: c.deg, withDepth: true }, dRgb, dAlpha, 'cpu');
      const emu = runEmulated(cloud, cam, c.deg, c.bg, dRgb, dAlpha, `case${c.seed}`);
      for (const key of ['rgb', 'alpha'] as const) {
        let max = 0;
        let sum = 0;
        for (let k = 0; k < cpu[key].length; k++) {
          const d = Math.abs(emu[key][k] - cpu[key][k]);
          max = Math.max(max, d);
          sum += d;
        }
        expect(max, `${key} max |diff|`).toBeLessThanOrEqual(5e-3);
        expect(sum / cpu[key].length, `${key} mean |diff|`).toBeLessThanOrEqual(2e-5);
      }
      // The scene must exercise blending: some pixels far from the background.
      expect(Math.max(...cpu.alpha), 'scene covers pixels').toBeGreaterThan(0.5);
      expect(relL2(emu.depth, cpu.depth ?? new Float32Array()), 'depth relative L2').toBeLessThanOrEqual(1e-3);
      expect(Array.from(emu.radii)).toEqual(Array.from(cpu.radii));
      for (const g of GRADIENT_GROUPS) {
        if (cpu.grads[g].length === 0) continue;
        expect(Math.max(...cpu.grads[g].map(Math.abs)), `${g} not trivially zero`).toBeGreaterThan(0);
        expect(relL2(emu.grads[g], cpu.grads[g]), `${g} relative L2`).toBeLessThanOrEqual(2e-3);
      }
      expect(relL2(emu.meanGrad2dNorm, cpu.meanGrad2dNorm), 'meanGrad2dNorm relative L2').toBeLessThanOrEqual(2e-3);
    });
  }
});
