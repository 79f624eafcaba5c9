/** Deterministic random scenes for the rasterizer tests (no Math.random: every failure reproduces). */
import { cameraLookAt, orbitPosition, type RasterCamera } from '../../src/shared/camera';
import { allocateCloud, shCoeffsRest, type GaussianCloud, type ShDegree } from '../../src/shared/gaussians/cloud';
import { mulberry32 } from '../../src/shared/random';

/** Seeded floats in [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  return mulberry32(seed);
}

export interface SceneOptions {
  count: number;
  shDegree: ShDegree;
  /** Half-size of the cube the means are drawn from (world units). */
  spread?: number;
  /** log-scale range. */
  logScale?: [number, number];
  /** opacity-logit range. */
  opacityLogit?: [number, number];
  restAmplitude?: number;
}

export function randomCloud(seed: number, o: SceneOptions): GaussianCloud {
  const r = rng(seed);
  const u = (lo: number, hi: number) => lo + (hi - lo) * r();
  const cloud = allocateCloud(o.count, o.shDegree);
  const spread = o.spread ?? 0.1;
  const [sLo, sHi] = o.logScale ?? [Math.log(0.004), Math.log(0.03)];
  const [oLo, oHi] = o.opacityLogit ?? [-2, 3];
  const K = shCoeffsRest(o.shDegree);
  for (let i = 0; i < o.count; i++) {
    for (let k = 0; k < 3; k++) {
      cloud.positions[i * 3 + k] = u(-spread, spread);
      cloud.scales[i * 3 + k] = u(sLo, sHi);
      cloud.shDC[i * 3 + k] = u(-1.6, 1.6);
    }
    for (let k = 0; k < 4; k++) cloud.rotations[i * 4 + k] = u(-1, 1);
    cloud.rotations[i * 4] += 0.2; // keep |q| away from 0
    cloud.opacities[i] = u(oLo, oHi);
    for (let k = 0; k < K * 3; k++) cloud.shRest[i * K * 3 + k] = u(-1, 1) * (o.restAmplitude ?? 0.3);
  }
  return cloud;
}

/** A camera on the orbit (radius 1.5 by default) looking at the origin, any image size. */
export function sceneCamera(width: number, height: number, azimuthDeg = 20, elevationDeg = 10, fovyDeg = 10, radius = 1.5, near = 0.01): RasterCamera {
  return cameraLookAt(orbitPosition(azimuthDeg, elevationDeg, radius), [0, 0, 0], width, height, fovyDeg, near, 100);
}
