/**
 * Left-right symmetric landmark correspondences on a left-right symmetric head.
 *
 * The correspondences are read off renders of the mean head lit from one side (./render.ts), and the
 * detector's points drift with the light: on the ICT mean head the right brow's points came out 1.3 to
 * 3.8 mm further out than their mirrored left partners and the outer eye corners 3.5 mm apart in height,
 * so every frontal portrait fitted a raised or knitted right brow. The head is symmetric (the ICT mean
 * head to 0.05 mm), so each pair's two points are replaced by the mean of one and the other's mirror,
 * and the midline's points are put on the mirror plane.
 */
import { FACE_MESH_MIRROR } from '../face/face-mesh-mirror';
import { LANDMARK_STATUS } from './asset';
import { FACE_MESH_LANDMARKS } from './types';

export interface SymmetryResult {
  /** Pairs made symmetric (both points reliable). */
  pairs: number;
  /** Reliable midline points moved onto the mirror plane. */
  midline: number;
  /** The largest distance any point moved (cm). */
  maxShiftCm: number;
}

/**
 * In place on `points` ([478 * 3] x, y, z per landmark, model frame; NaN where not found): each pair whose
 * two points are both reliable (`status` ok) becomes the mirror image of the other about the plane
 * x = `midX`, each at the mean of its own point and its partner's mirrored one; a reliable midline
 * point is moved onto that plane. Others are left as they are.
 */
export function symmetrizeLandmarkPoints(
  points: Float64Array,
  status: Uint8Array,
  midX: number,
): SymmetryResult {
  const ok = (i: number) => status[i] === LANDMARK_STATUS.ok && !Number.isNaN(points[i * 3]);
  let pairs = 0;
  let midline = 0;
  let maxShift = 0;
  for (let i = 0; i < FACE_MESH_LANDMARKS; i++) {
    const j = FACE_MESH_MIRROR[i];
    if (j < i || !ok(i) || !ok(j)) continue;
    if (j === i) {
      maxShift = Math.max(maxShift, Math.abs(points[i * 3] - midX));
      points[i * 3] = midX;
      midline++;
      continue;
    }
    // The mean of i and j's mirror: its x measured from the plane, the other two as they are.
    const dx = (points[i * 3] - midX - (points[j * 3] - midX)) / 2;
    const y = (points[i * 3 + 1] + points[j * 3 + 1]) / 2;
    const z = (points[i * 3 + 2] + points[j * 3 + 2]) / 2;
    maxShift = Math.max(
      maxShift,
      Math.hypot(midX + dx - points[i * 3], y - points[i * 3 + 1], z - points[i * 3 + 2]),
    );
    points[i * 3] = midX + dx;
    points[j * 3] = midX - dx;
    points[i * 3 + 1] = points[j * 3 + 1] = y;
    points[i * 3 + 2] = points[j * 3 + 2] = z;
    pairs++;
  }
  return { pairs, midline, maxShiftCm: maxShift };
}
