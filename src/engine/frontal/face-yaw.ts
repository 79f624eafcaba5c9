/** The default yaw detector for the frontal search: the preprocessing's face landmark model. */
import type { RgbaImage } from '../../shared/image';
import { analyzeFace } from '../face';

export async function faceYawDetector(img: RgbaImage): Promise<number | null> {
  const face = await analyzeFace(img);
  return face ? face.yawDeg : null;
}
