/**
 * Fitting the morphable head to a portrait's 2-D face-mesh landmarks: identity, expression, head pose
 * and the camera's focal length, by damped Gauss-Newton (Levenberg-Marquardt) on
 *
 *   cost = sum_l w_l^2 |proj(R p_l(alpha, beta) + t) - x_l|^2 / (sigma * iod)^2
 *        + lambdaId |alpha|^2 + lambdaExpr |beta|^2, beta in [0, 1] (projected after each step)
 *        + sym sum over left-right pairs (beta_L - beta_R)^2 (turned faces only)
 *        + upright^2 (x_head . up_world)^2
 *        + level^2 (z_head . up_world)^2          (only where the camera's elevation is stated)
 *
 * where p_l is landmark l on the model (landmark-basis.ts), x_l its detection in crop pixels, iod the
 * detected inter-ocular distance and sigma the landmark noise as a fraction of it. The identity prior
 * is the modes' own statistics (unit variance); the expression prior keeps a neutral face neutral.
 * Perspective: f is searched over crop fields of view from a telephoto to an arm's-length selfie, each
 * candidate fitted in full, and the lowest cost (plus a weak prior towards a portrait lens) wins.
 *
 * Rotation updates are left-multiplied axis-angle increments: R <- exp([w]x) R, so
 * d(Rp)/dw = -[Rp]x.
 */
import { focalFromFovy, fovyFromFocal } from '../../shared/camera';
import { smoothstep } from '../../shared/smoothstep';
import { FACE_MESH_OVAL } from '../head-model/landmarks';
import type { HeadModel } from '../head-model/types';
import { basisPoints, landmarkBasis, landmarkNormals, type LandmarkBasis } from './landmark-basis';
import { CHIN, withChin } from './chin-landmark';
import { poseAngles } from './pose-angles';

export { poseAngles } from './pose-angles';
import { mul3x3, rodrigues, rotY, solveSpd } from './linalg';
import type { HeadFit } from './types';

const CROP = 512;
/** Landmark noise, fraction of the inter-ocular distance. */
const SIGMA = 0.035;
const LAMBDA_EXPR = 8;
/**
 * Weight of the identity prior on a face turned past TURNED_IDENTITY_DEG (1 on a frontal face, ramped
 * in from TURNED_IDENTITY_FROM_DEG). A turned face shows half its width foreshortened and the detector
 * crowds the far side's landmarks onto the outline, and the fit explained them with an identity far
 * outside the model's statistics: facelift-mvd-000's 45-degree view came out with an identity norm of
 * 9.4 (its front view's 5.9; about 6.3 is typical of 40 unit-variance modes), a head shaped for the
 * detector's errors in every view but the input's. Doubled there, 6.8: that input 15.26 -> 15.83 dB
 * (IoU 0.844 -> 0.867), test heads from 33 and 56 degrees +0.09 and +0.05; doubled on frontal faces
 * too it cost them 0.3 dB.
 */
const TURNED_IDENTITY_WEIGHT = 2;
const TURNED_IDENTITY_FROM_DEG = 15;
const TURNED_IDENTITY_DEG = 30;

/**
 * The expression symmetry prior on a face turned past TURNED_IDENTITY_DEG (ramped in like the
 * identity's): each left-right pair of shapes (browDown_L / browDown_R, jawLeft / jawRight, ...) costs
 * TURNED_EXPRESSION_SYMMETRY times the square of their difference. A turned face's far side shows its
 * expression foreshortened, its landmarks crowded onto the outline, and the fit explained them with
 * one-sided shapes: fixture heads rendered 40 to 45 degrees round (neutral faces whose frontal fits
 * have no pair apart by more than 0.2) came out with pairs 0.58 to 1.0 apart (browDown_R 0.68 against
 * _L 0.17, eyeBlink_R 0.54, jawRight 0.34): a half-closed eye and a twisted brow in every view nearer
 * the front, and in the rigged head's rest pose. With it: pairs within 0.32 (both brows can still
 * come down together: fl-002's browDown 0.99 / 0.96). A stronger tie (120: pairs within 0.22), or
 * the expression prior's weight doubled as well (the largest shape 0.99 -> 0.63), cost the pose:
 * tests/head-fit/turned-face-lens's yaw errors, 2.5, 0.8 and 5.5 degrees without the tie, are 3.1,
 * 0.0 and 6.6 with it, 4.0, 0.3 and 6.5 at 120, and 3.8, 0.4 and 8.1 with the doubled weight.
 */
