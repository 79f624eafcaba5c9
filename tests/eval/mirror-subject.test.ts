// The mirror world of a ground truth (`headforge eval --mirror`): what a camera saw at pixel u, its
// mirrored camera sees mirrored at width - u; a folder subject's mirror is its images flipped with
// cameras that still agree with them, and mirroring twice gives the subject back.
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { folderSubject, mirrorSubject } from '../../src/engine/eval';
import { mirrorCamera } from '../../src/engine/eval/mirror-subject';
import { orbitCamera, projectPoint, type Vec3 } from '../../src/shared/camera';
import { flipRgbaX } from '../../src/shared/image';
import { repoRoot } from '../cli/quick-run';

const GT = path.resolve(repoRoot, '../shared/fixtures/gt/facelift-mvd-000');

describe('a ground truth in its mirror world', () => {
  it('a mirrored camera sees the mirrored point where the camera saw the point, flipped across the image', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    for (let k = 0; k < 50; k++) {
      const cam = {
        ...orbitCamera(rnd() * 180, rnd() * 40, 300, 20 + 10 * rnd()),
        cx: 140 + 10 * rnd(),
        cy: 160,
      };
      const p: Vec3 = [rnd() * 0.3, rnd() * 0.3, rnd() * 0.3];
      const [u, v] = projectPoint(cam, p);
      const [um, vm] = projectPoint(mirrorCamera(cam), [-p[0], p[1], p[2]]);
      expect(um).toBeCloseTo(cam.width - u, 6);
      expect(vm).toBeCloseTo(v, 6);
    }
  });

  it('flips every view and the portrait, and mirroring twice gives the subject back', async () => {
    const s = await folderSubject(GT);
    const m = mirrorSubject(s);
    expect(m.name).toBe(`${s.name}-mirrored`);
    expect(m.inputIndex).toBe(s.inputIndex);
    expect(m.views).toHaveLength(s.views.length);
    const img = s.views[1].image;
    const flipped = m.views[1].image;
    // A pixel near the left edge lands near the right edge, same row.
    for (const [x, y] of [
      [10, 200],
      [300, 256],
      [0, 0],
    ]) {
      const a = (y * img.width + x) * 4;
      const b = (y * img.width + img.width - 1 - x) * 4;
      expect(Array.from(flipped.data.subarray(b, b + 4))).toEqual(Array.from(img.data.subarray(a, a + 4)));
    }
    expect(m.orbitCentre[0]).toBeCloseTo(-s.orbitCentre[0], 12);
    const back = mirrorSubject({ ...m, name: s.name });
    expect(Array.from(back.portrait.data)).toEqual(Array.from(s.portrait.data));
    for (let i = 0; i < s.views.length; i++) {
      expect(Array.from(back.views[i].camera.worldToCamera)).toEqual(
        Array.from(s.views[i].camera.worldToCamera),
      );
      expect(back.views[i].camera.cx).toBe(s.views[i].camera.cx);
    }
    expect(Array.from(flipRgbaX(flipRgbaX(img)).data)).toEqual(Array.from(img.data));
  });

  it('refuses --mirror with a candidate run (exit 2)', async () => {
    let err = '';
    const stderr = new PassThrough();
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await main(['eval', '--gt', GT, '--mirror', '--candidate-run', os.tmpdir()], {
      stdout: new PassThrough(),
      stderr,
    });
    expect(code).toBe(2);
    expect(err).toMatch(/--mirror/);
  });
});
