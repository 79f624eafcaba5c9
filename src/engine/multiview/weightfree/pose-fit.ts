/**
 * Head pose from the 2-D landmark positions alone: a weak-perspective (scaled orthographic) fit of the
 * canonical face (face-template.ts, anthropometric depth) to the face mesh's x, y.
 *
 * Why: the landmark model's depth is flat, so the yaw of its 3-D landmark frame is far too small
 * (a head turned 40 deg reads as ~4 deg). Its 2-D positions follow the image well, and with a face
 * that has real depth the 2-D layout says how far the head is turned (the nose slides towards the
 * far cheek, the far half of the face narrows).
 *
 * Model, in the image frame G (landmarks.ts: X right, Y up, Z towards the camera, crop pixels):
 *   G_i = s * R * T_i + t,   R = Rz(roll) * Ry(yaw) * Rx(pitch),
 * observed are (X_i, Y_i) only. Roll about the view axis commutes with the orthographic projection,
 * so for every (yaw, pitch) the best roll, scale and 2-D shift are a closed-form weighted 2-D
 * Procrustes fit; yaw and pitch are searched on a coarse-to-fine grid. Points on the far side of the
 * face (their template normal turned away from the camera) are down-weighted, because the model puts
 * occluded landmarks on the visible outline.
 *
 * Conventions: yaw > 0 = the face turned towards image right (frameYawDeg in landmarks.ts), pitch > 0 =
 * looking down (the face's forward axis has a negative Y), roll > 0 = counter-clockwise in G (Y up).
 */
import type { Vec3 } from '../../../shared/camera';
import { FACE_TEMPLATE } from './face-template';
import { CROP, type HeadFrame } from './landmarks';

/** Landmarks the fit uses (the iris points 468..477 sit on the eyeball: left out). */
const FIT_POINTS = 468;
const DEG = Math.PI / 180;

export interface PoseFit {
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
  /** Pixels per template unit (= the face width in pixels). */
  scale: number;
  /** 2-D shift in G (X, Y) of the template origin (the eye centre). */
  shift: [number, number];
  /** Rotation, row-major 3x3, template (head) frame -> G. */
  rotation: Float64Array;
  /** Weighted RMS residual in pixels. */
  rmsPx: number;
  /** Per template point [468]: how much the fit trusted it (0..1, far side of the face low). */
  weight: Float32Array;
}

/** Row-major 3x3 rotation Rz(roll) * Ry(yaw) * Rx(pitch) (radians). */
export function poseRotation(yaw: number, pitch: number, roll: number): Float64Array {
  const [cy, sy, cp, sp, cr, sr] = [Math.cos(yaw), Math.sin(yaw), Math.cos(pitch), Math.sin(pitch), Math.cos(roll), Math.sin(roll)];
  // Ry * Rx
  const m = [cy, sy * sp, sy * cp, 0, cp, -sp, -sy, cy * sp, cy * cp];
  const out = new Float64Array(9);
  for (let c = 0; c < 3; c++) {
    out[c] = cr * m[c] - sr * m[3 + c];
    out[3 + c] = sr * m[c] + cr * m[3 + c];
    out[6 + c] = m[6 + c];
  }
  return out;
}

let templateNormals: Float32Array | null = null;

/**
 * Per template point [468 * 3]: outward unit normal, from a plane fitted to its 10 nearest template
 * neighbours in (x, y) (the face is a height field z(x, y) seen from the front).
 */
