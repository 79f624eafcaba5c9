/**
 * Ground-truth cameras -> the pipeline's frame, through the input view (docs/eval.md, "The ruler").
 *
 * The pipeline never sees the GT input image itself: preprocessing crops it to the framed square
 * (crop pixel = (portrait pixel - offset) * a, `CropTransform`), and the head is built so that the
 * pipeline's own input camera P sees that crop: an orbit camera looking at the origin, by default
 * view 0 (azimuth 0, the run's elevation, distance R = ORBIT_RADIUS, the views' fovy), else the one the
 * run recorded (record.json resolved.inputCamera: a turned face's input camera sits at its azimuth,
 * a fitted lens at its fovy and distance); f_p = N / 2 / tan(fovy / 2) at crop size N, principal
 * point c_p = (N/2, N/2), the pipeline's origin at the crop's centre. The GT input camera G_in (its own
 * K_g = fx, fy, cx, cy, rotation R_in, translation t_in) sees the real head. We look for the
 * similarity T(x) = s Q (x - h) from the GT world to the pipeline's under which G_in becomes a camera
 * M_in = T(G_in) that, with the GT intrinsics, shows the pipeline's head where G_in shows the real one:
 *
 *   1. The crop's centre lands at GT input pixel  u_h = c_p / a + offset.
 *   2. Its viewing ray in G_in's camera space is  r = (K_g^-1 [u_h; 1]),  r_z = 1.
 *   3. The pipeline's origin is on that ray where it meets the GT rig's vertical axis (the line
 *      through the orbit centre c, the point the GT cameras look at, along the rig's up, rigUp), at
 *      depth z_c:  h = R_in^T (z_c r - t_in).  T(h) = origin. The pipeline's views turn about the
 *      head's vertical axis (weightfree/image-frame.ts orbitAxisZRef), the GT's about theirs: at the
 *      orbit centre's own depth a crop framed off the GT image's centre and seen from above put the
 *      two axes apart, and the back views of a perfect head scored it too low. Parallel lines (a
 *      camera looking down the axis): c's depth.
 *   4. Scale: at the head, the crop has a f_g / z_c crop pixels per GT unit (f_g = sqrt(fx fy)) and P
 *      has f_p / R crop pixels per pipeline unit, so  s = a f_g R / (f_p z_c).
 *   5. Rotation: the pipeline looks at its head along P's optical axis; G_in looks at the real head
 *      along r. With R_r the smallest rotation taking r / |r| onto +z (camera space),
 *      Q = R_P^T R_r R_in  (GT world directions -> pipeline world directions).
 *
 * Every GT camera j, [R_j | t_j], then reads in pipeline coordinates as
 *   R'_j = R_j Q^T,   t'_j = s (R_j h + t_j)
 * (camera space scaled by s, which a pinhole image does not see), intrinsics unchanged. T(G_in) sits
 * on P's optical axis at distance D = s z_c |r| from the origin: it looks at the pipeline's head from
 * the direction P does, as G_in looked at the real head along r.
 *
 * The input view itself is the crop undone: the crop is an off-centre window of a perspective image
 * (image plane tilted by the angle between r and G_in's axis), which the pipeline took for a centred
 * view. So the input camera is T(G_in) turned about its centre to P's orientation, with the GT pixel
 * grid: rotation R_P, focal lengths fx |r|, fy |r|, principal point u_h. A point (X, Y) of the head's
 * mid-plane that P shows at crop pixel c_p + f_p (X, Y) / R then lands exactly at GT pixel
 * u_h + f_p (X, Y) / (a R), i.e. the crop's own pixel mapped back (for fx = fy; otherwise per axis).
 * Off the mid-plane it sees the head with the GT's perspective (distance D instead of R), not P's
 * nearly orthographic one: that difference is the pipeline's to explain, not the ruler's.
 *
 * With an identity crop and a GT rig that is the pipeline's own (same fovy, radius and elevation),
 * T is the identity. When the GT elevation differs from the pipeline's, the GT orbit comes out tilted
 * in the pipeline frame, which is exactly where the pipeline put the head it built.
 */
