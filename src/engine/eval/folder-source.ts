/**
 * Ground truth from a folder of multi-view images with cameras, `opencv_cameras.json` style
 * (GS-LRM / FaceLift data):
 *   { "frames": [ { "file_path": "images/000.png", "w": 512, "h": 512,
 *                   "fx": ..., "fy": ..., "cx": ..., "cy": ...,
 *                   "w2c": [[r00, r01, r02, tx], [r10, ...], [r20, ...], [0, 0, 0, 1]] }, ... ] }
 * w2c maps world to OpenCV camera axes (x right, y down, z forward), as RasterCamera does. Images
 * should carry alpha (the silhouette); opaque images are accepted with a warning (mask IoU and the
 * alignment then see the whole frame). The input view is chosen by the caller or, by default, the
 * most frontal one: the face with the smallest |yaw| (first frame when no face is found).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { RasterCamera } from '../../shared/camera';
import type { RgbaImage } from '../../shared/image';
import { compositeOnWhite } from '../../shared/metrics/alignment';
import { analyzeFace } from '../face';
import { readRgba } from '../image-io';
import { orbitCentreOf } from './camera-mapping';
import type { GtSubject } from './types';
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
  /** Index of the input frame (default: most frontal face). */
  inputView?: number;
  detectFace?: FaceFn;
  log?: (m: string) => void;
}

function cameraOf(f: z.infer<typeof frameSchema>): RasterCamera {
  const m = new Float64Array(12);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) m[r * 4 + c] = f.w2c[r][c];
  // The rotation must be orthonormal: a c2w or a scaled matrix here would silently mis-place every view.
  for (let r = 0; r < 3; r++) {
    const n = Math.hypot(m[r * 4], m[r * 4 + 1], m[r * 4 + 2]);
    if (Math.abs(n - 1) > 1e-3) throw new RangeError(`${f.file_path}: w2c row ${r} of the rotation has norm ${n.toFixed(4)} (expected 1)`);
  }
  return { width: f.w, height: f.h, fx: f.fx, fy: f.fy, cx: f.cx, cy: f.cy, worldToCamera: m, near: 1e-3, far: 1e6 };
}

export async function folderSubject(dir: string, opts: FolderSourceOptions = {}): Promise<GtSubject> {
  const file = path.join(dir, CAMERAS_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new RangeError(`${file}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = camerasSchema.safeParse(raw);
  if (!parsed.success) throw new RangeError(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const warnings: string[] = [];
  const views = [];
  for (const f of parsed.data.frames) {
    const target = path.resolve(dir, f.file_path);
    if (path.relative(dir, target).startsWith('..')) throw new RangeError(`${file}: file_path '${f.file_path}' leaves the folder`);
    let image: RgbaImage;
    try {
      image = await readRgba(target);
    } catch (err) {
      throw new RangeError(`${f.file_path}: ${(err as Error).message}`, { cause: err });
    }
    if (image.width !== f.w || image.height !== f.h) throw new RangeError(`${f.file_path}: image is ${image.width}x${image.height}, the cameras file says ${f.w}x${f.h}`);
    views.push({ label: path.basename(f.file_path), image, camera: cameraOf(f) });
  }
  if (views.every((v) => { for (let i = 3; i < v.image.data.length; i += 4) if (v.image.data[i] < 255) return false; return true; })) {
    warnings.push('the images have no transparency: mask IoU and silhouette alignment see the whole frame');
  }
  let inputIndex = opts.inputView ?? -1;
  if (inputIndex >= views.length) throw new RangeError(`input view ${inputIndex} does not exist (${views.length} frames)`);
  if (inputIndex < 0) {
    const detect = opts.detectFace ?? analyzeFace;
    let bestYaw = Infinity;
    for (let i = 0; i < views.length; i++) {
      const face = await detect(compositeOnWhite(views[i].image));
      if (face && Math.abs(face.yawDeg) < bestYaw) {
        bestYaw = Math.abs(face.yawDeg);
        inputIndex = i;
      }
    }
    if (inputIndex < 0) {
      inputIndex = 0;
      warnings.push('no face found in any view: the first frame is the input');
    } else opts.log?.(`eval: input view ${views[inputIndex].label} (|yaw| ${bestYaw.toFixed(1)} deg)`);
  }
  return {
    name: path.basename(path.resolve(dir)),
    kind: 'views',
    source: dir,
    views,
    inputIndex,
    portrait: views[inputIndex].image,
    elevationDeg: null,
    orbitCentre: orbitCentreOf(views.map((v) => v.camera)),
    warnings,
  };
}
