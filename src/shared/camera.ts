/**
 * Cameras shared by every stage (multi-view backends, reconstruction, rasterizer, evaluation).
 *
 * World convention (DESIGN.md section 2): OpenGL-style, +y up, the subject faces +z, and the camera at
 * azimuth 0 sits on +z looking at the origin. Azimuth turns the camera about +y towards +x (the
 * subject's left side), elevation raises it above the xz-plane (positive = looking down at the head).
 *
 * Rasterizer convention (what `RasterCamera` carries): OpenCV-style camera space, x right, y down,
 * z forward (into the scene), pixels with origin at the top-left corner of the top-left pixel,
 * pixel centres at integer + 0.5.
 */

/** The 16 azimuths (degrees) of the ID-TS multi-view stage, in frame order. */
export const VIEW_AZIMUTHS_DEG: readonly number[] = [
  0, 4.04, 15.47, 33.22, 56.25, 83.5, 113.91, 146.43, 180, -146.43, -113.91, -83.5, -56.25, -33.22, -15.47,
  -4.04,
];

/** Indices into VIEW_AZIMUTHS_DEG of the 4 views the LGM-style reconstructor takes (0, 83.5, 180, -83.5). */
export const RECON_VIEW_INDICES: readonly number[] = [0, 5, 8, 11];

export const ORBIT_RADIUS = 1.5;
export const DEFAULT_FOVY_DEG = 10;
export const ELEVATION_RANGE_DEG = { min: -10, max: 40 } as const;
/** Vertical fields of view (degrees, whole photo) accepted as a photo's lens; outside it is not a lens. */
export const INPUT_FOVY_RANGE_DEG = { min: 1, max: 150 } as const;

export type Vec3 = [number, number, number];

/** A pinhole camera for the rasterizer. */
export interface RasterCamera {
  width: number;
  height: number;
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  /**
   * World -> camera (OpenCV axes) rigid transform, row-major 3x4 [R | t]: p_cam = R p_world + t.
   * Length 12.
   */
  worldToCamera: Float64Array;
  /** Near clipping distance along camera z; Gaussians closer than this are culled. */
  near: number;
  far: number;
}

const DEG = Math.PI / 180;

/** Camera centre (world) on the orbit. */
export function orbitPosition(azimuthDeg: number, elevationDeg: number, radius = ORBIT_RADIUS): Vec3 {
  const a = azimuthDeg * DEG;
  const e = elevationDeg * DEG;
  return [radius * Math.cos(e) * Math.sin(a), radius * Math.sin(e), radius * Math.cos(e) * Math.cos(a)];
}

function normalize(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}
function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/**
 * OpenGL look-at camera-to-world rotation columns (x right, y up, z backward) for a camera at `eye`
 * looking at `target` with world up +y. Degenerate when looking straight up/down (|elevation| = 90).
 */
export function lookAtGL(eye: Vec3, target: Vec3 = [0, 0, 0]): { right: Vec3; up: Vec3; back: Vec3 } {
  const back = normalize([eye[0] - target[0], eye[1] - target[1], eye[2] - target[2]]);
  const right = normalize(cross([0, 1, 0], back));
  const up = cross(back, right);
  return { right, up, back };
}

/** Pinhole intrinsics for a vertical field of view, square pixels, principal point at the centre. */
/** The same camera at `s` times the resolution (supersampled renders): image size and intrinsics scale, pose stays. */
export function scaleCamera(c: RasterCamera, s: number): RasterCamera {
  return {
    ...c,
    width: c.width * s,
    height: c.height * s,
    fx: c.fx * s,
    fy: c.fy * s,
    cx: c.cx * s,
    cy: c.cy * s,
  };
}

/** Focal length (pixels) of a pinhole camera whose `heightPx` rows span a vertical field of view `fovyDeg`. */
export function focalFromFovy(heightPx: number, fovyDeg: number): number {
  return heightPx / 2 / Math.tan((fovyDeg * DEG) / 2);
}

/** Vertical field of view (degrees) of a pinhole camera of focal length `focalPx` over `heightPx` rows. */
export function fovyFromFocal(heightPx: number, focalPx: number): number {
  return (2 * Math.atan(heightPx / 2 / focalPx)) / DEG;
}

export function intrinsicsFromFovy(width: number, height: number, fovyDeg: number) {
  const fy = focalFromFovy(height, fovyDeg);
  return { fx: fy, fy, cx: width / 2, cy: height / 2 };
}

/** Build a rasterizer camera from any eye/target (world, OpenGL convention). */
export function cameraLookAt(
  eye: Vec3,
  target: Vec3,
  width: number,
  height: number,
  fovyDeg = DEFAULT_FOVY_DEG,
  near = 0.01,
  far = 100,
): RasterCamera {
  const { right, up, back } = lookAtGL(eye, target);
  // OpenCV axes: x = right, y = -up, z = -back. Rows of R are those axes expressed in world.
  const rows: Vec3[] = [right, [-up[0], -up[1], -up[2]], [-back[0], -back[1], -back[2]]];
  const m = new Float64Array(12);
  for (let r = 0; r < 3; r++) {
    const row = rows[r];
    m[r * 4 + 0] = row[0];
    m[r * 4 + 1] = row[1];
    m[r * 4 + 2] = row[2];
    m[r * 4 + 3] = -(row[0] * eye[0] + row[1] * eye[1] + row[2] * eye[2]);
  }
  return { width, height, ...intrinsicsFromFovy(width, height, fovyDeg), worldToCamera: m, near, far };
}

/** The orbit camera at (azimuth, elevation), looking at the origin. */
export function orbitCamera(
  azimuthDeg: number,
  elevationDeg: number,
  size: number,
  fovyDeg = DEFAULT_FOVY_DEG,
  radius = ORBIT_RADIUS,
): RasterCamera {
  return cameraLookAt(orbitPosition(azimuthDeg, elevationDeg, radius), [0, 0, 0], size, size, fovyDeg);
}

/** The 16 pipeline cameras at one elevation. */
export function viewCameras(elevationDeg: number, size: number, fovyDeg = DEFAULT_FOVY_DEG): RasterCamera[] {
  return VIEW_AZIMUTHS_DEG.map((az) => orbitCamera(az, elevationDeg, size, fovyDeg));
}

/** World -> camera (OpenCV) for one point. */
export function toCamera(cam: RasterCamera, p: Vec3): Vec3 {
  const m = cam.worldToCamera;
  return [
    m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3],
    m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7],
    m[8] * p[0] + m[9] * p[1] + m[10] * p[2] + m[11],
  ];
}

/** World point -> pixel (x, y) and depth z; z <= 0 means behind the camera. */
export function projectPoint(cam: RasterCamera, p: Vec3): Vec3 {
  const c = toCamera(cam, p);
  return [cam.fx * (c[0] / c[2]) + cam.cx, cam.fy * (c[1] / c[2]) + cam.cy, c[2]];
}

/** Camera centre in world coordinates: -R^T t. */
export function cameraCenter(cam: RasterCamera): Vec3 {
  const m = cam.worldToCamera;
  const t: Vec3 = [m[3], m[7], m[11]];
  return [
    -(m[0] * t[0] + m[4] * t[1] + m[8] * t[2]),
    -(m[1] * t[0] + m[5] * t[1] + m[9] * t[2]),
    -(m[2] * t[0] + m[6] * t[1] + m[10] * t[2]),
  ];
}

export function clampElevation(deg: number): number {
  return Math.min(ELEVATION_RANGE_DEG.max, Math.max(ELEVATION_RANGE_DEG.min, deg));
}