export function faceTemplateNormals(): Float32Array {
  if (templateNormals) return templateNormals;
  const T = FACE_TEMPLATE;
  const out = new Float32Array(FIT_POINTS * 3);
  const K = 10;
  for (let i = 0; i < FIT_POINTS; i++) {
    const d: [number, number][] = [];
    for (let j = 0; j < FIT_POINTS; j++) d.push([(T[j * 3] - T[i * 3]) ** 2 + (T[j * 3 + 1] - T[i * 3 + 1]) ** 2, j]);
    d.sort((a, b) => a[0] - b[0]);
    // Least squares z = a x + b y + c over the neighbours (centred on point i).
    let sxx = 0, sxy = 0, syy = 0, sxz = 0, syz = 0;
    for (let k = 1; k <= K; k++) {
      const j = d[k][1];
      const x = T[j * 3] - T[i * 3], y = T[j * 3 + 1] - T[i * 3 + 1], z = T[j * 3 + 2] - T[i * 3 + 2];
      sxx += x * x;
      sxy += x * y;
      syy += y * y;
      sxz += x * z;
      syz += y * z;
    }
    const det = sxx * syy - sxy * sxy || 1e-12;
    const a = (sxz * syy - syz * sxy) / det;
    const b = (syz * sxx - sxz * sxy) / det;
    const n = Math.hypot(a, b, 1);
    out.set([-a / n, -b / n, 1 / n], i * 3);
  }
  templateNormals = out;
  return out;
}

/** Observed landmark i in G (X, Y). */
function observed(lm: Float32Array, i: number): [number, number] {
  return [lm[i * 3] - CROP / 2, CROP / 2 - lm[i * 3 + 1]];
}

interface Candidate {
  yaw: number;
  pitch: number;
  roll: number;
  scale: number;
  shift: [number, number];
  err: number;
}

/** Weighted 2-D similarity fit of the (yaw, pitch)-rotated template's projection to the observation. */
function fitAt(obs: Float64Array, w: Float32Array, yaw: number, pitch: number): Candidate {
  const R = poseRotation(yaw, pitch, 0);
  const T = FACE_TEMPLATE;
  let sw = 0, ax = 0, ay = 0, bx = 0, by = 0;
  const px = new Float64Array(FIT_POINTS);
  const py = new Float64Array(FIT_POINTS);
  for (let i = 0; i < FIT_POINTS; i++) {
    const t0 = T[i * 3], t1 = T[i * 3 + 1], t2 = T[i * 3 + 2];
    px[i] = R[0] * t0 + R[1] * t1 + R[2] * t2;
    py[i] = R[3] * t0 + R[4] * t1 + R[5] * t2;
    sw += w[i];
    ax += w[i] * px[i];
    ay += w[i] * py[i];
    bx += w[i] * obs[i * 2];
    by += w[i] * obs[i * 2 + 1];
  }
  ax /= sw; ay /= sw; bx /= sw; by /= sw;
  let sdot = 0, scross = 0, saa = 0, sbb = 0;
  for (let i = 0; i < FIT_POINTS; i++) {
    const a0 = px[i] - ax, a1 = py[i] - ay, b0 = obs[i * 2] - bx, b1 = obs[i * 2 + 1] - by;
    sdot += w[i] * (a0 * b0 + a1 * b1);
    scross += w[i] * (a0 * b1 - a1 * b0);
    saa += w[i] * (a0 * a0 + a1 * a1);
    sbb += w[i] * (b0 * b0 + b1 * b1);
  }
  const roll = Math.atan2(scross, sdot);
  const k = Math.hypot(sdot, scross);
  const scale = k / saa;
  // Residual of the optimal similarity: sum|b|^2 - k^2 / sum|a|^2.
  const err = Math.max(0, sbb - (k * k) / saa) / sw;
  const [c, s] = [Math.cos(roll), Math.sin(roll)];
  const shift: [number, number] = [bx - scale * (c * ax - s * ay), by - scale * (s * ax + c * ay)];
  return { yaw, pitch, roll, scale, shift, err };
}

/** Trust per point for a pose: 1 facing the camera, falling to a floor on the far side. */
function visibilityWeights(yaw: number, pitch: number): Float32Array {
  const R = poseRotation(yaw, pitch, 0);
  const N = faceTemplateNormals();
  const w = new Float32Array(FIT_POINTS);
  for (let i = 0; i < FIT_POINTS; i++) {
    const nz = R[6] * N[i * 3] + R[7] * N[i * 3 + 1] + R[8] * N[i * 3 + 2];
    const t = Math.min(1, Math.max(0, (nz - 0.05) / 0.35));
    w[i] = 0.05 + 0.95 * t * t * (3 - 2 * t);
  }
  return w;
}

