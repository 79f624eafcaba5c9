/**
 * The state a forward pass leaves for its backward (hf::ForwardState, opaque to callers; each backend
 * keeps its own: host arrays on the CPU, device buffers on CUDA), read through its test-only host copy
 * (ForwardState::toHost, exposed as the addon's forwardStateForTest hook):
 *  - on the CPU, the invariants the backward relies on: tile lists are offsets into the pair list, each
 *    tile's list is sorted front to back and holds only Gaussians that are not culled, every pixel's last
 *    contributor lies in its own tile's list, and the final transmittance is 1 - the rendered alpha;
 *  - on CUDA (only where the CUDA backend starts; skipped elsewhere with the loader's reason), the same
 *    binning as the CPU's, Gaussian for Gaussian, and the per-pixel state within the image tolerance.
 */
import { describe, expect, it } from 'vitest';
import type { GaussianCloud } from '../../src/shared/gaussians/cloud';
import type { RasterCamera } from '../../src/shared/camera';
import { nativeAddon } from '../../src/engine/raster/native-addon';
import { randomCloud, sceneCamera } from './scenes';

interface HostState {
  tilesX: number;
  tilesY: number;
  tileStart: Float64Array;
  pairGaussian: Uint32Array;
  radius: Int32Array;
  depth: Float32Array;
  finalT: Float32Array;
  lastContrib: Uint32Array;
  alpha: Float32Array;
}
/** The test-only hook of native/src/napi/render_api.cpp (not part of the typed addon surface). */
function forwardState(cloud: GaussianCloud, camera: RasterCamera, backend: 'cpu' | 'cuda'): HostState {
  const hook = (
    nativeAddon() as unknown as {
      forwardStateForTest: (c: GaussianCloud, cam: RasterCamera, o: object, b: string) => HostState;
    }
  ).forwardStateForTest;
  return hook(cloud, camera, { shDegree: 2, background: [0.2, 0.5, 0.9] }, backend);
}

const TILE = 16;
const cloud = randomCloud(41, { count: 600, shDegree: 2 });
const camera = sceneCamera(70, 45); // partial tiles on the right and bottom edges

describe('CPU forward state (host copy)', () => {
  const s = forwardState(cloud, camera, 'cpu');

  it('tile lists: offsets into the pair list, each sorted front to back over visible Gaussians', () => {
    expect([s.tilesX, s.tilesY]).toEqual([Math.ceil(70 / TILE), Math.ceil(45 / TILE)]);
    const tiles = s.tilesX * s.tilesY;
    expect(s.tileStart.length).toBe(tiles + 1);
    expect(s.tileStart[0]).toBe(0);
    expect(s.tileStart[tiles]).toBe(s.pairGaussian.length);
    expect(s.pairGaussian.length).toBeGreaterThan(600); // not trivially empty: Gaussians span tiles
    for (let t = 0; t < tiles; t++) {
      expect(s.tileStart[t + 1]).toBeGreaterThanOrEqual(s.tileStart[t]);
      for (let k = s.tileStart[t]; k < s.tileStart[t + 1]; k++) {
        const g = s.pairGaussian[k];
        expect(s.radius[g]).toBeGreaterThan(0);
        if (k > s.tileStart[t]) {
          const prev = s.pairGaussian[k - 1];
          const ordered = s.depth[prev] < s.depth[g] || (s.depth[prev] === s.depth[g] && prev < g);
          if (!ordered) expect.fail(`tile ${t}: pair ${k} is not behind pair ${k - 1}`);
        }
      }
    }
  });

  it("per pixel: the last contributor lies in the pixel's tile list, finalT = 1 - alpha", () => {
    const { width: W, height: H } = camera;
    expect(s.finalT.length).toBe(W * H);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const p = y * W + x;
        const t = Math.floor(y / TILE) * s.tilesX + Math.floor(x / TILE);
        const last = s.lastContrib[p];
        if (last < s.tileStart[t] || last > s.tileStart[t + 1])
          expect.fail(`pixel ${x},${y}: lastContrib ${last}`);
        if (s.alpha[p] !== Math.fround(1 - s.finalT[p]))
          expect.fail(`pixel ${x},${y}: finalT ${s.finalT[p]}`);
      }
  });
});

/** Why the CUDA backend cannot run here, or undefined when it can. */
function cudaUnavailable(): string | undefined {
  try {
    forwardState(randomCloud(1, { count: 2, shDegree: 0 }), sceneCamera(8, 8), 'cuda');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

describe('CUDA forward state (host copy) against the CPU', () => {
  const unavailable = cudaUnavailable();

  it('same binning; per-pixel state within the image tolerance', (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const cpu = forwardState(cloud, camera, 'cpu');
    const gpu = forwardState(cloud, camera, 'cuda');
    expect(Array.from(gpu.radius)).toEqual(Array.from(cpu.radius));
    expect(Array.from(gpu.tileStart)).toEqual(Array.from(cpu.tileStart));
    expect(Array.from(gpu.pairGaussian)).toEqual(Array.from(cpu.pairGaussian));
    let worst = 0;
    for (let p = 0; p < cpu.finalT.length; p++)
      worst = Math.max(worst, Math.abs(gpu.finalT[p] - cpu.finalT[p]));
    expect(worst).toBeLessThanOrEqual(5e-3);
  });
});
