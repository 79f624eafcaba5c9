/**
 * Ground truth from an existing run ("run vs run"): the reference run's head rendered at its own 16
 * cameras (its renders/ folder when present, else rendered from head.ply), with its preprocessed crop
 * as the portrait. Compares seeds, presets or backends on the same subject.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { orbitCamera, VIEW_AZIMUTHS_DEG, viewCameras } from '../../shared/camera';
import type { RgbaImage } from '../../shared/image';
import { readRgba } from '../image-io';
import { renderCloudAsync, toRgba8 } from '../raster';
import { loadCandidateRun } from './candidate';
import type { GtSubject } from './types';
import { runPath } from '../run-folder/layout';

export async function runSubject(runDir: string): Promise<GtSubject> {
  const run = await loadCandidateRun(runDir);
  const cameras = viewCameras(run.elevationDeg, run.viewSize, run.fovyDeg);
  let images: RgbaImage[] | null = null;
  try {
    const names = (await fs.readdir(runPath(runDir, 'rendersDir'))).filter((n) => n.endsWith('.png')).sort();
    if (names.length === 16)
      images = await Promise.all(names.map((n) => readRgba(path.join(runPath(runDir, 'rendersDir'), n))));
  } catch {
    images = null;
  }
  images ??= await Promise.all(
    cameras.map(async (c) => toRgba8(await renderCloudAsync(run.cloud, c, { background: [1, 1, 1] }))),
  );
  let portrait: RgbaImage;
  try {
    portrait = await readRgba(runPath(runDir, 'crop512'));
  } catch {
    throw new RangeError(`${runDir}: no preprocess/crop512.png to use as the portrait`);
  }
  return {
    name: `run-${path.basename(path.resolve(runDir))}`,
    kind: 'run',
    source: runDir,
    views: images.map((image, i) => ({
      label: `az ${VIEW_AZIMUTHS_DEG[i].toFixed(1)}`,
      image,
      camera: cameras[i],
    })),
    inputIndex: 0,
    // The camera that saw the crop (record.json resolved.inputCamera; view 0 for older runs).
    inputCamera: orbitCamera(
      run.inputCamera.azimuthDeg,
      run.inputCamera.elevationDeg,
      portrait.width,
      run.inputCamera.fovyDeg,
      run.inputCamera.distance,
    ),
    portrait,
    elevationDeg: run.elevationDeg,
    orbitCentre: [0, 0, 0],
    ...(run.inputSha256 ? { inputSha256: run.inputSha256 } : {}),
    warnings: [],
  };
}
