/**
 * Rasterizer benchmark: a deterministic head-like scene of 65,536 Gaussians at 512x512 (the pipeline's
 * camera: orbit radius 1.5, fovy 10 degrees). Reports forward ms, backward ms, full training steps/s
 * (forward + L1/D-SSIM + backward + Adam, 16 target views, densification off) with 1 and 2 threads,
 * thread scaling and peak RSS; then the same figures for the `draft` preset's size (30,000 Gaussians at
 * 256x256), where per-call overhead matters more. `npm run bench -- --filter raster`
 * For load-independent instruction counts use native/tools/raster_driver.cpp under callgrind.
 */
import { viewCameras, orbitCamera } from '../src/shared/camera';
import { allocateCloud, type GaussianCloud } from '../src/shared/gaussians/cloud';
import { GaussianTrainer, isNativeAvailable, nativeLoadError, renderCloud, toRgba8 } from '../src/engine/raster';
import { nativeAddon } from '../src/engine/raster/native-addon';
import type { Bench, BenchResult } from './harness';
import { timeMs } from './harness';

const SIZE = 512;
const COUNT = 65_536;

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Gaussians on a head-shaped surface: an ellipsoid (half-axes 0.08 x 0.105 x 0.1, ~0.21 tall) plus a
 * neck cylinder, flattened along the surface normal, skin/hair colours by height, SH degree 3 with small
 * view-dependent terms.
 */
export function headLikeCloud(count = COUNT, seed = 1): GaussianCloud {
  const r = prng(seed);
  const c = allocateCloud(count, 3);
  for (let i = 0; i < count; i++) {
    let x: number, y: number, z: number, nx: number, ny: number, nz: number;
    if (i % 8 === 0) {
      const a = r() * 2 * Math.PI;
      const h = -0.1 - r() * 0.06;
      x = 0.045 * Math.cos(a);
      z = 0.045 * Math.sin(a);
      y = h;
      [nx, ny, nz] = [Math.cos(a), 0, Math.sin(a)];
    } else {
      const u = r() * 2 - 1;
      const a = r() * 2 * Math.PI;
      const s = Math.sqrt(1 - u * u);
      [nx, ny, nz] = [s * Math.cos(a), u, s * Math.sin(a)];
      x = 0.08 * nx;
      y = 0.105 * ny + 0.01;
      z = 0.1 * nz;
    }
    c.positions.set([x, y, z], i * 3);
    // sigma ~ the spacing of 65k points on this surface (~1.3e-3): neighbours overlap by about one sigma.
    const t = 0.0013 + 0.0008 * r();
    // Flat along the normal: rotate local z onto the normal (quaternion from (0,0,1) to n).
    const w = 1 + nz;
    const q = w > 1e-6 ? [w, -ny, nx, 0] : [0, 1, 0, 0];
    c.rotations.set(q, i * 4);
    c.scales.set([Math.log(t), Math.log(t), Math.log(t * 0.25)], i * 3);
    c.opacities[i] = 1 + 2 * r();
    const hair = y > 0.05 || (z < -0.03 && y > -0.05);
    const base = hair ? [0.25, 0.17, 0.1] : [0.85, 0.65, 0.55];
    for (let k = 0; k < 3; k++) c.shDC[i * 3 + k] = (base[k] - 0.5 + (r() - 0.5) * 0.1) / 0.28209479177387814;
    for (let k = 0; k < 45; k++) c.shRest[i * 45 + k] = (r() - 0.5) * 0.04;
  }
  return c;
}

function perturbed(cloud: GaussianCloud, seed: number): GaussianCloud {
  const r = prng(seed);
  const c = { ...cloud, positions: cloud.positions.slice(), shDC: cloud.shDC.slice(), scales: cloud.scales.slice(), rotations: cloud.rotations.slice(), opacities: cloud.opacities.slice(), shRest: cloud.shRest.slice() };
  for (let i = 0; i < c.positions.length; i++) c.positions[i] += (r() - 0.5) * 0.004;
  for (let i = 0; i < c.shDC.length; i++) c.shDC[i] += (r() - 0.5) * 0.5;
  return c;
}

