/**
 * Ground truth from a folder of multi-view images with cameras, `opencv_cameras.json` style
 * (GS-LRM / FaceLift data):
 *   { "frames": [ { "file_path": "images/000.png", "w": 512, "h": 512,
 *                   "fx": ..., "fy": ..., "cx": ..., "cy": ...,
 *                   "w2c": [[r00, r01, r02, tx], [r10, ...], [r20, ...], [0, 0, 0, 1]] }, ... ] }
 * w2c maps world to OpenCV camera axes (x right, y down, z forward), as RasterCamera does. Images
 * should carry alpha (the silhouette); opaque images are accepted with a warning (mask IoU and the
 * alignment then see the whole frame). The input view is chosen by the caller or, by default, the
 * most frontal one: the face with the smallest |yaw| (first frame when no face is found). With the
 * profile-to-frontal protocol the most frontal view is the score view and the input is the view seen
 * most nearly at 90 degrees from it. The input camera's elevation is read from the rig when its
 * cameras have no roll (camera-mapping.ts, rigElevationDeg), else left unknown.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { RasterCamera } from '../../shared/camera';
import type { RgbaImage } from '../../shared/image';
import { StudioError } from '../../shared/rpc/errors';
import { compositeOnWhite } from '../../shared/metrics/alignment';
import { analyzeFace } from '../face';
import { readRgba } from '../image-io';
import { orbitCentreOf, profileViewOf, rigElevationDeg } from './gt-rig';
import type { EvalProtocol, GtSubject } from './types';
import type { FaceFn } from './view-scores';

export const CAMERAS_FILE = 'opencv_cameras.json';

const row4 = z.array(z.number().finite()).length(4);
const frameSchema = z.object({
  file_path: z.string().min(1),
  w: z.number().int().positive(),
  h: z.number().int().positive(),
  fx: z.number().positive(),
  fy: z.number().positive(),
  cx: z.number().finite(),
  cy: z.number().finite(),
  w2c: z.array(row4).min(3).max(4),
});
const camerasSchema = z.object({ frames: z.array(frameSchema).min(2) });

export interface FolderSourceOptions {
  /** Index of the input frame (default: most frontal face; profile-to-frontal: the profile of the score view). */
  inputView?: number;
  /** Index of the view whose scores are the headline (profile-to-frontal default: most frontal face). */
  scoreView?: number;
  protocol?: EvalProtocol;
  detectFace?: FaceFn;
  log?: (m: string) => void;
}

function cameraOf(f: z.infer<typeof frameSchema>): RasterCamera {
  const m = new Float64Array(12);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) m[r * 4 + c] = f.w2c[r][c];
  // The rotation must be orthonormal: a c2w or a scaled matrix here would silently mis-place every view.
  for (let r = 0; r < 3; r++) {
    const n = Math.hypot(m[r * 4], m[r * 4 + 1], m[r * 4 + 2]);
    if (Math.abs(n - 1) > 1e-3)
      throw new RangeError(
        `${f.file_path}: w2c row ${r} of the rotation has norm ${n.toFixed(4)} (expected 1)`,
      );
  }
  return {
    width: f.w,
    height: f.h,
    fx: f.fx,
    fy: f.fy,
    cx: f.cx,
    cy: f.cy,
    worldToCamera: m,
    near: 1e-3,
    far: 1e6,
  };
}

export async function folderSubject(dir: string, opts: FolderSourceOptions = {}): Promise<GtSubject> {
  const file = path.join(dir, CAMERAS_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new StudioError('BAD_REQUEST', `${file}: ${(err as Error).message}`);
  }
  const parsed = camerasSchema.safeParse(raw);
  if (!parsed.success)
    throw new StudioError(
      'BAD_REQUEST',
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const warnings: string[] = [];
  const views: GtSubject['views'] = [];
  for (const f of parsed.data.frames) {
    const target = path.resolve(dir, f.file_path);
    if (path.relative(dir, target).startsWith('..'))
      throw new RangeError(`${file}: file_path '${f.file_path}' leaves the folder`);
    let image: RgbaImage;
    try {
      image = await readRgba(target);
    } catch (err) {
      throw new RangeError(`${f.file_path}: ${(err as Error).message}`, { cause: err });
    }
    if (image.width !== f.w || image.height !== f.h)
      throw new RangeError(
        `${f.file_path}: image is ${image.width}x${image.height}, the cameras file says ${f.w}x${f.h}`,
      );
    views.push({ label: path.basename(f.file_path), image, camera: cameraOf(f) });
  }
  if (
    views.every((v) => {
      for (let i = 3; i < v.image.data.length; i += 4) if (v.image.data[i] < 255) return false;
      return true;
    })
  ) {
    warnings.push('the images have no transparency: mask IoU and silhouette alignment see the whole frame');
  }
  const checkIndex = (i: number | undefined, what: string) => {
    if (i !== undefined && (i < 0 || i >= views.length))
      throw new RangeError(`${what} ${i} does not exist (${views.length} frames)`);
  };
  checkIndex(opts.inputView, 'input view');
  checkIndex(opts.scoreView, 'score view');
  const cameras = views.map((v) => v.camera);
  const orbitCentre = orbitCentreOf(cameras);
  const protocol = opts.protocol ?? 'input-view';
  const mostFrontal = async (): Promise<number> => {
    const detect = opts.detectFace ?? analyzeFace;
    let bestYaw = Infinity;
    let best = -1;
    for (let i = 0; i < views.length; i++) {
      const face = await detect(compositeOnWhite(views[i].image));
      if (face && Math.abs(face.yawDeg) < bestYaw) {
        bestYaw = Math.abs(face.yawDeg);
        best = i;
      }
    }
    if (best < 0) {
      warnings.push('no face found in any view: the first frame is taken as the most frontal');
      return 0;
    }
    opts.log?.(`eval: most frontal view ${views[best].label} (|yaw| ${bestYaw.toFixed(1)} deg)`);
    return best;
  };
  let inputIndex: number;
  let scoreIndex: number | undefined = opts.scoreView;
  if (protocol === 'profile-to-frontal') {
    scoreIndex ??= await mostFrontal();
    inputIndex = opts.inputView ?? profileViewOf(cameras, scoreIndex, orbitCentre);
    opts.log?.(
      `eval: profile-to-frontal: input ${views[inputIndex].label}, scored against ${views[scoreIndex].label}`,
    );
  } else inputIndex = opts.inputView ?? (await mostFrontal());
  const elevationDeg = rigElevationDeg(cameras, inputIndex, orbitCentre);
  return {
    name: path.basename(path.resolve(dir)),
    kind: 'views',
    source: dir,
    views,
    inputIndex,
    portrait: views[inputIndex].image,
    elevationDeg: elevationDeg === null ? null : Math.round(elevationDeg * 1e3) / 1e3,
    orbitCentre,
    ...(scoreIndex !== undefined ? { scoreIndex } : {}),
    protocol,
    warnings,
  };
}
