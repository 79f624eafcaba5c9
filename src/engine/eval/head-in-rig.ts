/**
 * A head fit's pose carried into a multi-view ground truth's world. The fit's camera is the
 * preprocessing crop's (its optical axis through the crop's centre, no roll about it); in the ground
 * truth that axis is the view camera's ray through the crop's centre. One head seen from several
 * cameras has one orientation, so fits of several views compared here measure the fit's pose error
 * (scripts/pose-consistency.ts, tests/head-fit/upright.test.ts).
 */
import type { RasterCamera, Vec3 } from '../../shared/camera';
import {
  cropCentreRay,
  dot,
  rigUp,
  unit,
  mul3,
  rotationOf,
  rotationOntoZ,
  transpose3,
  type CropTransform,
  type Mat3,
} from './camera-mapping';

const DEG = 180 / Math.PI;

const column = (a: Mat3, c: number): Vec3 => [a[c], a[3 + c], a[6 + c]];

export { rigUp };

/**
 * Crop camera -> ground-truth world rotation (row-major): the crop camera's optical axis is the view
 * camera's ray through the crop's centre (rotationOntoZ's transpose takes +z onto it), then the view
 * camera's camera -> world rotation.
 */
function cropToWorld(camera: RasterCamera, crop: CropTransform): Mat3 {
  const ray = unit(cropCentreRay(camera, crop).ray);
  return mul3(transpose3(rotationOf(camera)), transpose3(rotationOntoZ(ray)));
}

/** Elevation (degrees, above positive) of the crop camera's optical axis over the plane across `up`. */
export function cropElevationDeg(camera: RasterCamera, crop: CropTransform, up: Vec3): number {
  const axis = column(cropToWorld(camera, crop), 2);
  return -Math.asin(Math.max(-1, Math.min(1, dot(axis, up)))) * DEG;
}

/**
 * The fitted head's forward (+Z) and up (+Y) axes in the ground truth's world, from the fit's model ->
 * crop-camera rotation (row-major, OpenCV axes).
 */
export function headAxesInRig(
  camera: RasterCamera,
  crop: CropTransform,
  rotation: ArrayLike<number>,
): { forward: Vec3; up: Vec3 } {
  const modelToWorld = mul3(cropToWorld(camera, crop), Array.from(rotation));
  return { forward: unit(column(modelToWorld, 2)), up: unit(column(modelToWorld, 1)) };
}

/** Angle (degrees) between two unit vectors. */
export function angleDeg(a: Vec3, b: Vec3): number {
  return Math.acos(Math.max(-1, Math.min(1, dot(a, b)))) * DEG;
}
