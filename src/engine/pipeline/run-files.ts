/**
 * Writing run outputs so that a cancelled or crashed run leaves each output either complete or absent:
 * files are written to a temp name and renamed; folders of views are filled under a temp name and
 * renamed as a whole.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RgbaImage } from '../../shared/image';
import { StudioError } from '../../shared/rpc/errors';
import { encodePng } from '../image-io';
import { fsError, nodeLibraryFs, writeFileAtomic, writeJsonAtomic } from '../run-folder/atomic-write';
import { RUN_FILES } from '../run-folder/layout';
import { readOptionalJson } from '../run-folder/read-optional-json';

// One atomic write for every file the product writes (temp + fsync + rename, temp removed on failure,
// ENOSPC -> DISK_FULL): the project library's.
export { writeFileAtomic, writeJsonAtomic };

/**
 * Write images as `<prefix>-00.png`... into `runDir/<folder>` atomically (temp folder + rename).
 * Returns the paths relative to runDir.
 */
export async function writeImageFolder(
  runDir: string,
  folder: string,
  prefix: string,
  images: RgbaImage[],
): Promise<string[]> {
  const final = path.join(runDir, folder);
  const tmp = `${final}.tmp-${crypto.randomBytes(4).toString('hex')}`;
  await fs.mkdir(tmp, { recursive: true });
  const names = images.map((_, i) => `${prefix}-${String(i).padStart(2, '0')}.png`);
  try {
    for (let i = 0; i < images.length; i++)
      await nodeLibraryFs.writeNew(path.join(tmp, names[i]), await encodePng(images[i]));
    await fs.rm(final, { recursive: true, force: true });
    await fs.rename(tmp, final);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw fsError(err, `write ${folder}`);
  }
  return names.map((n) => `${folder}/${n}`);
}

export function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** The fitted facial landmarks of a run's head, next to record.json (see writeRunLandmarks). */
export const RUN_LANDMARKS_FILE = RUN_FILES.landmarks;
/** The head model fitted to the portrait (HeadFit: coefficients, pose, camera), when one is installed. */
export const RUN_HEAD_FIT_FILE = RUN_FILES.headFit;
const LANDMARKS_FORMAT = 'headforge-landmarks';
const LANDMARK_COUNT = 478;

/**
 * landmarks.json: the 478 MediaPipe face-mesh landmarks the multi-view backend fitted its head to, in
 * the WORLD coordinates of head.ply (OpenGL axes: +y up, the face looks towards +z), so the expression
 * rig can anchor on them without re-detecting a face on a render of the head.
 *   points: [478 * 3] x y z per landmark, MediaPipe index order.
 */
export interface RunLandmarks {
  format: typeof LANDMARKS_FORMAT;
  version: 1;
  space: 'world';
  /** Who fitted them, e.g. 'weight-free proxy fit'. */
  source: string;
  count: typeof LANDMARK_COUNT;
  points: number[];
}

export async function writeRunLandmarks(
  runDir: string,
  worldPoints: ArrayLike<number>,
  source: string,
): Promise<void> {
  if (worldPoints.length !== LANDMARK_COUNT * 3)
    throw new RangeError(`expected ${LANDMARK_COUNT} x 3 landmark coordinates, got ${worldPoints.length}`);
  const points = Array.from(worldPoints, (v) => {
    if (!Number.isFinite(v)) throw new RangeError('landmark coordinates must be finite');
    return Math.round(v * 1e6) / 1e6; // micrometre steps of a ~1-unit head: exact enough, half the JSON
  });
  const value: RunLandmarks = {
    format: LANDMARKS_FORMAT,
    version: 1,
    space: 'world',
    source,
    count: LANDMARK_COUNT,
    points,
  };
  await writeFileAtomic(path.join(runDir, RUN_LANDMARKS_FILE), `${JSON.stringify(value)}\n`);
}

/**
 * The run's landmarks as Float32Array [478 * 3] (world space), or null when the run has none (older
 * runs, model-pack backends, portraits without a face). A file that exists but is damaged is an error:
 * silently re-detecting would hide it.
 */
export async function readRunLandmarks(
  runDir: string,
): Promise<{ points: Float32Array; source: string } | null> {
  const file = path.join(runDir, RUN_LANDMARKS_FILE);
  const json = await readOptionalJson(file);
  if (json === undefined) return null;
  const parsed = json as Partial<RunLandmarks> | null; // the file may hold `null`
  const pts = parsed?.points;
  if (
    parsed?.format !== LANDMARKS_FORMAT ||
    parsed.space !== 'world' ||
    !Array.isArray(pts) ||
    pts.length !== LANDMARK_COUNT * 3 ||
    !pts.every((v) => typeof v === 'number' && Number.isFinite(v))
  ) {
    throw new StudioError(
      'DAMAGED',
      `${file} is damaged: expected {"format": "${LANDMARKS_FORMAT}", "space": "world", "points": [${LANDMARK_COUNT} x 3 finite numbers]}`,
    );
  }
  return { points: Float32Array.from(pts), source: String(parsed.source ?? 'unknown') };
}

/** Copy a run's landmarks to a variant whose geometry is unchanged (a colour restyle); no-op without them. */
export async function copyRunLandmarks(fromRunDir: string, toRunDir: string): Promise<void> {
  try {
    await fs.copyFile(path.join(fromRunDir, RUN_LANDMARKS_FILE), path.join(toRunDir, RUN_LANDMARKS_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
