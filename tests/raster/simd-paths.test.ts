/**
 * The blending kernels run 8 pixels wide (AVX2) when the CPU has it, else 4 wide (SSE, the build
 * baseline). A child process with HEADFORGE_RASTER_NO_AVX2=1 renders the same scene on the SSE path:
 * the forward output must be bit-identical (each pixel's arithmetic does not depend on the lane width),
 * and the gradients may differ only by float summation order (relative L2 difference <= 1e-5 per group).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nativeAddon, nativeAddonPath } from '../../src/engine/raster/native-addon';
import { GRADIENT_GROUPS } from '../../src/shared/raster/types';
import { randomCloud, rng, sceneCamera } from './scenes';

const CHILD = `
const addon = require(process.env.ADDON);
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const f32 = (a) => Float32Array.from(a);
const c = input.cloud;
const cloud = { count: c.count, shDegree: c.shDegree, positions: f32(c.positions), scales: f32(c.scales), rotations: f32(c.rotations), opacities: f32(c.opacities), shDC: f32(c.shDC), shRest: f32(c.shRest) };
const camera = { ...input.camera, worldToCamera: Float64Array.from(input.camera.worldToCamera) };
const out = addon.renderBackward(cloud, camera, { threads: 2 }, f32(input.wRgb), null);
const b64 = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const grads = {};
for (const g of input.groups) grads[g] = b64(out.grads[g]);
process.stdout.write(JSON.stringify({ rgb: b64(out.rgb), grads }));
`;

describe('SIMD kernel paths', () => {
  it('SSE and AVX2 blending agree (forward bit-identical, gradients to float rounding)', () => {
    const cloud = randomCloud(51, { count: 700, shDegree: 2 });
    const cam = sceneCamera(83, 61, 40, 12);
    const r = rng(9);
    const wRgb = Float32Array.from({ length: 83 * 61 * 3 }, () => r() - 0.5);
    const here = nativeAddon().renderBackward(cloud, cam, { threads: 2 }, wRgb, null);
    const plain = (a: ArrayLike<number>) => Array.from(a);
    const input = {
      cloud: { count: cloud.count, shDegree: cloud.shDegree, positions: plain(cloud.positions), scales: plain(cloud.scales), rotations: plain(cloud.rotations), opacities: plain(cloud.opacities), shDC: plain(cloud.shDC), shRest: plain(cloud.shRest) },
      camera: { ...cam, worldToCamera: plain(cam.worldToCamera) },
      wRgb: plain(wRgb),
      groups: GRADIENT_GROUPS,
    };
    const child = spawnSync(process.execPath, ['-e', CHILD], {
      input: JSON.stringify(input),
      env: { ...process.env, ADDON: nativeAddonPath() ?? '', HEADFORGE_RASTER_NO_AVX2: '1' },
      maxBuffer: 64 << 20,
    });
    expect(child.status, child.stderr.toString()).toBe(0);
    const sse = JSON.parse(child.stdout.toString()) as { rgb: string; grads: Record<string, string> };
    expect(Buffer.from(sse.rgb, 'base64').equals(Buffer.from(here.rgb.buffer, here.rgb.byteOffset, here.rgb.byteLength))).toBe(true);
    for (const g of GRADIENT_GROUPS) {
      const b = Buffer.from(sse.grads[g], 'base64');
      const other = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
      const a = here.grads[g];
      expect(other.length).toBe(a.length);
      let num = 0;
      let den = 0;
      for (let k = 0; k < a.length; k++) {
        num += (a[k] - other[k]) ** 2;
        den += a[k] ** 2;
      }
      expect(den, g).toBeGreaterThan(0);
      expect(Math.sqrt(num / den), g).toBeLessThanOrEqual(1e-5);
    }
  });
});