import {
  cameraCenter,
  DEFAULT_FOVY_DEG,
  lookAtGL,
  ORBIT_RADIUS,
  orbitCamera,
  projectPoint,
  type RasterCamera,
  type Vec3,
} from '../../shared/camera';

export type Mat3 = number[]; // row-major 3x3

/**
 * Preprocessing's framing of the portrait: crop pixel = (portrait pixel - offset) * scale, for a
 * `size` x `size` crop (continuous pixel coordinates, origin at the top-left corner, as RasterCamera).
 */
export interface CropTransform {
  scale: number;
  offsetX: number;
  offsetY: number;
  size: number;
}

/** The crop that changes nothing (portrait already framed, `size` x `size`). */
export function identityCrop(size: number): CropTransform {
  return { scale: 1, offsetX: 0, offsetY: 0, size };
}

/** The world -> camera rotation of `cam`, row-major. */
export function rotationOf(cam: RasterCamera): Mat3 {
  const m = cam.worldToCamera;
  return [m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]];
}

export function mul3(a: Mat3, b: Mat3): Mat3 {
  const o = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) o[r * 3 + c] += a[r * 3 + k] * b[k * 3 + c];
  return o;
}

export function transpose3(a: Mat3): Mat3 {
  return [a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]];
}

export const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

export const unit = (a: Vec3): Vec3 => {
  const n = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / n, a[1] / n, a[2] / n];
};

function mulVec(a: Mat3, v: Vec3): Vec3 {
  return [
    a[0] * v[0] + a[1] * v[1] + a[2] * v[2],
    a[3] * v[0] + a[4] * v[1] + a[5] * v[2],
    a[6] * v[0] + a[7] * v[1] + a[8] * v[2],
  ];
}

function apply(cam: RasterCamera, p: Vec3): Vec3 {
  const m = cam.worldToCamera;
  return [
    m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3],
    m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7],
    m[8] * p[0] + m[9] * p[1] + m[10] * p[2] + m[11],
  ];
}

/** The identity when `q` is within rounding of it, else `q`. */
function snapIdentity(q: Mat3): Mat3 {
  const near = q.every((v, i) => Math.abs(v - (i % 4 === 0 ? 1 : 0)) < 1e-12);
  return near ? [1, 0, 0, 0, 1, 0, 0, 0, 1] : q;
}

/**
 * The rig's up. Cameras on one ring round the head (any elevation, any spacing) have their centres on a
 * horizontal circle: up is that plane's normal, on the side the cameras' own up directions point to.
 * The mean of the cameras' ups alone leans towards where the cameras crowd: the pipeline's 16 views at
 * 40 degrees, dense round the front, gave an up 13 degrees off. Rigs whose centres are not near one
 * plane (rings at several elevations, two cameras) keep that mean (OpenCV: -y of each camera).
 */
export function rigUp(cameras: readonly RasterCamera[]): Vec3 {
  const sum: Vec3 = [0, 0, 0];
  const centres = cameras.map((c) => {
    const y = rotationOf(c).slice(3, 6);
    for (let k = 0; k < 3; k++) sum[k] -= y[k];
    return cameraCenter(c);
  });
  const meanUp = unit(sum);
  if (centres.length < 3) return meanUp;
  // Covariance of the centres; the plane's normal is its smallest eigenvector: the largest of
  // (trace I - C), by power iteration from the mean up (which also sets its sign).
  const m = [0, 1, 2].map((k) => centres.reduce((a, c) => a + c[k], 0) / centres.length);
  const C: Mat3 = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (const c of centres)
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) C[i * 3 + j] += (c[i] - m[i]) * (c[j] - m[j]);
  const tr = C[0] + C[4] + C[8];
  if (!(tr > 0)) return meanUp;
  let n: Vec3 = meanUp;
  for (let it = 0; it < 100; it++) {
    const cn = mulVec(C, n);
    n = unit([tr * n[0] - cn[0], tr * n[1] - cn[1], tr * n[2] - cn[2]]);
  }
  const along = dot(n, mulVec(C, n));
  if (along > 0.05 * (tr - along)) return meanUp;
  const s = dot(n, meanUp) < 0 ? -1 : 1;
  return [s * n[0], s * n[1], s * n[2]];
}