const TURNED_EXPRESSION_SYMMETRY = 60;

/** Left-right pairs among expression names (indices into `names`): X_L / X_R, and xLeft / xRight. */
export function expressionPairs(names: readonly string[]): Array<[number, number]> {
  const at = new Map(names.map((n, i) => [n, i]));
  const out: Array<[number, number]> = [];
  names.forEach((n, i) => {
    const partner = n.endsWith('_L')
      ? `${n.slice(0, -2)}_R`
      : n.endsWith('Left')
        ? `${n.slice(0, -4)}Right`
        : null;
    const j = partner === null ? undefined : at.get(partner);
    if (j !== undefined) out.push([i, j]);
  });
  return out;
}

/** Face-mesh contour (face oval) points: they slide over the surface with pose, so they count less. */
const OVAL = new Set(FACE_MESH_OVAL);
/** Eye and mouth corners, nose tip and bridge: the points detectors place best. */
const ANCHORS = new Set([33, 133, 263, 362, 61, 291, 1, 4, 6, 168, 13, 14, 0, 17]);
const EYE_R = [33, 133];
const EYE_L = [263, 362];

export interface FitOptions {
  identityCount?: number;
  /** Crop fields of view (degrees) to try; default from telephoto to selfie. */
  fovyCandidatesDeg?: number[];
  /** A known lens (stated, or the photo's EXIF): the crop's field of view is held at it, no candidates. */
  lens?: { cropFovyDeg: number; source: 'stated' | 'exif' };
  /** Iterations per focal candidate. */
  iterations?: number;
  /**
   * A profile: the landmarks are synthetic (weightfree/profile.ts, a template stood on the profile
   * line), so the head is held side-on (its midsagittal plane parallel to the image, a soft prior),
   * starts facing `facing` (+1: image right), and the residuals are scaled by `scalePx` (the two eyes
   * of a profile project onto each other: their distance is no scale).
   */
  profile?: { facing: -1 | 1; scalePx: number };
  /** Per face-mesh landmark (478) multiplier on its weight; 0 leaves it out. */
  landmarkWeights?: ArrayLike<number>;
  /**
   * The camera's elevation (degrees) when the caller knows it (stated by the user, or a ground
   * truth's): the upright prior's world up. Otherwise the prior takes the camera as level.
   */
  cameraElevationDeg?: number;
}

/**
 * Weight of the upright prior: the head's left-right axis level in the world (people hold their heads
 * upright more than they tilt them to a shoulder; the residual is the sine of that tilt, in the
 * landmarks' normalised units: 10 degrees costs about as much as 300 landmarks one sigma off).
 * Written as a camera tilted about its own x axis by a, then the head's yaw b and nod c (any rotation
 * is one such triple), the landmarks of a turned face hardly tell a from c: left free, the fit of
 * facelift-mvd-000's 45-degree view, taken level, came out at a = -20 and c = 15 degrees, a head
 * leaning to its shoulder in every view but the input's, where its front view's fit nods the head
 * 10 degrees (the two fits' up axes 16 degrees apart). The prior holds a at the camera's elevation
 * (level unless stated; residual sin(a) sin(b)) and leaves the nod free. On a frontal face a and c are
 * one angle (the pitch, which the pipeline reads as the camera's elevation) and the prior is the
 * head's roll alone.
 */
const UPRIGHT_WEIGHT = 100;
/**
 * Weight of the level prior, used only where the camera's elevation is known (stated): the head's
 * forward axis horizontal in the world (people hold their heads level more often than bowed or raised).
 */
const LEVEL_WEIGHT = 30;

/**
 * Weight of the profile prior: residuals (the z components of the model's forward and up axes in the
 * camera, i.e. sines of the turn away from side-on) in the landmarks' normalised units; 10 degrees off
 * costs about as much as 100 landmarks one sigma off.
 */
const PROFILE_PLANE_WEIGHT = 60;

