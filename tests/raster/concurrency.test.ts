/**
 * The CPU backend keeps a persistent worker pool; renders started at once from several Node worker
 * threads (renderCloudAsync) must not deadlock or mix up work: every result equals the synchronous
 * render bit for bit, for any thread count.
 */
import { describe, expect, it } from 'vitest';
import { renderCloud, renderCloudAsync } from '../../src/engine/raster';
import { randomCloud, sceneCamera } from './scenes';

describe('rasterizer concurrency', () => {
  it('concurrent async renders match the synchronous render exactly', async () => {
    const cloud = randomCloud(41, { count: 600, shDegree: 2 });
    const cams = [sceneCamera(67, 45, 10), sceneCamera(96, 96, 80), sceneCamera(33, 70, 200)];
    const expected = cams.map((cam) => renderCloud(cloud, cam, { threads: 2 }));
    const jobs = [];
    for (let round = 0; round < 4; round++)
      for (let i = 0; i < cams.length; i++) jobs.push(renderCloudAsync(cloud, cams[i], { threads: 1 + (round % 2) }).then((out) => ({ i, out })));
    for (const { i, out } of await Promise.all(jobs)) {
      expect(Buffer.from(out.rgb.buffer).equals(Buffer.from(expected[i].rgb.buffer))).toBe(true);
      expect(Buffer.from(out.alpha.buffer).equals(Buffer.from(expected[i].alpha.buffer))).toBe(true);
    }
  });
});
