/**
 * Ground-truth cameras -> the pipeline's frame.
 *
 * The pipeline believes the portrait was taken by its own input camera P (azimuth 0, the run's
 * elevation, radius ORBIT_RADIUS, looking at the origin). A GT set has its own world, scale and input
 * camera G_in (looking at `orbitCentre` c). We choose the similarity x_gt = c + Q x_p / s that takes
 * P onto G_in:
 *   Q = R_in^T R_P  (rotation: camera axes agree),
 *   s = ORBIT_RADIUS / |R_in c + t_in|  (the input camera's distance to the centre becomes the orbit radius).
 * Every GT camera j, [R_j | t_j], then reads in pipeline coordinates as
 *   R'_j = R_j Q,   t'_j = s (R_j c + t_j)
 * (camera space scaled by s, which a pinhole image does not see), intrinsics unchanged. When the GT
 * elevation differs from the pipeline's, the GT orbit comes out tilted in the pipeline frame, which
 * is exactly where the pipeline put the head it built.
 */
import { ORBIT_RADIUS, orbitCamera, type RasterCamera, type Vec3 } from '../../shared/camera';

type Mat3 = number[]; // row-major 3x3

function rotationOf(cam: RasterCamera): Mat3 {
  const m = cam.worldToCamera;
  return [m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]];
}

function mul3(a: Mat3, b: Mat3): Mat3 {
  const o = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) o[r * 3 + c] += a[r * 3 + k] * b[k * 3 + c];
  return o;
}

function transpose3(a: Mat3): Mat3 {
  return [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]];
}

function apply(cam: RasterCamera, p: Vec3): Vec3 {
  const m = cam.worldToCamera;
  return [
    m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3],
    m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7],
    m[8] * p[0] + m[9] * p[1] + m[10] * p[2] + m[11],
  ];
}

export interface PipelineMapping {
  /** GT cameras expressed in the pipeline's world (same order, same intrinsics). */
  cameras: RasterCamera[];
  /** Scale GT world -> pipeline world. */
  scale: number;
}

/** Map `gtCameras` into the pipeline frame, given the GT input camera and orbit centre and the pipeline's elevation. */
export function mapCamerasToPipeline(gtCameras: RasterCamera[], inputIndex: number, orbitCentre: Vec3, pipelineElevationDeg: number): PipelineMapping {
  const gin = gtCameras[inputIndex];
  if (!gin) throw new RangeError(`input view ${inputIndex} is not one of the ${gtCameras.length} cameras`);
  const pin = orbitCamera(0, pipelineElevationDeg, gin.width);
  const Q = mul3(transpose3(rotationOf(gin)), rotationOf(pin));
  const cIn = apply(gin, orbitCentre);
  const dist = Math.hypot(cIn[0], cIn[1], cIn[2]);
  if (!(dist > 1e-9) || cIn[2] <= 0) throw new RangeError('the orbit centre is at or behind the input camera: cannot map the cameras');
  const s = ORBIT_RADIUS / dist;
  const cameras = gtCameras.map((cam) => {
    const R = mul3(rotationOf(cam), Q);
    const c = apply(cam, orbitCentre);
    const m = new Float64Array(12);
    for (let r = 0; r < 3; r++) {
      m[r * 4] = R[r * 3];
      m[r * 4 + 1] = R[r * 3 + 1];
      m[r * 4 + 2] = R[r * 3 + 2];
      m[r * 4 + 3] = s * c[r];
    }
    // Near/far scale with the world.
    return { ...cam, worldToCamera: m, near: Math.max(1e-4, cam.near * s), far: cam.far * s };
  });
  return { cameras, scale: s };
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
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) {
      const P = (r === c ? 1 : 0) - d[r] * d[c];
      A[r * 3 + c] += P;
      b[r] += P * o[c];
    }
  }
  const det = A[0] * (A[4] * A[8] - A[5] * A[7]) - A[1] * (A[3] * A[8] - A[5] * A[6]) + A[2] * (A[3] * A[7] - A[4] * A[6]);
  if (Math.abs(det) < 1e-9 * Math.max(1, cameras.length ** 3)) throw new RangeError('the cameras do not look at a common point (parallel optical axes): cannot find the orbit centre');
  const inv = [
    A[4] * A[8] - A[5] * A[7], A[2] * A[7] - A[1] * A[8], A[1] * A[5] - A[2] * A[4],
    A[5] * A[6] - A[3] * A[8], A[0] * A[8] - A[2] * A[6], A[2] * A[3] - A[0] * A[5],
    A[3] * A[7] - A[4] * A[6], A[1] * A[6] - A[0] * A[7], A[0] * A[4] - A[1] * A[3],
  ].map((v) => v / det);
  return [inv[0] * b[0] + inv[1] * b[1] + inv[2] * b[2], inv[3] * b[0] + inv[4] * b[1] + inv[5] * b[2], inv[6] * b[0] + inv[7] * b[1] + inv[8] * b[2]];
}
