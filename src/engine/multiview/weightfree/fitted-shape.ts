/**
 * The radial head (head-model.ts) from a morphable head fitted to the portrait (src/engine/head-fit):
 * the model's skin (face, skull, ears, neck) is what the head is, where the photo shows it and where it
 * does not. The silhouette fit (silhouette.ts) then adds the hair volume outside it.
 *
 * Spaces. The fit gives camera-space points q (OpenCV, cm) for the input camera of focal length f (crop
 * pixels). The image frame G (landmarks.ts) is that camera's perspective space:
 *   G = (f q.x / q.z,  -f q.y / q.z,  -(q.z - zc) f / zc)      (zc: depth of the head centre)
 * so a G point's X, Y are its exact pixel in the portrait and Z its depth in pixels at the centre's
 * depth; gToWorld (image-frame.ts), given the same focal length and a camera distance D, maps G back to
 * the metric head scaled by D / zc. The head frame H is G moved to the head centre and turned by the
 * fitted rotation (the model's axes in G), so H's +y is the head's up and +z its face direction.
 *
 * The radius of each grid direction is the outermost model surface the ray from the centre meets
 * (a spherical z-buffer over the model's triangles); directions that meet none (down through the open
 * neck) fall back to an ellipsoid through the model's own extents.
 */
import type { Vec3 } from '../../../shared/camera';
import type { HeadModel } from '../../head-model/types';
import { headModelVertices } from '../../head-model/vertices';
import type { FittedHead } from '../../head-fit/fit-landmarks';
import { FIT_MODEL_CENTRE } from '../../head-fit/model-to-world';
import { direction, type CraniumPrior, type HeadShape } from './head-model';
import { CROP, LM, toHead, type HeadFrame } from './landmarks';
import { earPixelMask, earsUnderHair, earVertices, isEarVertex, NARROW_FACE_VERTICES } from './fitted-ears';

/** Head centre in model space (cm): the one the fitted model's world placement uses. */
const MODEL_CENTRE: Vec3 = [...FIT_MODEL_CENTRE];
/** Parts that make up the skin surface and what shows through its openings. */
const SURFACE_PARTS = ['face', 'headNeck', 'eyeballL', 'eyeballR', 'teeth', 'mouthSocket'];
/** Below this many cm under the chin the neck is the torso stub's, not the head's. */
const NECK_CUT_BELOW_CHIN_CM = 4;
/** Neck triangles reaching below this neutral-head height (cm; the chin is at about -7.6) are left out. */
const NECK_MODEL_MIN_Y_CM = -9;
/** The head's neck ends this much lower, inside the torso stub. */
const NECK_STUB_CM = 3;
/** The band below the chin (cm, model space) whose skin vertices give the neck's base. */
const NECK_BASE_CM: [number, number] = [5, 8];
/** Parts whose vertices are the neck's skin (the throat is the face part's, the nape the head's). */
const NECK_PARTS = ['face', 'headNeck'];

export interface FittedShape {
  shape: HeadShape;
  /** Landmarks [478*3] in the FaceAnalysis layout (crop px, z = -G.Z), from the fitted model where it has them. */
  landmarks: Float32Array;
  /** Ears left out because hair covers both in the portrait. */
  earsCovered: boolean;
  /** Crop pixels [CROP*CROP] (1 = ear) where the fitted ears project (fitted-ears.ts earPixelMask). */
  earMask: Uint8Array;
  /**
   * Where the neck's base lies from the head centre, horizontally (image frame G, pixels): the middle
   * of the model's neck skin NECK_BASE_CM below the chin, taken in the model's upright frame and turned
   * by the head's yaw only. The torso stub hangs from it: the neck leaves the skull under its back
   * half, so its base is behind the head centre (about 4 cm on the ICT mean head), and a stub centred
   * under the head centre stood in front of the neck, its chest poking out past the chin from the side.
   * The head's pitch and roll are left out: a head tips on top of the neck, the neck's base stays.
   */
  neckOffsetG: Vec3;
  /**
   * The ears' front-back extent along the head's forward axis (head frame H z, pixels: [back, front]):
   * where a profile's hair beside the head is measured (hair-line.ts profileSideHairY).
   */
  earZ: [number, number];
}