/**
 * Depth (camera z) of the point on the ray t * r (camera space, r_z = 1) nearest the line through
 * `centre` along `axis` (camera space): where the ray meets the rig's vertical axis. Null when the two
 * are parallel (a camera looking straight down the axis).
 */
export function rayDepthNearestAxis(r: Vec3, centre: Vec3, axis: Vec3): number | null {
  // Minimise |t r - centre - u axis|^2: the 2x2 normal equations in (t, u).
  const rr = dot(r, r);
  const aa = dot(axis, axis);
  const ra = dot(r, axis);
  const det = rr * aa - ra * ra;
  if (det < 1e-9 * rr * aa) return null;
  const rc = dot(r, centre);
  const ac = dot(axis, centre);
  return (rc * aa - ra * ac) / det;
}

/** Smallest rotation taking the unit vector `u` onto +z (Rodrigues); u_z > -1. */
export function rotationOntoZ(u: Vec3): Mat3 {
  // v = u x z, c = u . z; R = I + [v]x + [v]x^2 / (1 + c).
  const v: Vec3 = [u[1], -u[0], 0];
  const c = u[2];
  const k = 1 / (1 + c);
  const vx: Mat3 = [0, -v[2], v[1], v[2], 0, -v[0], -v[1], v[0], 0];
  const vx2 = mul3(vx, vx);
  return [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => (i % 4 === 0 ? 1 : 0) + vx[i] + vx2[i] * k);
}

/**
 * Where the centre of the crop `crop` (of the image camera `cam` took) falls in that image, in its
 * pixels, and the viewing ray through it in `cam`'s space (OpenCV, ray z = 1): the optical axis of the
 * camera that sees the crop as a centred view (steps 1-2 of the file comment).
 */
export function cropCentreRay(cam: RasterCamera, crop: CropTransform): { pixel: [number, number]; ray: Vec3 } {
  const pixel: [number, number] = [crop.size / 2 / crop.scale + crop.offsetX, crop.size / 2 / crop.scale + crop.offsetY];
  return { pixel, ray: [(pixel[0] - cam.cx) / cam.fx, (pixel[1] - cam.cy) / cam.fy, 1] };
}

/** A GT camera's intrinsics at another image size (same framing, e.g. the 512 px portrait of a 256 px view). */
export function resizeCamera(cam: RasterCamera, width: number, height: number): RasterCamera {
  if (width === cam.width && height === cam.height) return cam;
  const sx = width / cam.width,
    sy = height / cam.height;
  return { ...cam, width, height, fx: cam.fx * sx, fy: cam.fy * sy, cx: cam.cx * sx, cy: cam.cy * sy };
}

export interface MappingOptions {
  /** Preprocessing's framing of the input portrait (default: identity at the portrait's width). */
  crop?: CropTransform;
  /** The pipeline's field of view (default DEFAULT_FOVY_DEG). */
  fovyDeg?: number;
  /**
   * The run's input camera when it is not view 0 (record.json resolved.inputCamera): an orbit camera
   * at this azimuth, field of view and distance (elevation: `pipelineElevationDeg`). Default: azimuth
   * 0, `fovyDeg`, ORBIT_RADIUS.
   */
  inputCamera?: { azimuthDeg: number; fovyDeg: number; distance: number };
  /**
   * The GT camera that took the portrait when it is not one of `gtCameras` (a run ground truth: its
   * input camera is recorded, its 16 views are elsewhere); no view is then replaced by the input view.
   */
  gtInputCamera?: RasterCamera;
  /** The GT world's up (the orbit's axis direction); default: the GT cameras' mean up (rigUp). */
  rigUp?: Vec3;
  /** Size of the portrait the crop refers to, when it differs from the input camera's image (same framing). */
  portraitWidth?: number;
  portraitHeight?: number;
}