/** Grid search of yaw and pitch around (yaw0, pitch0); pitch is clamped to centre +- limitPitch. */
function search(obs: Float64Array, w: Float32Array, yaw0: number, pitch0: number, span: number, step: number, limitYaw: number, limitPitch: number, centrePitch: number): Candidate {
  let best: Candidate | null = null;
  for (let dy = -span; dy <= span + 1e-9; dy += step) {
    const yaw = Math.max(-limitYaw, Math.min(limitYaw, yaw0 + dy));
    for (let dp = limitPitch === 0 ? 0 : -span; dp <= (limitPitch === 0 ? 0 : span + 1e-9); dp += step) {
      const pitch = Math.max(centrePitch - limitPitch, Math.min(centrePitch + limitPitch, pitch0 + dp));
      const c = fitAt(obs, w, yaw, pitch);
      if (!best || c.err < best.err) best = c;
    }
  }
  return best as Candidate;
}

/**
 * Fit the canonical face to the landmarks' 2-D positions (lm: [478 * 3] crop pixels, only x, y used).
 * Yaw is searched within +-85 deg, pitch within +-45 deg, or held at `fixedPitchDeg` (the 2-D pitch
 * carries the subject's proportions: +-8 deg between the fixtures' frontal faces, so callers that
 * have a better pitch pass it).
 */
export function fitPose2D(lm: Float32Array, fixedPitchDeg?: number): PoseFit {
  if (lm.length < FIT_POINTS * 3) throw new RangeError(`fitPose2D needs at least ${FIT_POINTS} landmarks, got ${lm.length / 3}`);
  const obs = new Float64Array(FIT_POINTS * 2);
  for (let i = 0; i < FIT_POINTS; i++) obs.set(observed(lm, i), i * 2);
  if (fixedPitchDeg !== undefined && !(Math.abs(fixedPitchDeg) <= 90)) throw new RangeError(`fixed pitch must be within +-90 deg, got ${fixedPitchDeg}`);
  const limYaw = 85 * DEG;
  // A fixed pitch is a pitch range of zero around it.
  const pitch0 = fixedPitchDeg === undefined ? 0 : fixedPitchDeg * DEG;
  const limPitch = fixedPitchDeg === undefined ? 45 * DEG : 0;
  // Pass 1: every point equally, coarse grid. Then re-weight by visibility at the found pose and
  // refine coarse-to-fine (twice, since the weights follow the pose).
  let w: Float32Array = new Float32Array(FIT_POINTS).fill(1);
  const pitchSearch = (yaw: number, pitch: number, span: number, step: number) =>
    search(obs, w, yaw, limPitch === 0 ? pitch0 : pitch, span, step, limYaw, limPitch, pitch0);
  let best = pitchSearch(0, pitch0, 80 * DEG, 8 * DEG);
  for (let pass = 0; pass < 2; pass++) {
    w = visibilityWeights(best.yaw, best.pitch);
    best = pitchSearch(best.yaw, best.pitch, 16 * DEG, 4 * DEG);
    best = pitchSearch(best.yaw, best.pitch, 4 * DEG, 1 * DEG);
    best = pitchSearch(best.yaw, best.pitch, 1 * DEG, 0.25 * DEG);
  }
  return {
    yawDeg: best.yaw / DEG,
    pitchDeg: best.pitch / DEG,
    rollDeg: best.roll / DEG,
    scale: best.scale,
    shift: best.shift,
    rotation: poseRotation(best.yaw, best.pitch, best.roll),
    rmsPx: Math.sqrt(best.err),
    weight: w,
  };
}

/** The fit's head axes in G (columns of the rotation), origin at the fitted eye centre (Z = 0). */
export function poseFitFrame(fit: PoseFit): HeadFrame {
  const R = fit.rotation;
  const col = (c: number): Vec3 => [R[c], R[3 + c], R[6 + c]];
  return { origin: [fit.shift[0], fit.shift[1], 0], xAxis: col(0), yAxis: col(1), zAxis: col(2) };
}
