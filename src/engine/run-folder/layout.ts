/**
 * The layout of a run folder (<library>/<project>/runs/<run-id>/, or the folder `headforge generate
 * --out` writes): every file and sub-folder a run holds, by name relative to the folder. Features ask
 * here instead of spelling the names, so the layout is written down once.
 *
 *   run.json                 the library's entry: state, settings, outputs summary (run-file.ts)
 *   record.json              everything needed to re-run and re-read the head (record.ts)
 *   metrics.json             per-view PSNR/SSIM, Gaussian count, identity
 *   head.ply                 the Gaussian head
 *   head-fit.json            the head model fitted to the portrait, when one is installed
 *   head-binding.json        each Gaussian's triangle of the fitted head, kept by the optimisation
 *   landmarks.json           the 478 fitted face landmarks in head.ply's world space
 *   restyle.json             present on a restyled variant: { sourceRunId, ops, createdAt }
 *   preprocess/crop512.png   the 512 px head crop every later stage sees
 *   preprocess/overlay.png   the crop with the face mesh drawn on it
 *   preprocess/face.json     landmarks, pose, framing of the crop
 *   preprocess/styled512.png the stylized crop (runs with a style)
 *   views/view-NN.png        the 16 generated views;  renders/render-NN.png  the head rendered at them
 *   exports/                 files exported from the run (splat formats, meshes, animations, frontal)
 */
import path from 'node:path';

/** Names relative to the run folder ('/'-separated: they are also stored in record.json). */
export const RUN_FILES = {
  run: 'run.json',
  record: 'record.json',
  metrics: 'metrics.json',
  headPly: 'head.ply',
  headFit: 'head-fit.json',
  headBinding: 'head-binding.json',
  landmarks: 'landmarks.json',
  restyle: 'restyle.json',
  preprocessDir: 'preprocess',
  crop512: 'preprocess/crop512.png',
  overlay: 'preprocess/overlay.png',
  face: 'preprocess/face.json',
  styled512: 'preprocess/styled512.png',
  viewsDir: 'views',
  rendersDir: 'renders',
  exportsDir: 'exports',
} as const;

export type RunFileKey = keyof typeof RUN_FILES;

/** Absolute path of one of the run folder's files or sub-folders. */
export function runPath(runDir: string, key: RunFileKey): string {
  return path.join(runDir, ...RUN_FILES[key].split('/'));
}

/** Absolute path of a file in the run's exports/ folder; the name must be a plain file name. */
export function runExportPath(runDir: string, fileName: string): string {
  if (!fileName || fileName !== path.basename(fileName) || fileName === '.' || fileName === '..')
    throw new RangeError(`export file name must be a plain file name, got '${fileName}'`);
  return path.join(runPath(runDir, 'exportsDir'), fileName);
}