interface Posed {
  /** H-frame positions [V*3] (pixels). */
  h: Float64Array;
  frame: HeadFrame;
  cmPerPx: number;
  /** Crop pixel of a posed model-space point. */
  pixel: (p: Vec3) => [number, number];
  /** Posed model-space vertices [V*3] (cm). */
  vertices: Float32Array;
}

function pose(model: HeadModel, fitted: FittedHead): Posed {
  const v = headModelVertices(model, fitted.alpha, fitted.beta);
  const { R, t } = fitted;
  const f = fitted.fit.focalPx;
  const cam = (p: ArrayLike<number>, o: number): Vec3 => [
    R[0] * p[o] + R[1] * p[o + 1] + R[2] * p[o + 2] + t[0],
    R[3] * p[o] + R[4] * p[o + 1] + R[5] * p[o + 2] + t[1],
    R[6] * p[o] + R[7] * p[o + 1] + R[8] * p[o + 2] + t[2],
  ];
  const qc = cam(MODEL_CENTRE, 0);
  const zc = qc[2];
  const toG = (q: Vec3): Vec3 => [(f * q[0]) / q[2], (-f * q[1]) / q[2], (-(q[2] - zc) * f) / zc];
  // Model axes in G (GL camera axes: flip OpenCV's y and z).
  const frame: HeadFrame = {
    origin: toG(qc),
    xAxis: [R[0], -R[3], -R[6]],
    yAxis: [R[1], -R[4], -R[7]],
    zAxis: [R[2], -R[5], -R[8]],
  };
  const h = new Float64Array(v.length);
  for (let i = 0; i < model.vertexCount; i++) {
    const g = toG(cam(v, i * 3));
    const hh = toHead(frame, g);
    h[i * 3] = hh[0];
    h[i * 3 + 1] = hh[1];
    h[i * 3 + 2] = hh[2];
  }
  return {
    h,
    frame,
    cmPerPx: zc / f,
    pixel: (p: Vec3) => {
      const q = cam(p, 0);
      return [(f * q[0]) / q[2] + CROP / 2, (f * q[1]) / q[2] + CROP / 2] as [number, number];
    },
    vertices: v,
  };
}

