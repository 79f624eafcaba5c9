/**
 * Head rotation from a face-capture take (Live Link Face's HeadYaw / HeadPitch / HeadRoll): head, hair
 * and neck turn about a pivot at the top of the neck (the atlanto-occipital joint), the torso stays.
 * Between the two, over the neck, a Gaussian turns by a fraction of the angle (a linear blend by its
 * height in the model's frame), so the neck bends instead of tearing.
 *
 * Angles are about the head model's own axes (model space: +x the subject's left, +y up, +z out of
 * the face), carried into the run's world by the fit's rotation: yaw about +y (positive turns the face
 * towards the subject's left), pitch about +x (positive tips the face down), roll about +z (positive
 * tips the top of the head towards the subject's right). Applied as roll, then pitch, then yaw.
 * Higher SH bands are not rotated (the preview and the videos draw the DC colour).
 */
import type { HeadRotation } from '../../shared/animation/arkit-csv';
import { quatFromMatrix } from '../../shared/animation/triangle-frame';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { ModelToWorld } from '../head-fit/model-to-world';
import type { HeadModel } from '../head-model/types';
import type { WorldToModel } from './bind-to-head';
import { landmarkAt } from './face-contours';


/**
 * The pivot below the ears' level and behind the jaw (cm from the jaw-angle landmarks 2/14 and the
 * outer brow-level contour points 0/16): an anatomical estimate, not fitted.
 */
const PIVOT_BELOW_JAW_CM = 1.5;
const PIVOT_BEHIND_CONTOUR_CM = 5;
/** Above pivot - FULL_BELOW_PIVOT_CM everything turns fully; below pivot - STILL_BELOW_PIVOT_CM nothing turns. */
const FULL_BELOW_PIVOT_CM = 4;
const STILL_BELOW_PIVOT_CM = 12;

export class HeadTurn {
  /** Pivot in the world [3]. */
  private readonly pivot: [number, number, number];
  private readonly pivotModelY: number;
  /** Model -> world rotation (A / scale), row-major [9]. */
  private readonly M: Float64Array;

  constructor(
    model: HeadModel,
    restModel: Float32Array,
    toWorld: Pick<ModelToWorld, 'A' | 'b' | 'scale'>,
    private readonly toModel: WorldToModel,
  ) {
    const at = (i68: number) => landmarkAt(model, restModel, i68);
    const jawY = (at(2)[1] + at(14)[1]) / 2;
    const contourZ = (at(0)[2] + at(16)[2]) / 2;
    const p = [0, jawY - PIVOT_BELOW_JAW_CM, contourZ - PIVOT_BEHIND_CONTOUR_CM];
    this.pivotModelY = p[1];
    const { A, b, scale } = toWorld;
    this.M = Float64Array.from(A, (a) => a / scale);
    this.pivot = [0, 1, 2].map((r) => A[r * 3] * p[0] + A[r * 3 + 1] * p[1] + A[r * 3 + 2] * p[2] + b[r]) as [
      number,
      number,
      number,
    ];
  }

  /** How much of the rotation a point at model height y takes (0 torso .. 1 head). */
  private share(y: number): number {
    const full = this.pivotModelY - FULL_BELOW_PIVOT_CM;
    const still = this.pivotModelY - STILL_BELOW_PIVOT_CM;
    return Math.min(1, Math.max(0, (y - still) / (full - still)));
  }

