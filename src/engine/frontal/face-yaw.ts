/**
 * The default yaw detector for the frontal search: the preprocessing's landmark model finds the face,
 * and the yaw comes from its 2-D landmark layout (weak-perspective fit to a canonical face with real
 * depth, src/engine/multiview/weightfree/pose-fit.ts). The landmark model's own 3-D yaw (analyzeFace's
 * yawDeg) is flat - a 40 deg turn reads ~4 deg - which let the search stop at a turned view and gave
 * its refinement step (move the camera by the measured yaw) almost nothing to work with.
 */
import type { RgbaImage } from '../../shared/image';
import { analyzeFace } from '../face';
import { fitPose2D } from '../multiview/weightfree/pose-fit';

export async function faceYawDetector(img: RgbaImage): Promise<number | null> {
  const face = await analyzeFace(img);
  return face ? fitPose2D(face.landmarks).yawDeg : null;
}
