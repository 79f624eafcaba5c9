/**
 * Face anchors of a finished run for the expression rig: the landmarks the pipeline fitted the head
 * to (landmarks.json, world space, written by generate) when the run has them; otherwise (older runs,
 * model-pack backends) found by the landmark model on a frontal render of the head (head-anchors.ts).
 */
import { anchorsFromMesh478, type FaceAnchors } from '../../../shared/animation';
import type { GaussianCloud } from '../../../shared/gaussians/cloud';
import { readRunLandmarks, RUN_LANDMARKS_FILE } from '../../pipeline/run-files';
import { anchorsFromHead } from './head-anchors';

export interface RunAnchors {
  anchors: FaceAnchors;
  /** Where they came from, for logs: `landmarks.json (weight-free proxy fit)` or `detected on a frontal render`. */
  source: string;
}

export async function runFaceAnchors(runDir: string, cloud: GaussianCloud, fovyDeg: number): Promise<RunAnchors> {
  const saved = await readRunLandmarks(runDir);
  if (saved) return { anchors: anchorsFromMesh478(saved.points), source: `${RUN_LANDMARKS_FILE} (${saved.source})` };
  return { anchors: await anchorsFromHead(cloud, fovyDeg), source: 'detected on a frontal render of the head' };
}
