/**
 * A real-looking textured ground-truth head for the harness tests (../shared has no textured head
 * mesh): the weight-free proxy of a real portrait (a closed textured
 * head with the portrait's face on it), moved out of the pipeline frame (scaled x40, turned 35 deg,
 * translated) so that normalisation and the front search have work to do, written as a GLB.
 * `shape`: 'landmark' (default) the landmark proxy (an egg under the face, its torso under the head
 * centre); 'fitted' the head built on the ICT model fitted to the portrait (../shared's copy: a
 * skull, ears and a neck of a real head's proportions), for the elevation sweep.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { preprocessPortrait } from '../../../src/engine/preprocess';
import { buildHeadProxy } from '../../../src/engine/multiview/weightfree/build';
import { writeGlb } from './write-glb';
import { fitPortraitHead } from '../../../src/engine/head-fit';
import { sharedHeadModel } from '../../head-fit/shared-model';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const portraitFixture = (name: string) => path.resolve(repoRoot, '../shared/fixtures/portraits', name);

/** Yaw the test head is turned by (its face looks towards azimuth +35 deg). */
export const TEST_HEAD_TURN_DEG = 35;

const cached = new Map<string, Promise<string>>();

/** Path of the GLB (built once per test process and shape). */
export function testHeadGlb(shape: 'landmark' | 'fitted' = 'landmark', portrait = 'hq-0002-matted-rgba.png'): Promise<string> {
  const key = `${shape}:${portrait}`;
  const hit = cached.get(key);
  if (hit) return hit;
  const made = (async () => {
    const pre = await preprocessPortrait(new Uint8Array(await fs.readFile(portraitFixture(portrait))));
    let head = null;
    if (shape === 'fitted') {
      const model = await sharedHeadModel();
      const fitted = fitPortraitHead(model, pre);
      if (!fitted) throw new Error(`the head model does not fit ${portrait}`);
      head = { model, fitted };
    }
    const proxy = buildHeadProxy(pre, { seed: 7, head });
    const half = (TEST_HEAD_TURN_DEG / 2) * (Math.PI / 180);
    const glb = await writeGlb({
      positions: proxy.mesh.positions,
      uvs: proxy.mesh.uvs,
      indices: proxy.mesh.indices,
      texture: proxy.texture,
      node: {
        translation: [3, 10, -2],
        rotation: [0, Math.sin(half), 0, Math.cos(half)],
        scale: [40, 40, 40],
      },
    });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hf-eval-head-'));
    const file = path.join(dir, 'test-head.glb');
    await fs.writeFile(file, glb);
    return file;
  })();
  cached.set(key, made);
  return made;
}