/** Spherical z-buffer: outermost hit radius per grid direction and whether it lies on the narrow face. */
function rayCast(
  model: HeadModel,
  h: Float64Array,
  nTheta: number,
  nPhi: number,
  minY: number,
  skipEars: boolean,
  earsAreFace: boolean,
): { radius: Float32Array; face: Float32Array } {
  const W = nPhi + 1;
  const radius = new Float32Array((nTheta + 1) * W);
  const face = new Float32Array(radius.length);
  const dirs = new Float64Array(radius.length * 3);
  for (let i = 0; i <= nTheta; i++) {
    for (let j = 0; j <= nPhi; j++) {
      const d = direction((Math.PI * i) / nTheta, -Math.PI + (2 * Math.PI * (j % nPhi)) / nPhi);
      dirs.set(d, (i * W + j) * 3);
    }
  }
  const angles = (x: number, y: number, z: number): [number, number] => [
    Math.acos(Math.max(-1, Math.min(1, y / (Math.hypot(x, y, z) || 1)))),
    Math.atan2(x, z),
  ];
  for (const name of SURFACE_PARTS) {
    const part = model.parts.find((p) => p.name === name);
    if (!part) continue;
    for (let tri = part.triangleStart; tri < part.triangleEnd; tri++) {
      const a = model.triangles[tri * 3];
      const b = model.triangles[tri * 3 + 1];
      const c = model.triangles[tri * 3 + 2];
      const p0 = [h[a * 3], h[a * 3 + 1], h[a * 3 + 2]];
      const p1 = [h[b * 3], h[b * 3 + 1], h[b * 3 + 2]];
      const p2 = [h[c * 3], h[c * 3 + 1], h[c * 3 + 2]];
      if (Math.max(p0[1], p1[1], p2[1]) < minY) continue;
      // The neck below the jaw widens into the trapezius and shoulder tops: not the head's.
      if (
        name === 'headNeck' &&
        Math.min(model.neutral[a * 3 + 1], model.neutral[b * 3 + 1], model.neutral[c * 3 + 1]) <
          NECK_MODEL_MIN_Y_CM
      )
        continue;
      if (
        skipEars &&
        name === 'face' &&
        (isEarVertex(model, a) || isEarVertex(model, b) || isEarVertex(model, c))
      )
        continue;
      const an = [angles(p0[0], p0[1], p0[2]), angles(p1[0], p1[1], p1[2]), angles(p2[0], p2[1], p2[2])];
      const tMin = Math.min(an[0][0], an[1][0], an[2][0]);
      const tMax = Math.max(an[0][0], an[1][0], an[2][0]);
      let phis = an.map((x) => x[1]);
      // Across the seam at the back (phi = +-pi): unwrap to one side.
      if (Math.max(...phis) - Math.min(...phis) > Math.PI)
        phis = phis.map((p) => (p < 0 ? p + 2 * Math.PI : p));
      let pMin = Math.min(...phis);
      let pMax = Math.max(...phis);
      // Near the poles a triangle can span every phi.
      if (tMin < 0.05 || tMax > Math.PI - 0.05) {
        pMin = -Math.PI;
        pMax = Math.PI;
      }
      const i0 = Math.max(0, Math.floor((tMin / Math.PI) * nTheta));
      const i1 = Math.min(nTheta, Math.ceil((tMax / Math.PI) * nTheta));
      const j0 = Math.floor(((pMin + Math.PI) / (2 * Math.PI)) * nPhi);
      const j1 = Math.ceil(((pMax + Math.PI) / (2 * Math.PI)) * nPhi);
      const e1 = [p1[0] - p0[0], p1[1] - p0[1], p1[2] - p0[2]];
      const e2 = [p2[0] - p0[0], p2[1] - p0[1], p2[2] - p0[2]];
      // The narrow face is skin the outline fit leaves alone (HeadShape.faceWeight); on a profile the
      // ears too: they stand along its view axis, where the outline's gain is the hair's at their
      // height, and scaled by it they stood off the head as hair-textured wings. A frontal outline
      // measures the ears' own reach (they are in it).
      const isFace =
        name === 'face' &&
        ((a < NARROW_FACE_VERTICES && b < NARROW_FACE_VERTICES && c < NARROW_FACE_VERTICES) ||
          (earsAreFace && (isEarVertex(model, a) || isEarVertex(model, b) || isEarVertex(model, c))))
          ? 1
          : 0;
      for (let i = i0; i <= i1; i++) {
        for (let jj = j0; jj <= j1; jj++) {
          const j = ((jj % nPhi) + nPhi) % nPhi;
          const k = i * W + j;
          const dx = dirs[k * 3];
          const dy = dirs[k * 3 + 1];
          const dz = dirs[k * 3 + 2];
          // Moller-Trumbore, ray from the origin.
          const px = dy * e2[2] - dz * e2[1];
          const py = dz * e2[0] - dx * e2[2];
          const pz = dx * e2[1] - dy * e2[0];
          const det = e1[0] * px + e1[1] * py + e1[2] * pz;
          if (Math.abs(det) < 1e-12) continue;
          const inv = 1 / det;
          const sx = -p0[0];
          const sy = -p0[1];
          const sz = -p0[2];
          const u = (sx * px + sy * py + sz * pz) * inv;
          if (u < -1e-5 || u > 1 + 1e-5) continue;
          const qx = sy * e1[2] - sz * e1[1];
          const qy = sz * e1[0] - sx * e1[2];
          const qz = sx * e1[1] - sy * e1[0];
          const v = (dx * qx + dy * qy + dz * qz) * inv;
          if (v < -1e-5 || u + v > 1 + 1e-5) continue;
          const tt = (e2[0] * qx + e2[1] * qy + e2[2] * qz) * inv;
          if (tt > radius[k]) {
            radius[k] = tt;
            face[k] = isFace;
          }
        }
      }
    }
  }
  for (let i = 0; i <= nTheta; i++) {
    radius[i * W + nPhi] = radius[i * W];
    face[i * W + nPhi] = face[i * W];
  }
  return { radius, face };
}