export interface PipelineMapping {
  /** GT cameras expressed in the pipeline's world (same order, same intrinsics). */
  cameras: RasterCamera[];
  /** Scale GT world -> pipeline world (s). */
  scale: number;
  /** GT-world point that becomes the pipeline's origin (h). */
  headCentre: Vec3;
  /** Where the crop's centre falls in the GT input image, in its pixels (u_h). */
  headPixel: [number, number];
  /** Angle between G_in's optical axis and its ray through u_h, degrees. */
  offAxisDeg: number;
  /** The crop transform used. */
  crop: CropTransform;
}

/**
 * Map `gtCameras` into the pipeline frame through the input view (see the file comment): the GT input
 * camera `gtCameras[inputIndex]`, the GT orbit centre (its depth is the head's), preprocessing's crop
 * of the input portrait and the pipeline's input camera (azimuth 0 at `pipelineElevationDeg`).
 */
export function mapCamerasToPipeline(
  gtCameras: RasterCamera[],
  inputIndex: number,
  orbitCentre: Vec3,
  pipelineElevationDeg: number,
  opts: MappingOptions = {},
): PipelineMapping {
  const camIn = opts.gtInputCamera ?? gtCameras[inputIndex];
  if (!camIn) throw new RangeError(`input view ${inputIndex} is not one of the ${gtCameras.length} cameras`);
  const gin = resizeCamera(camIn, opts.portraitWidth ?? camIn.width, opts.portraitHeight ?? camIn.height);
  const crop = opts.crop ?? identityCrop(gin.width);
  if (!(crop.scale > 0) || !(crop.size > 0))
    throw new RangeError('the crop transform must have a positive scale and size');
  const pin = orbitCamera(
    opts.inputCamera?.azimuthDeg ?? 0,
    pipelineElevationDeg,
    crop.size,
    opts.inputCamera?.fovyDeg ?? opts.fovyDeg ?? DEFAULT_FOVY_DEG,
    opts.inputCamera?.distance ?? ORBIT_RADIUS,
  );
  const pinDistance = opts.inputCamera?.distance ?? ORBIT_RADIUS;
  const cIn = apply(gin, orbitCentre);
  if (!(cIn[2] > 1e-9))
    throw new RangeError('the orbit centre is at or behind the input camera: cannot map the cameras');
  // 1-3: the crop's centre in the GT input image, its ray, the pipeline's origin on it where it meets
  // the rig's vertical axis (else at the orbit centre's depth).
  const { pixel: uh, ray: r } = cropCentreRay(gin, crop);
  const rn = Math.hypot(r[0], r[1], r[2]);
  const Rin = rotationOf(gin);
  const upIn = mulVec(Rin, opts.rigUp ?? rigUp(gtCameras));
  const onAxis = rayDepthNearestAxis(r, cIn, upIn);
  const zc = onAxis !== null && onAxis > 1e-9 ? onAxis : cIn[2];
  const tIn: Vec3 = [gin.worldToCamera[3], gin.worldToCamera[7], gin.worldToCamera[11]];
  const h = mulVec(transpose3(Rin), [zc * r[0] - tIn[0], zc * r[1] - tIn[1], zc * r[2] - tIn[2]]);
  // 4: scale from the magnifications at the head.
  const fg = Math.sqrt(gin.fx * gin.fy);
  let s = (crop.scale * fg * pinDistance) / (pin.fy * zc);
  // A rig that is the pipeline's own maps exactly (no rounding noise in the renders of run vs run).
  if (Math.abs(s - 1) < 1e-12) s = 1;
  for (let k = 0; k < 3; k++) if (Math.abs(h[k]) < 1e-12 * zc) h[k] = 0;
  // 5: rotation aligning G_in's ray through the head with P's optical axis.
  const Rr = rotationOntoZ([r[0] / rn, r[1] / rn, r[2] / rn]);
  const Q = snapIdentity(mul3(transpose3(rotationOf(pin)), mul3(Rr, Rin)));
  const Qt = transpose3(Q);
  const cameras = gtCameras.map((cam) => {
    const R = mul3(rotationOf(cam), Qt);
    const c = apply(cam, h);
    const m = new Float64Array(12);
    for (let i = 0; i < 3; i++) {
      m[i * 4] = R[i * 3];
      m[i * 4 + 1] = R[i * 3 + 1];
      m[i * 4 + 2] = R[i * 3 + 2];
      m[i * 4 + 3] = s * c[i];
    }
    // Near/far scale with the world.
    return { ...cam, worldToCamera: m, near: Math.max(1e-4, cam.near * s), far: cam.far * s };
  });
  // The input view: T(G_in)'s centre, P's orientation, the GT pixel grid with the crop's centre at u_h.
  const D = s * zc * rn;
  const Rp = rotationOf(pin);
  const inputCam = new Float64Array(12);
  for (let i = 0; i < 3; i++) {
    inputCam[i * 4] = Rp[i * 3];
    inputCam[i * 4 + 1] = Rp[i * 3 + 1];
    inputCam[i * 4 + 2] = Rp[i * 3 + 2];
    inputCam[i * 4 + 3] = i === 2 ? D : 0;
  }
  // (Only when the portrait's camera is one of the views: a run ground truth's input camera is not.)
  if (!opts.gtInputCamera)
    cameras[inputIndex] = {
      ...cameras[inputIndex],
      worldToCamera: inputCam,
      fx: camIn.fx * rn,
      fy: camIn.fy * rn,
      cx: uh[0] * (camIn.width / gin.width),
      cy: uh[1] * (camIn.height / gin.height),
    };
  return {
    cameras,
    scale: s,
    headCentre: h,
    headPixel: uh,
    offAxisDeg: (Math.acos(1 / rn) * 180) / Math.PI,
    crop,
  };
}

