/**
 * Camera paths for animation export: a path spec + timing -> one RasterCamera per frame.
 *
 * Every path is a function of normalised time u in [0, 1) sampled at u = i / frameCount, so looping
 * paths (turntable, orbit, nod) close seamlessly: the frame after the last one would equal frame 0.
 * Poses are orbit coordinates around `target` in the world convention of ../camera.ts (+y up,
 * azimuth 0 on +z, positive elevation looks down at the head).
 */
import {
  cameraLookAt,
  DEFAULT_FOVY_DEG,
  ORBIT_RADIUS,
  orbitPosition,
  type RasterCamera,
  type Vec3,
} from '../camera';

/** Where the camera is at one instant. */
export interface CameraPose {
  azimuthDeg: number;
  elevationDeg: number;
  radius: number;
  fovyDeg: number;
  target: Vec3;
}

/** One keyframe of a custom path; `timeS` is seconds from the start, omitted fields keep the defaults. */
export interface CameraKeyframe {
  timeS: number;
  azimuthDeg: number;
  elevationDeg: number;
  radius?: number;
  fovyDeg?: number;
}

/** Framing shared by every path kind (defaults: the pipeline's orbit radius and fovy, target origin). */
export interface PathFraming {
  radius?: number;
  fovyDeg?: number;
  target?: Vec3;
}

export type CameraPathSpec =
  /** Full turns about +y at a fixed elevation. */
  | ({ kind: 'turntable'; elevationDeg?: number; turns?: number; startAzimuthDeg?: number } & PathFraming)
  /** Full turns while the elevation sweeps min -> max -> min (a cosine, so it loops). */
  | ({
      kind: 'orbit';
      elevationMinDeg?: number;
      elevationMaxDeg?: number;
      turns?: number;
      sweeps?: number;
      startAzimuthDeg?: number;
    } & PathFraming)
  /** The camera bobs in elevation around a fixed azimuth, as if the head nodded. */
  | ({
      kind: 'nod';
      azimuthDeg?: number;
      elevationDeg?: number;
      amplitudeDeg?: number;
      cycles?: number;
    } & PathFraming)
  /** Custom keyframes; 'smooth' is Catmull-Rom through the keys, 'linear' is piecewise linear. */
  | ({ kind: 'keyframes'; keyframes: CameraKeyframe[]; interpolation?: 'linear' | 'smooth' } & PathFraming);

export interface FrameTiming {
  durationS: number;
  fps: number;
}

export interface FrameSize {
  width: number;
  height: number;
}

/** Number of frames for a duration and rate (at least 1). Throws on non-finite or non-positive input. */
export function frameCount(timing: FrameTiming): number {
  const { durationS, fps } = timing;
  if (!Number.isFinite(durationS) || durationS <= 0)
    throw new RangeError(`duration must be > 0 s, got ${durationS}`);
  if (!Number.isFinite(fps) || fps <= 0 || fps > 240)
    throw new RangeError(`fps must be in (0, 240], got ${fps}`);
  return Math.max(1, Math.round(durationS * fps));
}

const TAU = 2 * Math.PI;

function framing(spec: PathFraming): Pick<CameraPose, 'radius' | 'fovyDeg' | 'target'> {
  const radius = spec.radius ?? ORBIT_RADIUS;
  const fovyDeg = spec.fovyDeg ?? DEFAULT_FOVY_DEG;
  if (!(radius > 0)) throw new RangeError(`camera radius must be > 0, got ${radius}`);
  if (!(fovyDeg > 0 && fovyDeg < 180))
    throw new RangeError(`fovy must be in (0, 180) degrees, got ${fovyDeg}`);
  return { radius, fovyDeg, target: spec.target ?? [0, 0, 0] };
}

/** The pose at normalised time u (0 = start, 1 = end of the clip); `durationS` places keyframes. */
export function poseAt(spec: CameraPathSpec, u: number, durationS: number): CameraPose {
  const base = framing(spec);
  switch (spec.kind) {
    case 'turntable': {
      const turns = spec.turns ?? 1;
      return {
        ...base,
        azimuthDeg: (spec.startAzimuthDeg ?? 0) + 360 * turns * u,
        elevationDeg: spec.elevationDeg ?? 0,
      };
    }
    case 'orbit': {
      const lo = spec.elevationMinDeg ?? -10;
      const hi = spec.elevationMaxDeg ?? 30;
      const sweeps = spec.sweeps ?? 1;
      // Cosine from lo up to hi and back `sweeps` times: continuous and periodic in u.
      const s = 0.5 - 0.5 * Math.cos(TAU * sweeps * u);
      return {
        ...base,
        azimuthDeg: (spec.startAzimuthDeg ?? 0) + 360 * (spec.turns ?? 1) * u,
        elevationDeg: lo + (hi - lo) * s,
      };
    }
    case 'nod': {
      const amp = spec.amplitudeDeg ?? 12;
      return {
        ...base,
        azimuthDeg: spec.azimuthDeg ?? 0,
        elevationDeg: (spec.elevationDeg ?? 0) + amp * Math.sin(TAU * (spec.cycles ?? 2) * u),
      };
    }
    case 'keyframes':
      return {
        ...base,
        ...interpolateKeyframes(spec.keyframes, u * durationS, spec.interpolation ?? 'smooth', base),
      };
  }
}

