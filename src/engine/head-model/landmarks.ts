/** Landmark correspondences (placeholder until the render + detect pass lands). */
import { LANDMARK_STATUS, type HeadModelData } from './asset';
import { FACE_MESH_LANDMARKS } from './types';

export interface LandmarkCorrespondences {
  triangles: Int32Array;
  barycentrics: Float32Array;
  status: Uint8Array;
  summary: Record<string, unknown>;
}

export async function computeLandmarkCorrespondences(
  _data: HeadModelData,
  _opts: { log?: (l: string) => void } = {},
): Promise<LandmarkCorrespondences> {
  return {
    triangles: new Int32Array(FACE_MESH_LANDMARKS).fill(-1),
    barycentrics: new Float32Array(FACE_MESH_LANDMARKS * 3),
    status: new Uint8Array(FACE_MESH_LANDMARKS).fill(LANDMARK_STATUS.undetected),
    summary: { stub: true },
  };
}