/** Separable box blur of a grid (phi wraps, theta clamps), `passes` times. */
function blurGrid(g: Float32Array, nTheta: number, nPhi: number, half: number, passes: number): Float32Array {
  const W = nPhi + 1;
  let cur = g;
  for (let p = 0; p < passes; p++) {
    const tmp = new Float32Array(cur.length);
    for (let i = 0; i <= nTheta; i++) {
      for (let j = 0; j < nPhi; j++) {
        let s = 0;
        for (let k = -half; k <= half; k++) s += cur[i * W + ((((j + k) % nPhi) + nPhi) % nPhi)];
        tmp[i * W + j] = s / (2 * half + 1);
      }
      tmp[i * W + nPhi] = tmp[i * W];
    }
    const out = new Float32Array(cur.length);
    for (let i = 0; i <= nTheta; i++) {
      for (let j = 0; j <= nPhi; j++) {
        let s = 0;
        for (let k = -half; k <= half; k++) s += tmp[Math.min(nTheta, Math.max(0, i + k)) * W + j];
        out[i * W + j] = s / (2 * half + 1);
      }
    }
    cur = out;
  }
  return cur;
}

export function fittedHeadShape(
  model: HeadModel,
  fitted: FittedHead,
  detected: Float32Array,
  regions: Uint8Array,
  nTheta: number,
  nPhi: number,
): FittedShape {
  const posed = pose(model, fitted);
  const { h, frame, cmPerPx } = posed;
  const earsCovered = earsUnderHair(posed, regions, model);
  const px = 1 / cmPerPx;
  // Chin in H (the narrow face's lowest midline point is the Multi-PIE chin, index 8).
  const chin = model.multiPie68[8];
  const chinY = h[chin * 3 + 1];
  const { radius: hit, face } = rayCast(
    model,
    h,
    nTheta,
    nPhi,
    chinY - NECK_CUT_BELOW_CHIN_CM * px,
    earsCovered,
    fitted.fit.landmarkSource === 'profile',
  );
  // The ellipsoid through the model's extents, for directions without a hit.
  const at = (theta: number, phi: number) => {
    const i = Math.round((theta / Math.PI) * nTheta);
    const j = Math.round(((phi + Math.PI) / (2 * Math.PI)) * nPhi);
    return hit[i * (nPhi + 1) + j];
  };
  const prior: CraniumPrior = {
    a: Math.max(at(Math.PI / 2, Math.PI / 2), at(Math.PI / 2, -Math.PI / 2)) || 8 * px,
    bTop: at(0, 0) || 10 * px,
    bBottom: Math.max(1, -chinY),
    cFront: at(Math.PI / 2, 0) || 11 * px,
    cBack: at(Math.PI / 2, Math.PI) || 10 * px,
  };
  const W = nPhi + 1;
  const radius = new Float32Array(hit.length);
  // Below the cut the head ends as a short straight neck (a cylinder continuing each meridian's
  // horizontal distance at the cut, closed NECK_STUB_CM lower): the torso stub carries the neck and
  // shoulders from there, and the model's shoulder tops would flare out under the jaw.
  const cutY = chinY - NECK_CUT_BELOW_CHIN_CM * px;
  const floorY = cutY - NECK_STUB_CM * px;
  for (let j = 0; j <= nPhi; j++) {
    let rho = -1;
    for (let i = 0; i <= nTheta; i++) {
      const theta = (Math.PI * i) / nTheta;
      const d = direction(theta, -Math.PI + (2 * Math.PI * (j % nPhi)) / nPhi);
      const k = i * W + j;
      const b = d[1] >= 0 ? prior.bTop : prior.bBottom;
      const c = d[2] >= 0 ? prior.cFront : prior.cBack;
      const rp = 1 / Math.sqrt((d[0] / prior.a) ** 2 + (d[1] / b) ** 2 + (d[2] / c) ** 2);
      const horiz = Math.hypot(d[0], d[2]);
      if (hit[k] > 0 && hit[k] * d[1] >= cutY) {
        radius[k] = hit[k];
        continue;
      }
      // A ray slipping between triangles above the cut (the crown's pole): the ellipsoid.
      if (rho < 0 && rp * d[1] >= cutY) {
        radius[k] = rp;
        continue;
      }
      // First row under the cut fixes the neck's horizontal distance on this meridian.
      if (rho < 0)
        rho =
          i > 0 && radius[(i - 1) * W + j] > 0
            ? radius[(i - 1) * W + j] * Math.sin((Math.PI * (i - 1)) / nTheta)
            : rp * horiz;
      const rCyl = horiz > 1e-6 ? rho / horiz : Infinity;
      const rFloor = d[1] < -1e-6 ? floorY / d[1] : Infinity;
      radius[k] = Math.min(rCyl, rFloor, 3 * rp);
    }
  }
  const faceWeight = blurGrid(face, nTheta, nPhi, 2, 2);
  // Landmarks: the model's where it has them (consistent with the geometry), the detection elsewhere.
  const landmarksH: Vec3[] = [];
  const lmOut = new Float32Array(478 * 3);
  const fromH = (p: Vec3): Vec3 => [
    frame.origin[0] + frame.xAxis[0] * p[0] + frame.yAxis[0] * p[1] + frame.zAxis[0] * p[2],
    frame.origin[1] + frame.xAxis[1] * p[0] + frame.yAxis[1] * p[1] + frame.zAxis[1] * p[2],
    frame.origin[2] + frame.xAxis[2] * p[0] + frame.yAxis[2] * p[1] + frame.zAxis[2] * p[2],
  ];
  const known: number[] = [];
  for (let i = 0; i < 478; i++) {
    const tri = model.landmarkTriangles[i];
    if (tri < 0) {
      landmarksH.push([0, 0, 0]);
      continue;
    }
    const p: Vec3 = [0, 0, 0];
    for (let c = 0; c < 3; c++) {
      const v = model.triangles[tri * 3 + c];
      const w = model.landmarkBarycentrics[i * 3 + c];
      for (let a = 0; a < 3; a++) p[a] += w * h[v * 3 + a];
    }
    landmarksH.push(p);
    known.push(i);
  }
  // A profile's synthetic landmarks are a 3-D template (profile.ts: z = -G.Z, its midline at the
  // head centre's depth): the points the model lacks (the face oval's) keep their depth; far-side ones
  // share their near-side partner's pixel, so the nearest-landmark depth would fold them onto it.
  const templateDepth = fitted.fit.landmarkSource === 'profile';
  for (let i = 0; i < 478; i++) {
    if (model.landmarkTriangles[i] >= 0) continue;
    const u = detected[i * 3];
    const v = detected[i * 3 + 1];
    if (templateDepth) {
      landmarksH[i] = toHead(frame, [u - CROP / 2, CROP / 2 - v, -detected[i * 3 + 2]]);
      continue;
    }
    // Detected pixel, depth of the nearest landmark the model has.
    let best = -1;
    let bd = Infinity;
    for (const k of known) {
      const d = Math.hypot(detected[k * 3] - u, detected[k * 3 + 1] - v);
      if (d < bd) {
        bd = d;
        best = k;
      }
    }
    const zG = best >= 0 ? fromH(landmarksH[best])[2] : frame.origin[2];
    landmarksH[i] = toHead(frame, [u - CROP / 2, CROP / 2 - v, zG]);
  }
  for (let i = 0; i < 478; i++) {
    const g = fromH(landmarksH[i]);
    lmOut[i * 3] = g[0] + CROP / 2;
    lmOut[i * 3 + 1] = CROP / 2 - g[1];
    lmOut[i * 3 + 2] = -g[2];
  }
  const faceWidth = Math.hypot(
    landmarksH[LM.leftCheekSide][0] - landmarksH[LM.rightCheekSide][0],
    landmarksH[LM.leftCheekSide][1] - landmarksH[LM.rightCheekSide][1],
    landmarksH[LM.leftCheekSide][2] - landmarksH[LM.rightCheekSide][2],
  );
  const shape: HeadShape = {
    frame,
    faceWidth,
    prior,
    face: null,
    landmarksH,
    nTheta,
    nPhi,
    radius,
    faceWeight,
  };
  return {
    shape,
    landmarks: lmOut,
    earsCovered,
    earMask: earPixelMask(posed, model, posed.cmPerPx),
    neckOffsetG: neckOffset(model, fitted, posed.cmPerPx, frame),
    earZ: earExtentZ(model, h),
  };
}