  /** The rotation as a world axis (unit) and angle (radians). */
  private axisAngle(r: HeadRotation): { axis: [number, number, number]; angle: number } {
    const rad = Math.PI / 180;
    const [cy, sy] = [Math.cos(r.yawDeg * rad), Math.sin(r.yawDeg * rad)];
    const [cp, sp] = [Math.cos(r.pitchDeg * rad), Math.sin(r.pitchDeg * rad)];
    const [cr, sr] = [Math.cos(r.rollDeg * rad), Math.sin(r.rollDeg * rad)];
    // Ry(yaw) Rx(pitch) Rz(roll), right-handed, row-major: Ry takes +z (the face) towards +x, Rx
    // takes it down (-y), Rz takes +y (the top of the head) towards -x.
    const Ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
    const Rx = [1, 0, 0, 0, cp, -sp, 0, sp, cp];
    const Rz = [cr, -sr, 0, sr, cr, 0, 0, 0, 1];
    const R = mul(Ry, mul(Rx, Rz));
    const q = quatFromMatrix(R);
    const w = Math.min(1, Math.max(-1, q[0]));
    const angle = 2 * Math.acos(w);
    const s = Math.sqrt(Math.max(0, 1 - w * w));
    if (s < 1e-12) return { axis: [1, 0, 0], angle: 0 };
    const m = [q[1] / s, q[2] / s, q[3] / s];
    const M = this.M;
    const axis = [0, 1, 2].map((k) => M[k * 3] * m[0] + M[k * 3 + 1] * m[1] + M[k * 3 + 2] * m[2]) as [
      number,
      number,
      number,
    ];
    return { axis, angle };
  }

  /** `cloud` (world) with head, hair and neck turned by `r`; new position and rotation arrays. */
  apply(cloud: GaussianCloud, r: HeadRotation): GaussianCloud {
    const { axis, angle } = this.axisAngle(r);
    if (angle === 0) return cloud;
    const positions = cloud.positions.slice();
    const rotations = cloud.rotations.slice();
    const [c0, c1, c2] = this.pivot;
    const R = new Float64Array(9);
    let lastShare = -1;
    let qw = 1;
    let qx = 0;
    let qy = 0;
    let qz = 0;
    for (let i = 0; i < cloud.count; i++) {
      const x = positions[i * 3];
      const y = positions[i * 3 + 1];
      const z = positions[i * 3 + 2];
      const share = this.share(this.toModel(x, y, z)[1]);
      if (share === 0) continue;
      if (share !== lastShare) {
        const h = (share * angle) / 2;
        const s = Math.sin(h);
        [qw, qx, qy, qz] = [Math.cos(h), axis[0] * s, axis[1] * s, axis[2] * s];
        quatToMatrix(qw, qx, qy, qz, R);
        lastShare = share;
      }
      const dx = x - c0;
      const dy = y - c1;
      const dz = z - c2;
      positions[i * 3] = c0 + R[0] * dx + R[1] * dy + R[2] * dz;
      positions[i * 3 + 1] = c1 + R[3] * dx + R[4] * dy + R[5] * dz;
      positions[i * 3 + 2] = c2 + R[6] * dx + R[7] * dy + R[8] * dz;
      // Gaussian rotation (w x y z): q * r.
      const o = i * 4;
      const [bw, bx, by, bz] = [rotations[o], rotations[o + 1], rotations[o + 2], rotations[o + 3]];
      rotations[o] = qw * bw - qx * bx - qy * by - qz * bz;
      rotations[o + 1] = qw * bx + qx * bw + qy * bz - qz * by;
      rotations[o + 2] = qw * by - qx * bz + qy * bw + qz * bx;
      rotations[o + 3] = qw * bz + qx * by - qy * bx + qz * bw;
    }
    return { ...cloud, positions, rotations };
  }
}

function mul(a: number[], b: number[]): number[] {
  const out = new Array<number>(9);
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      out[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
  return out;
}

function quatToMatrix(w: number, x: number, y: number, z: number, out: Float64Array): void {
  out[0] = 1 - 2 * (y * y + z * z);
  out[1] = 2 * (x * y - w * z);
  out[2] = 2 * (x * z + w * y);
  out[3] = 2 * (x * y + w * z);
  out[4] = 1 - 2 * (x * x + z * z);
  out[5] = 2 * (y * z - w * x);
  out[6] = 2 * (x * z - w * y);
  out[7] = 2 * (y * z + w * x);
  out[8] = 1 - 2 * (x * x + y * y);
}
