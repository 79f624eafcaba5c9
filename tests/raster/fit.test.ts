/**
 * The trainer recovers a known scene: 16 views (the pipeline's azimuths, 64x64) rendered from a random
 * ground-truth cloud are fitted starting from different random Gaussians; held-out views (azimuths and
 * elevations never trained on) must reach >= 30 dB PSNR against the ground-truth renders.
 * Kept small (64x64, <= 2k Gaussians) to run in well under 60 s on one core.
 */
import { describe, expect, it } from 'vitest';
import { viewCameras, orbitCamera } from '../../src/shared/camera';
import { GaussianTrainer, renderCloud, toRgba8 } from '../../src/engine/raster';
import { randomCloud } from './scenes';

function psnr(a: Float32Array, b: Float32Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i] - b[i]) ** 2;
  return -10 * Math.log10(se / a.length);
}

describe('trainer fit', () => {
  it('fits 16 views of a known scene to >= 30 dB on held-out views, deterministically', async () => {
    const size = 64;
    const truth = randomCloud(77, { count: 300, shDegree: 1, spread: 0.07, logScale: [Math.log(0.006), Math.log(0.018)], opacityLogit: [0, 4], restAmplitude: 0.15 });
    const cams = viewCameras(10, size);
    const views = cams.map((camera) => ({ image: toRgba8(renderCloud(truth, camera)), camera }));
    const init = randomCloud(5, { count: 800, shDegree: 1, spread: 0.09, logScale: [Math.log(0.005), Math.log(0.01)], opacityLogit: [-1, 0], restAmplitude: 0 });
    for (let i = 0; i < init.shDC.length; i++) init.shDC[i] = 0;
    const opts = { seed: 3, threads: 1, lrPositionSteps: 2000, densifyFrom: 100, densifyUntil: 1200, densifyInterval: 100, maxCount: 2500, shDegreeInterval: 300, alphaWeight: 0.1 };
    const trainer = GaussianTrainer.create(init, views, opts);
    let last = await trainer.step(0);
    expect(last.stepsRun).toBe(0);
    const first = await trainer.step(50);
    for (let k = 0; k < 13; k++) last = await trainer.step(150);
    expect(last.step).toBe(2000);
    expect(last.loss).toBeLessThan(first.loss / 3);
    const fitted = trainer.getCloud();
    trainer.dispose();

    const heldOut = [orbitCamera(10, 25, size), orbitCamera(100, -5, size), orbitCamera(-130, 30, size), orbitCamera(170, 0, size)];
    const scores = heldOut.map((cam) => psnr(renderCloud(fitted, cam).rgb, renderCloud(truth, cam).rgb));
    console.log(`fit: ${fitted.count} Gaussians, train loss ${last.loss.toFixed(4)}, held-out PSNR ${scores.map((s) => s.toFixed(1)).join(' ')} dB`);
    for (const s of scores) expect(s).toBeGreaterThanOrEqual(30);

    // Same seed, 2 threads: the same parameters after 100 steps (bit-identical).
    const a = GaussianTrainer.create(init, views, opts);
    const b = GaussianTrainer.create(init, views, { ...opts, threads: 2 });
    await a.step(250);
    await b.step(250);
    const ca = a.getCloud();
    const cb = b.getCloud();
    expect(ca.count).toBe(cb.count);
    expect(Buffer.from(ca.positions.buffer).equals(Buffer.from(cb.positions.buffer))).toBe(true);
    expect(Buffer.from(ca.shDC.buffer).equals(Buffer.from(cb.shDC.buffer))).toBe(true);
    a.dispose();
    b.dispose();
  });
});
