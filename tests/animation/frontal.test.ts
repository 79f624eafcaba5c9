/**
 * Frontal-view prediction quality bar (issue 9): a profile and a 3/4 render of a real textured head
 * go through the full generate pipeline, and the returned frontal image must be detected as frontal
 * (|yaw| < 10 deg) by the preprocessing's landmark model.
 *
 * The head is the evaluation harness's textured test head (tests/eval/helpers/test-head.ts: the
 * weight-free proxy of the real portrait hq-0002 written as a GLB, turned and scaled out of the
 * pipeline frame), normalised by the harness like any ground-truth mesh.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  frontalFromCloud,
  predictFrontal,
  renderFrontal,
  searchFrontAzimuth,
} from '../../src/engine/frontal';
import { analyzeFace } from '../../src/engine/face';
import { fitPose2D } from '../../src/engine/multiview/weightfree/pose-fit';
import { writePng } from '../../src/engine/image-io';
import { loadGltf } from '../../src/engine/eval/gltf-loader';
import { normaliseHeadMesh } from '../../src/engine/eval/mesh-source';
import { renderTexturedMesh } from '../../src/shared/eval-render/textured-mesh';
import { orbitCamera } from '../../src/shared/camera';
import { testHeadGlb } from '../eval/helpers/test-head';
import { makeHeadCloud } from './head-cloud';
import { hstack, savePng } from '../stylize/fixture';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pipelineExists = fs.existsSync(path.join(repoRoot, 'src/engine/pipeline/generate.ts'));

async function loadHeadMesh() {
  return { mesh: (await loadGltf(await testHeadGlb())).mesh, name: 'test-head' };
}

describe('frontal view', () => {
  it('renderFrontal looks at the face from +z: the synthetic head shows both eyes symmetrically', async () => {
    const { cloud } = makeHeadCloud(4000);
    const img = await renderFrontal(cloud, { size: 96, transparent: true });
    // Left/right alpha symmetry about the centre column (the head is symmetric, the camera frontal).
    let asym = 0;
    for (let y = 0; y < 96; y++)
      for (let x = 0; x < 48; x++)
        asym += Math.abs(img.data[(y * 96 + x) * 4 + 3] - img.data[(y * 96 + 95 - x) * 4 + 3]);
    expect(asym / (96 * 48)).toBeLessThan(3);
    expect(img.data[3]).toBe(0);
    await expect(renderFrontal(cloud, { size: 5 })).rejects.toThrow(/size/);
  });

  it('frontalFromCloud searches the azimuth where the detector measures the least yaw', async () => {
    const { cloud } = makeHeadCloud(3000);
    const seen: number[] = [];
    let call = 0;
    // A fake detector whose answer depends only on the call order: the 3rd candidate (-30) is frontal.
    const res = await frontalFromCloud(
      cloud,
      async () => {
        seen.push(call);
        return [40, 25, 1, 50][call++] ?? null;
      },
      { size: 32 },
    );
    expect(res.frontAzimuthDeg).toBe(-30);
    expect(res.residualYawDeg).toBe(1);
    expect(seen).toHaveLength(3); // stops once |yaw| < 5
  });

  it('the front search converges when the detector misjudges the distance (reads 2x or 0.5x the turn, either sign)', async () => {
    // Front at azimuth 47 (between the 30 and 60 candidates). Stepping by the measured yaw alone
    // overshoots (2x) or creeps (0.5x); the bracketing secant step lands within 2 degrees.
    for (const gain of [2, 0.5, -2, -0.5]) {
      const seen: number[] = [];
      const best = await searchFrontAzimuth(async (az) => {
        seen.push(az);
        return gain * 40 * Math.tanh((az - 47) / 25); // monotonic, not linear: the secant needs several steps
      });
      expect(best, `gain ${gain}`).not.toBeNull();
      expect(
        Math.abs(best!.az - 47),
        `gain ${gain}: azimuths tried ${seen.map((a) => a.toFixed(1)).join(', ')}`,
      ).toBeLessThan(2);
      expect(seen.length).toBeLessThanOrEqual(9 + 10);
    }
    // No face anywhere: null, after the coarse candidates only.
    let calls = 0;
    expect(await searchFrontAzimuth(async () => (calls++, null))).toBeNull();
    expect(calls).toBe(9);
  });

  // Both run the real pipeline (weight-free views, draft training with few steps). The profile input
  // has no face the landmark model can find: the weight-free head stands a canonical face on the side
  // the profile faces (src/engine/multiview/weightfree/profile.ts, docs/weightfree.md).
  for (const [label, az] of [
    ['3/4', 55],
    ['profile', 90],
  ] as const) {
    it.skipIf(!pipelineExists)(
      `${label} render (azimuth ${az}) of a real head comes back frontal (|yaw| < 10 deg per analyzeFace)`,
      async () => {
        const { mesh, name } = await loadHeadMesh();
        const head = await normaliseHeadMesh(mesh, {});
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-frontal-'));
        try {
          const portrait = renderTexturedMesh(head.mesh, orbitCamera(az, 0, 512));
          const input = path.join(dir, `${name}-az${az}.png`);
          await writePng(input, portrait);
          const inputYaw = (await analyzeFace(portrait))?.yawDeg ?? null;
          // Few optimisation steps: the face's direction, not its fine detail, decides this bar.
          const res = await predictFrontal(input, {
            settings: { quality: 'draft', steps: 120, elevationDeg: 0 },
          });
          const seen = await analyzeFace(res.image);
          const yaw = seen?.yawDeg ?? null;
          // The landmark model's own yaw is flat (a 40 deg turn reads ~4 deg); the 2-D fit is the
          // stricter measure and is reported alongside.
          const yaw2D = seen ? fitPose2D(seen.landmarks).yawDeg : null;
          process.stderr.write(
            `frontal test: ${name} az ${az}: input yaw ${inputYaw?.toFixed(1) ?? 'no face'}, ` +
              `frontal yaw ${yaw?.toFixed(1) ?? 'no face'} (2-D ${yaw2D?.toFixed(1) ?? '-'}) at azimuth ${res.frontAzimuthDeg.toFixed(1)}\n`,
          );
          await savePng(hstack([portrait, res.image]), `../animation/frontal-az${az}.png`);
          expect(yaw, `no face detected on the frontal prediction from azimuth ${az}`).not.toBeNull();
          expect(Math.abs(yaw as number)).toBeLessThan(10);
          // The search steers by the 2-D yaw, so the returned view is frontal by that measure too.
          expect(Math.abs(yaw2D as number)).toBeLessThan(12);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
      900_000,
    );
  }
  if (!pipelineExists)
    it.skip('frontal quality bar: skipped because src/engine/pipeline/generate.ts does not exist yet', () =>
      undefined);
});