/**
 * The lens is estimated from the landmarks only for a face within this many degrees of facing the
 * camera (yaw and pitch at the first lens tried). Turned further, the detector's landmarks on the far
 * side crowd towards the visible outline, which the fit explains as a wide lens's perspective: every
 * turned or steeply pitched face took the widest candidate (45 degrees over the crop) and its yaw came
 * out 7 to 21 degrees short, 3 to 15 at the portrait lens (test heads rendered with a 10-degree lens at
 * 30 to 55 degrees of yaw; frontal fixtures and photos are within 15 degrees). A turned face's fit is
 * also faster: two lenses instead of five.
 */
const LENS_FROM_LANDMARKS_MAX_TURN_DEG = 20;
/** The portrait lens a turned face is fitted with (crop field of view, degrees; the lens prior's centre). */
const PORTRAIT_LENS_DEG = 25;
/**
 * Weight of the lens prior, LENS_PRIOR_WEIGHT ln(fovy / PORTRAIT_LENS_DEG)^2 added to a candidate's
 * cost. A real detector's landmarks read every face through a wider lens than the photo's, frontal
 * ones too: the sweep's test head (a 10-degree lens over the crop) cost least at 30 or 45 degrees from
 * every elevation, facelift-mvd-000's front view (36.6) at 45, and hq-0001 took 45 and grew ear-muffs
 * of hair in a long lens's front view. At weight 2 the prior never decided; at 30 it costs a 45-degree
 * candidate 10.4 and a 10-degree one 25 (a candidate's cost falls by 10 to 20 from 18 to 45 degrees on
 * these portraits), so the landmarks must show a lens clearly to move it off 18 to 30.
 */
const LENS_PRIOR_WEIGHT = 30;
/**
 * A profile's landmarks are a template stood on its profile line, not the detector's: the detector's
 * bias is not in them, and the profile path (weightfree/profile.ts, profile-regions.ts) was built and
 * checked with the lens they choose under the old, weak prior (the longest candidate, 10 degrees).
 */
const TEMPLATE_LENS_PRIOR_WEIGHT = 2;

/** Model -> camera rotation of a head facing the camera (model +Y up -> camera -y, +Z front -> -z). */
const FRONTAL = new Float64Array([1, 0, 0, 0, -1, 0, 0, 0, -1]);

interface State {
  R: Float64Array;
  t: Float64Array;
  alpha: Float64Array;
  beta: Float64Array;
}

interface Problem {
  basis: LandmarkBasis;
  obs: Float64Array; // [L*2] crop px
  baseWeight: Float64Array; // [L]
  normals: Float64Array; // [L*3] model-space normals at the landmarks (neutral head)
  f: number;
  iod: number;
  /** Weight of the side-on prior (0: none). */
  plane: number;
  /** Weight of the identity prior (1, or more on a turned face). */
  identity: number;
  /** Weight of the upright prior (0: none), and the camera's elevation (radians) it holds the world up at. */
  upright: number;
  elevation: number;
  /** Weight of the level prior (0: none): the head's forward axis horizontal in the world at `elevation`. */
  level: number;
  /** Weight of the expression symmetry prior (0: none), and the fitted expressions' left-right pairs (indices into beta). */
  symmetry: number;
  pairs: ReadonlyArray<readonly [number, number]>;
}

/**
 * The upright prior's residual r = w * (a . up), a the model's left-right axis (+X, column `col` = 0
 * of R; the level prior: its forward axis, +Z, column 2, with w = pr.level) and up the world's up in the camera's axes (OpenCV: y down, z forward; a camera without roll at
 * elevation e, above the head positive: (0, -cos e, -sin e)), and its derivative by the rotation
 * increment: d(a . up)/dw = up . (-[a]x) = (up_z a_y - up_y a_z, -up_z a_x, up_y a_x).
 */
function uprightTerm(
  pr: Problem,
  R: Float64Array,
  col = 0,
  w = pr.upright,
): { r: number; j: [number, number, number] } {
  const upY = -Math.cos(pr.elevation);
  const upZ = -Math.sin(pr.elevation);
  const ax = R[col],
    ay = R[3 + col],
    az = R[6 + col];
  return { r: w * (ay * upY + az * upZ), j: [w * (upZ * ay - upY * az), -w * upZ * ax, w * upY * ax] };
}

function cloneState(s: State): State {
  return { R: s.R.slice(), t: s.t.slice(), alpha: s.alpha.slice(), beta: s.beta.slice() };
}