/** Whether the CUDA backend starts here (library built and a GPU present): then GPU rows are added. */
function cudaAvailable(): boolean {
  try {
    nativeAddon().renderBackward(headLikeCloud(4), orbitCamera(20, 10, 16), {}, new Float32Array(16 * 16 * 3), null, 'cuda');
    return true;
  } catch {
    return false;
  }
}

async function trainingStepsPerSecond(
  init: GaussianCloud,
  views: { image: ReturnType<typeof toRgba8>; camera: ReturnType<typeof orbitCamera> }[],
  threads: number,
  backend: 'cpu' | 'cuda' = 'cpu',
): Promise<number> {
  // The trainer picks its backend from HEADFORGE_RASTER_BACKEND when it is created: pin it, so the CPU
  // rows stay CPU figures on a machine with a GPU.
  const before = process.env.HEADFORGE_RASTER_BACKEND;
  process.env.HEADFORGE_RASTER_BACKEND = backend;
  let trainer: GaussianTrainer;
  try {
    trainer = GaussianTrainer.create(init, views, { threads, densifyInterval: 0, shDegreeInterval: 0, seed: 1 });
  } finally {
    if (before === undefined) delete process.env.HEADFORGE_RASTER_BACKEND;
    else process.env.HEADFORGE_RASTER_BACKEND = before;
  }
  await trainer.step(3);
  const steps = 24;
  const t0 = performance.now();
  await trainer.step(steps);
  const s = (performance.now() - t0) / 1000;
  trainer.dispose();
  return steps / s;
}

export const benches: Bench[] = [
  {
    name: 'raster',
    async run(): Promise<BenchResult[]> {
      if (!isNativeAvailable()) throw new Error(nativeLoadError() ?? 'native addon missing');
      const out: BenchResult[] = [];
      const gpu = cudaAvailable(); // GPU figures beside the CPU ones when the CUDA backend starts
      for (const [size, count] of [
        [SIZE, COUNT],
        [256, 30_000],
      ] as const) {
        const label = `${size}x${size} ${Math.floor(count / 1000)}k`;
        const cloud = headLikeCloud(count);
        const cam = orbitCamera(20, 10, size);
        const dL = new Float32Array(size * size * 3).fill(1e-3);
        for (const threads of [1, 2]) {
          const fwd = await timeMs(() => renderCloud(cloud, cam, { threads }), 5, 1);
          const fb = await timeMs(() => nativeAddon().renderBackward(cloud, cam, { threads }, dL, null), 5, 1);
          out.push({ name: `raster forward ${label} (${threads} thr)`, value: fwd, unit: 'ms' });
          out.push({ name: `raster backward ${label} (${threads} thr)`, value: fb - fwd, unit: 'ms' });
        }
        const views = viewCameras(10, size).map((camera) => ({ image: toRgba8(renderCloud(cloud, camera)), camera }));
        const init = perturbed(cloud, 2);
        const s1 = await trainingStepsPerSecond(init, views, 1);
        const s2 = await trainingStepsPerSecond(init, views, 2);
        out.push({ name: `raster train steps/s ${label} (1 thr)`, value: s1, unit: 'steps/s' });
        out.push({ name: `raster train steps/s ${label} (2 thr)`, value: s2, unit: 'steps/s' });
        out.push({ name: `raster train thread scaling 2 vs 1 (${label})`, value: s2 / s1, unit: 'x' });
        if (gpu) {
          const gfb = await timeMs(() => nativeAddon().renderBackward(cloud, cam, {}, dL, null, 'cuda'), 5, 1);
          out.push({ name: `raster CUDA forward+backward ${label} (incl. transfers)`, value: gfb, unit: 'ms' });
          out.push({ name: `raster CUDA train steps/s ${label}`, value: await trainingStepsPerSecond(init, views, 2, 'cuda'), unit: 'steps/s' });
        }
      }
      out.push({ name: 'raster peak RSS (16 views + trainer)', value: process.resourceUsage().maxRSS / 1024, unit: 'MiB' });
      return out;
    },
  },
];