/** H z range [min, max] of the ear vertices (pixels); [0, 0] for a model without ears. */
function earExtentZ(model: HeadModel, h: Float64Array): [number, number] {
  let z0 = Infinity;
  let z1 = -Infinity;
  for (const v of earVertices(model)) {
    z0 = Math.min(z0, h[v * 3 + 2]);
    z1 = Math.max(z1, h[v * 3 + 2]);
  }
  return z0 <= z1 ? [z0, z1] : [0, 0];
}

/**
 * The neck base's horizontal offset from the head centre (see FittedShape.neckOffsetG): the middle of
 * the x and z extents of the neck skin vertices NECK_BASE_CM below the chin, in the model's own
 * (upright) frame with the identity's shape and no expression, cm -> px, turned by the yaw of the
 * model's forward axis in G. Zero when the model has no skin there.
 */
function neckOffset(model: HeadModel, fitted: FittedHead, cmPerPx: number, frame: HeadFrame): Vec3 {
  // The identity's neck without the expression: an open jaw lowers the chin, not the neck.
  const v = headModelVertices(model, fitted.alpha, new Float64Array(fitted.beta.length));
  const chinY = v[model.multiPie68[8] * 3 + 1];
  const yHi = chinY - NECK_BASE_CM[0];
  const yLo = chinY - NECK_BASE_CM[1];
  let z0 = Infinity;
  let z1 = -Infinity;
  for (const part of model.parts) {
    if (!NECK_PARTS.includes(part.name)) continue;
    for (let i = part.vertexStart; i < part.vertexEnd; i++) {
      const y = v[i * 3 + 1];
      if (y > yHi || y < yLo) continue;
      z0 = Math.min(z0, v[i * 3 + 2]);
      z1 = Math.max(z1, v[i * 3 + 2]);
    }
  }
  if (!(z0 <= z1)) return [0, 0, 0];
  // Distance (px) the neck base lies behind the head centre, along the head's forward axis in G
  // made horizontal (the yaw).
  const behind = (MODEL_CENTRE[2] - (z0 + z1) / 2) / cmPerPx;
  const [fx, , fz] = frame.zAxis;
  const n = Math.hypot(fx, fz);
  return n > 1e-6 ? [(-behind * fx) / n, 0, (-behind * fz) / n] : [0, 0, -behind];
}