/**
 * Facing weight: landmarks on the far side of a turned face are placed by the detector on the visible
 * outline, not where they are, so points whose normal turns away from the camera count less.
 */
function weights(pr: Problem, s: State, pts: Float64Array, out: Float64Array): void {
  const { R, t } = s;
  for (let l = 0; l < pr.basis.count; l++) {
    const n = pr.normals.subarray(l * 3, l * 3 + 3);
    const nc = [
      R[0] * n[0] + R[1] * n[1] + R[2] * n[2],
      R[3] * n[0] + R[4] * n[1] + R[5] * n[2],
      R[6] * n[0] + R[7] * n[1] + R[8] * n[2],
    ];
    const p = pts.subarray(l * 3, l * 3 + 3);
    const q = [
      R[0] * p[0] + R[1] * p[1] + R[2] * p[2] + t[0],
      R[3] * p[0] + R[4] * p[1] + R[5] * p[2] + t[1],
      R[6] * p[0] + R[7] * p[1] + R[8] * p[2] + t[2],
    ];
    const qn = Math.hypot(q[0], q[1], q[2]) || 1;
    const facing = -(nc[0] * q[0] + nc[1] * q[1] + nc[2] * q[2]) / qn;
    const fw = Math.min(1, Math.max(0.15, (facing + 0.05) / 0.35));
    out[l] = pr.baseWeight[l] * fw;
  }
}

function cost(pr: Problem, s: State, w: Float64Array): number {
  const pts = basisPoints(pr.basis, s.alpha, s.beta);
  const { R, t } = s;
  const f = pr.f;
  const sc = 1 / (SIGMA * pr.iod);
  let c = 0;
  for (let l = 0; l < pr.basis.count; l++) {
    const p = pts.subarray(l * 3, l * 3 + 3);
    const qx = R[0] * p[0] + R[1] * p[1] + R[2] * p[2] + t[0];
    const qy = R[3] * p[0] + R[4] * p[1] + R[5] * p[2] + t[1];
    const qz = R[6] * p[0] + R[7] * p[1] + R[8] * p[2] + t[2];
    if (qz <= 1) return Infinity;
    const du = (f * qx) / qz + CROP / 2 - pr.obs[l * 2];
    const dv = (f * qy) / qz + CROP / 2 - pr.obs[l * 2 + 1];
    c += w[l] * w[l] * sc * sc * (du * du + dv * dv);
  }
  for (const a of s.alpha) c += pr.identity * a * a;
  for (const b of s.beta) c += LAMBDA_EXPR * b * b;
  for (const [a, b] of pr.pairs) c += pr.symmetry * (s.beta[a] - s.beta[b]) ** 2;
  // Side-on prior: the camera-z components of the model's forward (+Z, column 2) and up (+Y, column 1) axes.
  c += pr.plane * pr.plane * (R[8] * R[8] + R[7] * R[7]);
  if (pr.upright > 0) c += uprightTerm(pr, R).r ** 2;
  if (pr.level > 0) c += uprightTerm(pr, R, 2, pr.level).r ** 2;
  return c;
}

/**
 * One LM solve from `s`. `shape` false fits the rigid pose only. Returns the final state and cost.
 */
