/**
 * `headforge frontal` on a cheap precomputed head: the synthetic test head (tests/animation/head-cloud.ts)
 * saved as a PLY turned 50 degrees away from the camera. The command must find its face and return
 * a frontal portrait (|yaw| < 10 deg by the preprocessing's landmark model); bad input exits 2.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceYawDetector } from '../../src/engine/frontal';
import { readRgba } from '../../src/engine/image-io';
import { transformCloud } from '../../src/shared/gaussians/transforms';
import { encodeSplat } from '../../src/shared/splat';
import { makeHeadCloud } from '../animation/head-cloud';
import { repoRoot } from './quick-run';
import { runCli } from './run-cli';
import { requireNativeAddon } from '../native-required';

const TURN_DEG = 50;
let tmp: string;
let turnedPly: string;
const outDir = path.join(repoRoot, 'test-output', 'cli');

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-cli-frontal-'));
  fs.mkdirSync(outDir, { recursive: true });
  const half = (TURN_DEG * Math.PI) / 360;
  // Turned about +y: seen from azimuth 0 the face looks 50 degrees to one side (a 3/4 view).
  const turned = transformCloud(makeHeadCloud(12000).cloud, { rotation: [Math.cos(half), 0, Math.sin(half), 0] });
  turnedPly = path.join(tmp, 'turned.ply');
  fs.writeFileSync(turnedPly, encodeSplat(turned, 'ply'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('headforge frontal', () => {
  beforeAll(requireNativeAddon); // a missing addon fails here (npm install builds it), never skips
  it('a 3/4-turned head: the face is found and rendered frontal (|yaw| < 10 deg), at the asked size', async () => {
    const out = path.join(outDir, 'frontal-from-3q.png');
    const asIs = path.join(outDir, 'frontal-no-search.png');
    const r = await runCli(['frontal', turnedPly, out, '--size', '256']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const m = /front at azimuth (-?[\d.]+), \|yaw\| ([\d.]+) deg/.exec(r.out);
    expect(m, r.out).not.toBeNull();
    expect(Math.abs(Math.abs(Number(m![1])) - TURN_DEG)).toBeLessThan(15);
    const img = await readRgba(out);
    expect([img.width, img.height]).toEqual([256, 256]);
    // Measured again on the written file, independently of what the command printed.
    expect(Math.abs((await faceYawDetector(img))!)).toBeLessThan(10);
    // --no-search renders azimuth 0 as is: the face stays turned.
    expect((await runCli(['frontal', turnedPly, asIs, '--size', '256', '--no-search'])).code).toBe(0);
    const turnedYaw = await faceYawDetector(await readRgba(asIs));
    expect(turnedYaw === null || Math.abs(turnedYaw) > 20).toBe(true);
  }, 120_000);

  it('bad input exits 2 and says why', async () => {
    const cases: [string[], RegExp][] = [
      [['frontal', path.join(tmp, 'absent.ply'), path.join(tmp, 'f.png')], /absent\.ply does not exist/],
      [['frontal', turnedPly, path.join(tmp, 'f.jpg')], /written as \.png/],
      [['frontal', turnedPly, path.join(tmp, 'f.png'), '--size', '8'], /--size must be 16\.\.4096/],
      [['frontal', turnedPly, path.join(tmp, 'f.png'), '--size', 'large'], /--size must be an integer/],
      [['frontal', turnedPly, path.join(tmp, 'f.png'), '--quality', 'ultra'], /--quality must be draft, standard or high/],
      [['frontal', turnedPly], /expected an input and an output \.png/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      expect(r.err).toMatch(message);
      expect(r.code, argv.join(' ')).toBe(2);
    }
    const notAHead = path.join(tmp, 'notes.txt');
    fs.writeFileSync(notAHead, 'hello');
    const r = await runCli(['frontal', notAHead, path.join(tmp, 'f.png')]);
    expect(r.err).toMatch(/cannot tell what .*notes\.txt is/);
    expect(r.code).toBe(2);
  });
});
