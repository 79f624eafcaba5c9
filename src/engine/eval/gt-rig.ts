/**
 * What a ground-truth camera rig says about itself: where its cameras look (the orbit centre), the
 * input camera's elevation above the rig's horizontal plane, and which camera is the profile view.
 * Cameras are RasterCameras (worldToCamera row-major 4x4, OpenCV axes: x right, y down, z forward).
 */
import { fovyFromFocal, type RasterCamera, type Vec3 } from '../../shared/camera';

/**
 * The GT rig's up direction and the input camera's elevation above the plane through the orbit
 * centre perpendicular to it, when the rig says: cameras without roll keep their x axis horizontal,
 * so up is the direction perpendicular to every camera's x axis (the cross product of the two most
 * different ones), signed to agree with the input camera's image up. Null when the x axes are all
 * parallel (one azimuth) or some camera is rolled by more than `maxRollDeg`.
 */
export function rigElevationDeg(
  cameras: RasterCamera[],
  inputIndex: number,
  orbitCentre: Vec3,
  maxRollDeg = 2,
): number | null {
  const xs = cameras.map((c) => [c.worldToCamera[0], c.worldToCamera[1], c.worldToCamera[2]] as Vec3);
  let up: Vec3 | null = null;
  let best = 0;
  for (let i = 0; i < xs.length; i++)
    for (let j = i + 1; j < xs.length; j++) {
      const a = xs[i],
        b = xs[j];
      const c: Vec3 = [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
      const n = Math.hypot(c[0], c[1], c[2]);
      if (n > best) {
        best = n;
        up = [c[0] / n, c[1] / n, c[2] / n];
      }
    }
  if (!up || best < Math.sin((10 * Math.PI) / 180)) return null;
  const sinRoll = Math.sin((maxRollDeg * Math.PI) / 180);
  for (const x of xs) if (Math.abs(x[0] * up[0] + x[1] * up[1] + x[2] * up[2]) > sinRoll) return null;
  const m = cameras[inputIndex].worldToCamera;
  // Image up is -y (OpenCV); flip `up` to agree with it.
  if (-(m[4] * up[0] + m[5] * up[1] + m[6] * up[2]) < 0) up = [-up[0], -up[1], -up[2]];
  const t: Vec3 = [m[3], m[7], m[11]];
  const centre: Vec3 = [
    -(m[0] * t[0] + m[4] * t[1] + m[8] * t[2]),
    -(m[1] * t[0] + m[5] * t[1] + m[9] * t[2]),
    -(m[2] * t[0] + m[6] * t[1] + m[10] * t[2]),
  ];
  const d: Vec3 = [centre[0] - orbitCentre[0], centre[1] - orbitCentre[1], centre[2] - orbitCentre[2]];
  const dn = Math.hypot(d[0], d[1], d[2]);
  if (!(dn > 0)) return null;
  return (
    (Math.asin(Math.max(-1, Math.min(1, (d[0] * up[0] + d[1] * up[1] + d[2] * up[2]) / dn))) * 180) / Math.PI
  );
}

/**
 * Least-squares point closest to every camera's optical axis: where a ring of cameras looks. Needs
 * at least two non-parallel axes.
 */
export function orbitCentreOf(cameras: RasterCamera[]): Vec3 {
  // Sum over cameras of (I - d d^T) x = (I - d d^T) o, with o the centre and d the forward axis.
  const A = new Array<number>(9).fill(0);
  const b = [0, 0, 0];
  for (const cam of cameras) {
    const m = cam.worldToCamera;
    const d: Vec3 = [m[8], m[9], m[10]];
    const t: Vec3 = [m[3], m[7], m[11]];
    const o: Vec3 = [
      -(m[0] * t[0] + m[4] * t[1] + m[8] * t[2]),
      -(m[1] * t[0] + m[5] * t[1] + m[9] * t[2]),
      -(m[2] * t[0] + m[6] * t[1] + m[10] * t[2]),
    ];
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 3; c++) {
        const P = (r === c ? 1 : 0) - d[r] * d[c];
        A[r * 3 + c] += P;
        b[r] += P * o[c];
      }
  }
  const det =
    A[0] * (A[4] * A[8] - A[5] * A[7]) -
    A[1] * (A[3] * A[8] - A[5] * A[6]) +
    A[2] * (A[3] * A[7] - A[4] * A[6]);
  if (Math.abs(det) < 1e-9 * Math.max(1, cameras.length ** 3))
    throw new RangeError(
      'the cameras do not look at a common point (parallel optical axes): cannot find the orbit centre',
    );
  const inv = [
    A[4] * A[8] - A[5] * A[7],
    A[2] * A[7] - A[1] * A[8],
    A[1] * A[5] - A[2] * A[4],
    A[5] * A[6] - A[3] * A[8],
    A[0] * A[8] - A[2] * A[6],
    A[2] * A[3] - A[0] * A[5],
    A[3] * A[7] - A[4] * A[6],
    A[1] * A[6] - A[0] * A[7],
    A[0] * A[4] - A[1] * A[3],
  ].map((v) => v / det);
  return [
    inv[0] * b[0] + inv[1] * b[1] + inv[2] * b[2],
    inv[3] * b[0] + inv[4] * b[1] + inv[5] * b[2],
    inv[6] * b[0] + inv[7] * b[1] + inv[8] * b[2],
  ];
}

/**
 * The camera seen most nearly from the side of the front one: the angle between its direction from
 * the orbit centre and the front camera's closest to 90 degrees (ties within half a degree: the lower index).
 */
export function profileViewOf(cameras: RasterCamera[], frontIndex: number, orbitCentre: Vec3): number {
  const dir = (cam: RasterCamera): Vec3 => {
    const m = cam.worldToCamera;
    const t: Vec3 = [m[3], m[7], m[11]];
    const c: Vec3 = [
      -(m[0] * t[0] + m[4] * t[1] + m[8] * t[2]) - orbitCentre[0],
      -(m[1] * t[0] + m[5] * t[1] + m[9] * t[2]) - orbitCentre[1],
      -(m[2] * t[0] + m[6] * t[1] + m[10] * t[2]) - orbitCentre[2],
    ];
    const n = Math.hypot(c[0], c[1], c[2]);
    return [c[0] / n, c[1] / n, c[2] / n];
  };
  const f = dir(cameras[frontIndex]);
  let best = -1;
  let bestErr = Infinity;
  cameras.forEach((cam, i) => {
    if (i === frontIndex) return;
    const d = dir(cam);
    const deg =
      (Math.acos(Math.max(-1, Math.min(1, d[0] * f[0] + d[1] * f[1] + d[2] * f[2]))) * 180) / Math.PI;
    const err = Math.abs(deg - 90);
    if (err < bestErr - 0.5) {
      bestErr = err;
      best = i;
    }
  });
  if (best < 0) throw new RangeError('profile-to-frontal needs at least two views');
  return best;
}

/**
 * Vertical field of view (degrees) of the portrait the ground truth hands the pipeline: the lens that
 * took it, as a user who knows their camera (or its EXIF) would state it. The input camera's focal
 * length is scaled to the portrait's height (a camera given at the views' size, a portrait rendered
 * larger).
 */
export function portraitFovyDeg(inputCamera: RasterCamera, portraitHeight: number): number {
  return fovyFromFocal(portraitHeight, (inputCamera.fy * portraitHeight) / inputCamera.height);
}
