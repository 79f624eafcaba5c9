/**
 * A ground-truth subject's mirror world: every image flipped left-right and every camera mirrored with
 * it, so the pipeline sees the mirror image of the same person, lit and framed alike. A pipeline with no
 * left-right bias scores a subject and its mirror alike; `headforge eval --mirror` runs both. (The code
 * of session 20 scored facelift-mvd-000 19.31 dB and its mirror world 18.74: the landmark detector read
 * every face one-sidedly.)
 */
import type { RasterCamera } from '../../shared/camera';
import { flipRgbaX } from '../../shared/image';
import type { GtSubject } from './types';

/**
 * The camera that sees the world mirrored across x = 0 as `cam` sees it, its image flipped left-right:
 * with S = diag(-1, 1, 1), R' = S R S and t' = S t (p_cam' = S p_cam for p_world' = S p_world), and the
 * principal point mirrored across the image (u' = width - u: pixel k spans [k, k + 1)).
 */
export function mirrorCamera(cam: RasterCamera): RasterCamera {
  const s = [-1, 1, 1];
  const m = cam.worldToCamera;
  const out = new Float64Array(12);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 4; c++) out[r * 4 + c] = m[r * 4 + c] * s[r] * (c < 3 ? s[c] : 1);
  return { ...cam, cx: cam.width - cam.cx, worldToCamera: out };
}

/** `subject` in its mirror world, named `<name>-mirrored`. Run ground truths have no mirror (their input is a file). */
export function mirrorSubject(subject: GtSubject): GtSubject {
  if (subject.kind === 'run')
    throw new Error(
      `${subject.name}: a run ground truth has no mirror world (its input is the run's own file)`,
    );
  const [x, y, z] = subject.orbitCentre;
  return {
    ...subject,
    name: `${subject.name}-mirrored`,
    source: `${subject.source} (mirrored)`,
    views: subject.views.map((v) => ({
      label: v.label,
      image: flipRgbaX(v.image),
      camera: mirrorCamera(v.camera),
    })),
    ...(subject.inputCamera ? { inputCamera: mirrorCamera(subject.inputCamera) } : {}),
    portrait: flipRgbaX(subject.portrait),
    orbitCentre: [-x, y, z],
    warnings: [...subject.warnings],
  };
}