function validateKeyframes(keys: CameraKeyframe[]): void {
  if (keys.length === 0) throw new RangeError('a keyframe path needs at least one keyframe');
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    for (const v of [k.timeS, k.azimuthDeg, k.elevationDeg]) {
      if (!Number.isFinite(v)) throw new RangeError(`keyframe ${i} has a non-finite value`);
    }
    if (i > 0 && !(k.timeS > keys[i - 1].timeS)) {
      throw new RangeError(`keyframe times must increase strictly (keyframe ${i}: ${k.timeS} s)`);
    }
  }
}

/** Uniform Catmull-Rom between p1 and p2 at s in [0, 1]; passes through every key. */
function catmullRom(p0: number, p1: number, p2: number, p3: number, s: number): number {
  const s2 = s * s;
  const s3 = s2 * s;
  return (
    0.5 * (2 * p1 + (-p0 + p2) * s + (2 * p0 - 5 * p1 + 4 * p2 - p3) * s2 + (-p0 + 3 * p1 - 3 * p2 + p3) * s3)
  );
}

type Animated = Pick<CameraPose, 'azimuthDeg' | 'elevationDeg' | 'radius' | 'fovyDeg'>;

/**
 * Keyframe interpolation at time tS. Before the first / after the last key the pose holds.
 * Azimuth is interpolated as given (no wrap-around), so 0 -> 350 turns the long way: write -10.
 */
export function interpolateKeyframes(
  keys: CameraKeyframe[],
  tS: number,
  interpolation: 'linear' | 'smooth',
  defaults: Pick<CameraPose, 'radius' | 'fovyDeg'>,
): Animated {
  validateKeyframes(keys);
  const vals = keys.map((k): Animated => ({
    azimuthDeg: k.azimuthDeg,
    elevationDeg: k.elevationDeg,
    radius: k.radius ?? defaults.radius,
    fovyDeg: k.fovyDeg ?? defaults.fovyDeg,
  }));
  if (tS <= keys[0].timeS) return vals[0];
  const last = keys.length - 1;
  if (tS >= keys[last].timeS) return vals[last];
  let i = 0;
  while (keys[i + 1].timeS < tS) i++;
  const s = (tS - keys[i].timeS) / (keys[i + 1].timeS - keys[i].timeS);
  const out = {} as Animated;
  for (const f of ['azimuthDeg', 'elevationDeg', 'radius', 'fovyDeg'] as const) {
    const p1 = vals[i][f];
    const p2 = vals[i + 1][f];
    if (interpolation === 'linear') {
      out[f] = p1 + (p2 - p1) * s;
    } else {
      // Mirror the end keys so the curve neither overshoots past the ends nor needs phantom keys.
      const p0 = i > 0 ? vals[i - 1][f] : 2 * p1 - p2;
      const p3 = i + 2 <= last ? vals[i + 2][f] : 2 * p2 - p1;
      out[f] = catmullRom(p0, p1, p2, p3, s);
    }
  }
  return out;
}

/** The RasterCamera for a pose. */
export function cameraForPose(pose: CameraPose, size: FrameSize): RasterCamera {
  const offset = orbitPosition(pose.azimuthDeg, pose.elevationDeg, pose.radius);
  const t = pose.target;
  const eye: Vec3 = [t[0] + offset[0], t[1] + offset[1], t[2] + offset[2]];
  return cameraLookAt(eye, t, size.width, size.height, pose.fovyDeg);
}

function validateSize(size: FrameSize): void {
  for (const v of [size.width, size.height]) {
    if (!Number.isInteger(v) || v < 2 || v > 8192)
      throw new RangeError(`frame size must be integers in [2, 8192], got ${size.width}x${size.height}`);
  }
}

/**
 * Poses for every frame. Looping paths put frame i at u = i / n (seamless loop); a keyframe path puts
 * it at u = i / (n - 1) so that the first and last frames land exactly on the first and last keys.
 */
export function pathPoses(spec: CameraPathSpec, timing: FrameTiming): CameraPose[] {
  const n = frameCount(timing);
  const denom = spec.kind === 'keyframes' ? Math.max(1, n - 1) : n;
  const poses: CameraPose[] = [];
  for (let i = 0; i < n; i++) poses.push(poseAt(spec, i / denom, timing.durationS));
  return poses;
}

/** One camera per frame for a path. */
export function pathCameras(spec: CameraPathSpec, timing: FrameTiming, size: FrameSize): RasterCamera[] {
  validateSize(size);
  return pathPoses(spec, timing).map((p) => cameraForPose(p, size));
}