function solve(pr: Problem, start: State, iterations: number, shape: boolean): { s: State; cost: number } {
  const b = pr.basis;
  const K = shape ? b.identityCount : 0;
  const E = shape ? b.expressionIndex.length : 0;
  const P = 6 + K + E;
  const Ef = b.expressionIndex.length;
  const Kf = b.identityCount;
  let s = cloneState(start);
  const w = new Float64Array(b.count);
  let c: number;
  let lambda = 1e-3;
  const sc = 1 / (SIGMA * pr.iod);
  const Jrow = new Float64Array(P * 2);
  const RA = new Float64Array(3 * Kf);
  const RB = new Float64Array(3 * Ef);
  for (let it = 0; it < iterations; it++) {
    const pts = basisPoints(b, s.alpha, s.beta);
    weights(pr, s, pts, w);
    c = cost(pr, s, w);
    const H = new Float64Array(P * P);
    const g = new Float64Array(P);
    const { R, t } = s;
    const f = pr.f;
    for (let l = 0; l < b.count; l++) {
      const p = pts.subarray(l * 3, l * 3 + 3);
      const rp = [
        R[0] * p[0] + R[1] * p[1] + R[2] * p[2],
        R[3] * p[0] + R[4] * p[1] + R[5] * p[2],
        R[6] * p[0] + R[7] * p[1] + R[8] * p[2],
      ];
      const q = [rp[0] + t[0], rp[1] + t[1], rp[2] + t[2]];
      const iz = 1 / q[2];
      const ws = w[l] * sc;
      const ru = ws * (f * q[0] * iz + CROP / 2 - pr.obs[l * 2]);
      const rv = ws * (f * q[1] * iz + CROP / 2 - pr.obs[l * 2 + 1]);
      // d(u,v)/dq, scaled by the residual weight.
      const du = [ws * f * iz, 0, -ws * f * q[0] * iz * iz];
      const dv = [0, ws * f * iz, -ws * f * q[1] * iz * iz];
      // dq/dw = -[rp]x = [[0, rz, -ry], [-rz, 0, rx], [ry, -rx, 0]]
      const dqdw = [0, rp[2], -rp[1], -rp[2], 0, rp[0], rp[1], -rp[0], 0];
      for (let j = 0; j < 3; j++) {
        Jrow[j] = du[0] * dqdw[j] + du[1] * dqdw[3 + j] + du[2] * dqdw[6 + j];
        Jrow[P + j] = dv[0] * dqdw[j] + dv[1] * dqdw[3 + j] + dv[2] * dqdw[6 + j];
        Jrow[3 + j] = du[j];
        Jrow[P + 3 + j] = dv[j];
      }
      if (shape) {
        // R A_l and R B_l (3 x K, 3 x E)
        for (let r = 0; r < 3; r++) {
          for (let k = 0; k < K; k++)
            RA[r * K + k] =
              R[r * 3] * b.identity[l * 3 * Kf + k] +
              R[r * 3 + 1] * b.identity[(l * 3 + 1) * Kf + k] +
              R[r * 3 + 2] * b.identity[(l * 3 + 2) * Kf + k];
          for (let e = 0; e < E; e++)
            RB[r * E + e] =
              R[r * 3] * b.expression[l * 3 * Ef + e] +
              R[r * 3 + 1] * b.expression[(l * 3 + 1) * Ef + e] +
              R[r * 3 + 2] * b.expression[(l * 3 + 2) * Ef + e];
        }
        for (let k = 0; k < K; k++) {
          Jrow[6 + k] = du[0] * RA[k] + du[2] * RA[2 * K + k];
          Jrow[P + 6 + k] = dv[1] * RA[K + k] + dv[2] * RA[2 * K + k];
        }
        for (let e = 0; e < E; e++) {
          Jrow[6 + K + e] = du[0] * RB[e] + du[2] * RB[2 * E + e];
          Jrow[P + 6 + K + e] = dv[1] * RB[E + e] + dv[2] * RB[2 * E + e];
        }
      }
      for (let i = 0; i < P; i++) {
        const a = Jrow[i];
        const bb = Jrow[P + i];
        g[i] += a * ru + bb * rv;
        if (a === 0 && bb === 0) continue;
        const rowH = i * P;
        for (let j = i; j < P; j++) H[rowH + j] += a * Jrow[j] + bb * Jrow[P + j];
      }
    }
    for (let i = 0; i < P; i++) for (let j = 0; j < i; j++) H[i * P + j] = H[j * P + i];
    if (pr.plane > 0) {
      // r = plane * (R v)_z for v = +Z and +Y; d(R v)/dw = -[R v]x, whose z row is (a_y, -a_x, 0).
      for (const col of [2, 1]) {
        const ax = R[col],
          ay = R[3 + col],
          az = R[6 + col];
        const j0 = pr.plane * ay,
          j1 = -pr.plane * ax;
        const r = pr.plane * az;
        g[0] += j0 * r;
        g[1] += j1 * r;
        H[0] += j0 * j0;
        H[1] += j0 * j1;
        H[P] += j0 * j1;
        H[P + 1] += j1 * j1;
      }
    }
    for (const [col, w] of [
      [0, pr.upright],
      [2, pr.level],
    ] as const) {
      if (!(w > 0)) continue;
      const { r, j } = uprightTerm(pr, R, col, w);
      for (let a = 0; a < 3; a++) {
        g[a] += j[a] * r;
        for (let b = 0; b < 3; b++) H[a * P + b] += j[a] * j[b];
      }
    }
    if (shape) {
      for (let k = 0; k < K; k++) {
        H[(6 + k) * P + 6 + k] += pr.identity;
        g[6 + k] += pr.identity * s.alpha[k];
      }
      for (let e = 0; e < E; e++) {
        H[(6 + K + e) * P + 6 + K + e] += LAMBDA_EXPR;
        g[6 + K + e] += LAMBDA_EXPR * s.beta[e];
      }
      if (E > 0)
        for (const [a, b] of pr.pairs) {
          const ia = 6 + K + a;
          const ib = 6 + K + b;
          const d = pr.symmetry * (s.beta[a] - s.beta[b]);
          g[ia] += d;
          g[ib] -= d;
          H[ia * P + ia] += pr.symmetry;
          H[ib * P + ib] += pr.symmetry;
          H[ia * P + ib] -= pr.symmetry;
          H[ib * P + ia] -= pr.symmetry;
        }
    }
    let improved = false;
    for (let tries = 0; tries < 8 && !improved; tries++) {
      const A = H.slice();
      for (let i = 0; i < P; i++) A[i * P + i] += lambda * (H[i * P + i] + 1e-6);
      const neg = g.map((x) => -x);
      const d = solveSpd(A, neg, P);
      if (!d) {
        lambda *= 10;
        continue;
      }
      const next = cloneState(s);
      next.R = mul3x3(rodrigues([d[0], d[1], d[2]]), s.R);
      for (let j = 0; j < 3; j++) next.t[j] += d[3 + j];
      for (let k = 0; k < K; k++) next.alpha[k] += d[6 + k];
      for (let e = 0; e < E; e++) next.beta[e] = Math.min(1, Math.max(0, next.beta[e] + d[6 + K + e]));
      const nc = cost(pr, next, w);
      if (nc < c) {
        s = next;
        c = nc;
        lambda = Math.max(1e-7, lambda / 3);
        improved = true;
      } else lambda *= 8;
    }
    if (!improved) break;
  }
  weights(pr, s, basisPoints(b, s.alpha, s.beta), w);
  return { s, cost: cost(pr, s, w) };
}

