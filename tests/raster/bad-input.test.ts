/** Bad input gives a clear error or a guarded result, never a crash of the process. */
import { describe, expect, it } from 'vitest';
import { GaussianTrainer, renderCloud, renderCloudAsync, toRgba8 } from '../../src/engine/raster';
import { nativeAddon } from '../../src/engine/raster/native-addon';
import { cameraLookAt } from '../../src/shared/camera';
import { randomCloud, sceneCamera } from './scenes';

describe('rasterizer input validation', () => {
  it('NaN parameters are rejected by the wrapper and by the addon itself', () => {
    const cloud = randomCloud(1, { count: 20, shDegree: 1 });
    cloud.scales[7] = NaN;
    const cam = sceneCamera(32, 32);
    expect(() => renderCloud(cloud, cam)).toThrow(/scales\[7\].*Gaussian 2.*finite/);
    // Bypassing the TS checks still gives an error, not a crash.
    expect(() => nativeAddon().render(cloud, cam, {})).toThrow(/non-finite value .* in scales\[7\]/);
  });

  it('zero-size images and malformed cameras are rejected', async () => {
    const cloud = randomCloud(2, { count: 5, shDegree: 0 });
    expect(() => renderCloud(cloud, { ...sceneCamera(32, 32), width: 0 })).toThrow(/positive integers/);
    expect(() => nativeAddon().render(cloud, { ...sceneCamera(32, 32), height: 0 }, {})).toThrow(/camera size/);
    await expect(renderCloudAsync(cloud, { ...sceneCamera(32, 32), fx: -1 })).rejects.toThrow(/focal/);
    expect(() => nativeAddon().render(cloud, { ...sceneCamera(8, 8), worldToCamera: new Float64Array(5) }, {})).toThrow(/worldToCamera/);
    expect(() => nativeAddon().render({ ...cloud, positions: new Float32Array(3) }, sceneCamera(8, 8), {})).toThrow(/positions has length 3, expected 15/);
  });

  it('a camera inside the cloud renders a guarded result (or a clear error)', async () => {
    const cloud = randomCloud(3, { count: 2000, shDegree: 0, spread: 0.1 });
    const cam = cameraLookAt([0, 0, 0.01], [0, 0, -1], 64, 64, 60, 0.001, 100);
    const out = await renderCloudAsync(cloud, cam);
    expect(out.rgb.every(Number.isFinite)).toBe(true);
    expect(out.alpha.every((a) => a >= 0 && a <= 1)).toBe(true);
    expect(toRgba8(out).data.length).toBe(64 * 64 * 4);
  });

  it('10 million Gaussians are refused with a clear error before any work', () => {
    const n = 10_000_000;
    // Zero-filled buffers are cheap (untouched pages); the count check comes first anyway.
    const huge = { count: n, shDegree: 0 as const, positions: new Float32Array(3 * n), scales: new Float32Array(3 * n), rotations: new Float32Array(4 * n), opacities: new Float32Array(n), shDC: new Float32Array(3 * n), shRest: new Float32Array(0) };
    expect(() => renderCloud(huge, sceneCamera(16, 16))).toThrow(/exceeds the rasterizer limit of 8000000/);
    expect(() => nativeAddon().render(huge, sceneCamera(16, 16), {})).toThrow(/exceeds the rasterizer limit/);
  });

  it('trainer: bad views and options are rejected, dispose during a step is safe, cancel stops early', async () => {
    const cloud = randomCloud(4, { count: 50, shDegree: 0 });
    const cam = sceneCamera(32, 32);
    const image = toRgba8(renderCloud(cloud, cam));
    expect(() => GaussianTrainer.create(cloud, [], {})).toThrow(/at least one target view/);
    expect(() => GaussianTrainer.create(cloud, [{ image, camera: sceneCamera(16, 16) }])).toThrow(/image is 32x32 but its camera is 16x16/);
    expect(() => GaussianTrainer.create(cloud, [{ image, camera: cam }], { ssimWeight: 2 })).toThrow(/ssimWeight/);
    const t = GaussianTrainer.create(cloud, [{ image, camera: cam }], { threads: 1 });
    const running = t.step(100000);
    expect(t.busy).toBe(true);
    expect(() => t.getCloud()).toThrow(/busy/);
    t.cancel();
    const stats = await running;
    expect(stats.cancelled).toBe(true);
    expect(stats.stepsRun).toBeLessThan(100000);
    const again = t.step(100000);
    t.dispose();
    const s2 = await again;
    expect(s2.cancelled).toBe(true);
    expect(() => t.getCloud()).toThrow(/disposed/);
  });
});