/**
 * The part of a view (a camera in the pipeline's world) that the pipeline's own view framing covers:
 * the square of side 2 R tan(fovy / 2) (the pipeline frame at its orbit centre) centred on the origin,
 * facing the camera and upright (world +y), projected into the camera's image; its bounding box in
 * whole pixels, clipped to the image. For the mapped input camera this is the preprocessing crop's
 * window in the GT input image. Null when the camera is at the origin, looks straight down, or the
 * square is behind it or outside the image.
 */
export function pipelineFrameBox(
  cam: RasterCamera,
  fovyDeg: number = DEFAULT_FOVY_DEG,
): { x0: number; y0: number; x1: number; y1: number } | null {
  const c = cameraCenter(cam);
  const n = Math.hypot(c[0], c[1], c[2]);
  if (!(n > 1e-9) || Math.hypot(c[0], c[2]) < 1e-6 * n) return null;
  const { right, up } = lookAtGL(c, [0, 0, 0]);
  const half = ORBIT_RADIUS * Math.tan((fovyDeg * Math.PI) / 360);
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const [a, b] of [
    [-1, -1],
    [-1, 1],
    [1, -1],
    [1, 1],
  ]) {
    const p: Vec3 = [0, 1, 2].map((k) => half * (a * right[k] + b * up[k])) as Vec3;
    const q = projectPoint(cam, p);
    if (!(q[2] > 0)) return null;
    x0 = Math.min(x0, q[0]);
    x1 = Math.max(x1, q[0]);
    y0 = Math.min(y0, q[1]);
    y1 = Math.max(y1, q[1]);
  }
  const box = {
    x0: Math.max(0, Math.round(x0)),
    y0: Math.max(0, Math.round(y0)),
    x1: Math.min(cam.width, Math.round(x1)),
    y1: Math.min(cam.height, Math.round(y1)),
  };
  return box.x1 > box.x0 && box.y1 > box.y0 ? box : null;
}