/** Whether a pose (model -> camera rotation) is turned past the lens cue in yaw or pitch. */
function turnedPastLensCue(R: Float64Array): boolean {
  const a = poseAngles(R);
  return Math.max(Math.abs(a.yawDeg), Math.abs(a.pitchDeg)) > LENS_FROM_LANDMARKS_MAX_TURN_DEG;
}

function meanOf(obs: Float32Array, ids: number[]): [number, number] {
  let x = 0;
  let y = 0;
  for (const i of ids) {
    x += obs[i * 3];
    y += obs[i * 3 + 1];
  }
  return [x / ids.length, y / ids.length];
}

export interface FittedHead {
  fit: HeadFit;
  basis: LandmarkBasis;
  alpha: Float64Array;
  /** Full expression vector in the model's expression order. */
  beta: Float64Array;
  R: Float64Array;
  t: Float64Array;
}

/**
 * Fit `model` to face-mesh landmarks (Float32Array [478*3], crop pixels; z is ignored: the detector's
 * depth is too flat to trust).
 */
export function fitLandmarks(model: HeadModel, landmarks: Float32Array, opts: FitOptions = {}): FittedHead {
  const t0 = performance.now();
  model = withChin(model);
  const used: number[] = [];
  for (let i = 0; i < 468; i++) if (model.landmarkTriangles[i] >= 0) used.push(i);
  const basis = landmarkBasis(model, {
    identityCount: opts.identityCount ?? Math.min(40, model.identityCount),
    landmarks: used,
  });
  const L = basis.count;
  if (L < 20) throw new Error(`the head model has only ${L} landmark correspondences: cannot fit`);
  const obs = new Float64Array(L * 2);
  const baseWeight = new Float64Array(L);
  for (let l = 0; l < L; l++) {
    const id = basis.ids[l];
    obs[l * 2] = landmarks[id * 3];
    obs[l * 2 + 1] = landmarks[id * 3 + 1];
    baseWeight[l] = id === CHIN ? 1 : OVAL.has(id) ? 0.4 : ANCHORS.has(id) ? 1.5 : 1;
    if (opts.landmarkWeights) baseWeight[l] *= opts.landmarkWeights[id];
  }
  const [erx, ery] = meanOf(landmarks, EYE_R);
  const [elx, ely] = meanOf(landmarks, EYE_L);
  const iod = opts.profile ? opts.profile.scalePx : Math.max(4, Math.hypot(elx - erx, ely - ery));
  const plane = opts.profile ? PROFILE_PLANE_WEIGHT : 0;
  // A profile is held side-on by its own prior (its landmarks are a template's).
  const upright = opts.profile ? 0 : UPRIGHT_WEIGHT;
  const elevation = ((opts.cameraElevationDeg ?? 0) * Math.PI) / 180;
  const level = !opts.profile && opts.cameraElevationDeg !== undefined ? LEVEL_WEIGHT : 0;
  const normals = landmarkNormals(model, basis);
  // Observed and model spreads give the initial distance for each focal length.
  let ox = 0,
    oy = 0;
  for (let l = 0; l < L; l++) {
    ox += obs[l * 2] / L;
    oy += obs[l * 2 + 1] / L;
  }
  let oSpread = 0;
  for (let l = 0; l < L; l++) oSpread += Math.hypot(obs[l * 2] - ox, obs[l * 2 + 1] - oy) / L;
  let mSpread = 0;
  const mc = [0, 0, 0];
  for (let l = 0; l < L; l++) for (let c = 0; c < 3; c++) mc[c] += basis.mean[l * 3 + c] / L;
  for (let l = 0; l < L; l++)
    mSpread += Math.hypot(basis.mean[l * 3] - mc[0], basis.mean[l * 3 + 1] - mc[1]) / L;

  // Middle lens first: its solution seeds the others.
  let fovs = opts.lens ? [opts.lens.cropFovyDeg] : (opts.fovyCandidatesDeg ?? [18, 30, 45, 10, 4]);
  let lensSource: HeadFit['lensSource'] = opts.lens?.source ?? 'fitted';
  const iterations = opts.iterations ?? 10;
  let best: { s: State; cost: number; f: number; total: number } | null = null;
  // The identity prior's weight: set from the first lens's rigid pose, before any shape is fitted.
  let identity = 1;
  let symmetry = 0;
  const pairs = expressionPairs(basis.expressionIndex.map((e) => model.expressionNames[e]));
  // The problem at focal length f, with the identity and symmetry weights as they stand when it is made.
  const problemAt = (f: number): Problem => ({
    basis,
    obs,
    baseWeight,
    normals,
    f,
    iod,
    plane,
    identity,
    upright,
    elevation,
    level,
    symmetry,
    pairs,
  });
  let prev: { s: State; f: number } | null = null;
  for (let k = 0; k < fovs.length; k++) {
    const fov = fovs[k];
    const f = focalFromFovy(CROP, fov);
    const pr = problemAt(f);
    let rigid: { s: State; cost: number } | null = null;
    if (!prev) {
      // Rigid start from a few yaws (a profile-ish face would trap a frontal start), keep the best.
      const tz = (f * mSpread) / Math.max(1, oSpread);
      const yaws = opts.profile ? [80, 90].map((y) => y * opts.profile!.facing) : [0, -35, 35, -70, 70];
      for (const yaw of yaws) {
        const R = mul3x3(FRONTAL, rotY((yaw * Math.PI) / 180));
        const cm = [
          R[0] * mc[0] + R[1] * mc[1] + R[2] * mc[2],
          R[3] * mc[0] + R[4] * mc[1] + R[5] * mc[2],
          R[6] * mc[0] + R[7] * mc[1] + R[8] * mc[2],
        ];
        const t = new Float64Array([
          ((ox - CROP / 2) * tz) / f - cm[0],
          ((oy - CROP / 2) * tz) / f - cm[1],
          tz - cm[2],
        ]);
        const start: State = {
          R,
          t,
          alpha: new Float64Array(basis.identityCount),
          beta: new Float64Array(basis.expressionIndex.length),
        };
        const r = solve(pr, start, 10, false);
        if (!rigid || r.cost < rigid.cost) rigid = r;
      }
      // The identity and expression priors' weights, from the rigid pose's turn (a profile's template
      // landmarks keep 1 and no symmetry).
      const turn = opts.profile ? 0 : Math.abs(poseAngles(rigid!.s.R).yawDeg);
      const turned = smoothstep(TURNED_IDENTITY_FROM_DEG, TURNED_IDENTITY_DEG, turn);
      identity = 1 + (TURNED_IDENTITY_WEIGHT - 1) * turned;
      symmetry = TURNED_EXPRESSION_SYMMETRY * turned;
      pr.identity = identity;
      pr.symmetry = symmetry;
    } else {
      // The previous lens's solution moved to this lens's distance (same image size), pose re-solved.
      const start = cloneState(prev.s);
      start.t[2] *= f / prev.f;
      rigid = solve(pr, start, 6, false);
    }
    const full = solve(pr, rigid!.s, iterations, true);
    if (k === 0 && lensSource === 'fitted' && !opts.profile && turnedPastLensCue(full.s.R)) {
      // Too turned for the landmarks to tell the lens: the portrait lens, seeded by this solution.
      fovs = [fov, PORTRAIT_LENS_DEG];
      lensSource = 'prior';
      prev = { s: full.s, f };
      continue;
    }
    // Prior towards a portrait lens (about 25 degrees over the crop, LENS_PRIOR_WEIGHT).
    const weight = opts.profile ? TEMPLATE_LENS_PRIOR_WEIGHT : LENS_PRIOR_WEIGHT;
    const lensPrior = lensSource === 'fitted' ? weight * Math.log(fov / PORTRAIT_LENS_DEG) ** 2 : 0;
    const total = full.cost + lensPrior;
    if (!best || total < best.total) best = { ...full, f, total };
    prev = { s: full.s, f };
  }
  const b = best!;
  // Polish at the chosen focal length.
  const prBest = problemAt(b.f);
  const polished = solve(prBest, b.s, 20, true);
  const s = polished.s;
  const pts = basisPoints(basis, s.alpha, s.beta);
  let sum = 0;
  let sum2 = 0;
  for (let l = 0; l < L; l++) {
    const p = pts.subarray(l * 3, l * 3 + 3);
    const R = s.R;
    const qx = R[0] * p[0] + R[1] * p[1] + R[2] * p[2] + s.t[0];
    const qy = R[3] * p[0] + R[4] * p[1] + R[5] * p[2] + s.t[1];
    const qz = R[6] * p[0] + R[7] * p[1] + R[8] * p[2] + s.t[2];
    const e = Math.hypot(
      (b.f * qx) / qz + CROP / 2 - obs[l * 2],
      (b.f * qy) / qz + CROP / 2 - obs[l * 2 + 1],
    );
    sum += e;
    sum2 += e * e;
  }
  const fullBeta = new Float64Array(model.expressionNames.length);
  const expression: Record<string, number> = {};
  basis.expressionIndex.forEach((ei, j) => {
    fullBeta[ei] = s.beta[j];
    expression[model.expressionNames[ei]] = Math.round(s.beta[j] * 1e4) / 1e4;
  });
  const angles = poseAngles(s.R);
  // A profile shows nothing of the camera's height: its nod is the head's own, the camera level.
  if (opts.profile) angles.cameraElevationDeg = 0;
  const fit: HeadFit = {
    model: { name: model.info.name, sha256: model.info.sha256 },
    identity: Array.from(s.alpha, (a) => Math.round(a * 1e5) / 1e5),
    expression,
    rotation: Array.from(s.R),
    translation: [s.t[0], s.t[1], s.t[2]],
    focalPx: b.f,
    cx: CROP / 2,
    cy: CROP / 2,
    cropFovyDeg: fovyFromFocal(CROP, b.f),
    lensSource,
    landmarkSource: opts.profile ? 'profile' : 'detected',
    ...angles,
    meanErrorPx: sum / L,
    rmsErrorPx: Math.sqrt(sum2 / L),
    meanErrorIod: sum / L / iod,
    interOcularPx: iod,
    landmarksUsed: L,
    timeMs: performance.now() - t0,
  };
  // The fit's identity is on the fitted modes only; pad to the model's count for vertex synthesis.
  const alpha = new Float64Array(model.identityCount);
  alpha.set(s.alpha);
  return { fit, basis, alpha, beta: fullBeta, R: s.R, t: s.t };
}
