/**
 * What the portrait shows of the proxy's surface: per atlas texel (observe) and per mesh vertex
 * (vertexProjectionWeights, the renderer's projective texture), with one depth test and one notion of
 * trust:
 *   - visible in the input view (z-buffer of the proxy, 3x3 farthest depth), inside the matte, facing
 *     the camera (the weight fades with the facing angle);
 *   - a surface seen obliquely gets the portrait's colour but not its detail. At facing f one portrait
 *     pixel covers 1/f of the surface: the band between the eye's corner and the ear, a few pixels
 *     wide in a frontal portrait, is a third of the head seen from the side, and a glasses rim, an
 *     eye corner or an ear's edge stretched over it is a ghost face in every 3/4 view. Below
 *     DETAIL_FULL the detail (the portrait minus its blur) fades out, and the renderer takes the
 *     atlas there instead of the sharp portrait.
 */
import type { PreprocessResult } from '../../../shared/contracts/preprocess';
import { sampleBilinear } from '../../../shared/mesh/texture';
import { smoothstep } from '../../../shared/smoothstep';
import { smoothMeanWrapX } from './atlas-box';
import { gToWorld } from './image-frame';
import { CROP } from './landmarks';
import type { PortraitPlane } from './portrait-plane';
import { HEAD_ROWS, type HeadProxy } from './proxy';

/** Facing (cosine to the input camera) from which detail fades in, and where it is whole. */
const DETAIL_FROM = 0.3;
const DETAIL_FULL = 0.6;

/**
 * A profile sees the front of the face only at grazing angles: the eye's outer half, the lips' side
 * and the nose's flank, projected onto the fitted head where the portrait's line of sight meets it,
 * stood beside the features painted at the model's own eye and mouth (face-paint.ts) as a second,
 * smeared set (a double eye at each temple, lips at the cheeks). On a profile the head takes the
 * portrait only from this facing on, whole from PROFILE_FACING_FULL: the cheek, ear and hair are seen
 * well above it, the face's front is painted.
 */
export const PROFILE_FACING_FROM = 0.6;
export const PROFILE_FACING_FULL = 0.8;

/** Weight of a head surface a profile sees at `facing` (1 for surfaces it sees face-on). */
export function profileTrust(facing: number): number {
  return smoothstep(PROFILE_FACING_FROM, PROFILE_FACING_FULL, facing);
}

/**
 * RGB standard deviation (portrait-plane.ts spread) over which a surface seen obliquely loses its
 * observation, from SPREAD_FROM to none at SPREAD_TO. A cheek seen edge-on meets the portrait where
 * the cheek, the ear, the hair and the outline lie within a few pixels: the fitted head lands a few
 * pixels off, and the mixture it takes (a pale cheek-coloured band, the ear's rim) is stretched over a
 * third of the side of the head, a second face contour in every 3/4 view. Skin and hair themselves
 * vary far less (std 3-10) than their edges (25-60).
 */
const SPREAD_FROM = 12;
const SPREAD_TO = 30;

/**
 * 0..1: how far a surface facing the input camera by `facing` can trust the portrait where its colour
 * varies by `spread` (portrait-plane.ts): whole where the surface faces the camera (detailTrust 1),
 * fading out at edges as it turns away.
 */
export function edgeTrust(facing: number, spread: number): number {
  return 1 - (1 - detailTrust(facing)) * smoothstep(SPREAD_FROM, SPREAD_TO, spread);
}

/** 0..1: how much of the portrait's detail a surface facing the input camera by `facing` keeps. */
export function detailTrust(facing: number): number {
  return smoothstep(DETAIL_FROM, DETAIL_FULL, facing);
}

/** The proxy's z-buffer in the input camera over the portrait plane (portrait-plane.ts): [width * height], crop pixel (u, v) at (v * width + u + left). */
export interface PlaneDepth {
  depth: Float32Array;
  width: number;
  height: number;
  left: number;
}

/**
 * Farthest depth of the 3x3 pixels around crop pixel (pu, pv) of the proxy's input-view z-buffer: a
 * surface point is visible in the portrait when it is not behind that (plus a tolerance). At grazing
 * angles one pixel spans a wide depth range, and a single-pixel test flickers texel by texel.
 */
function farthestDepth3x3(d: PlaneDepth, pu: number, pv: number): number {
  const x = pu + d.left;
  let zMax = d.depth[pv * d.width + x];
  for (let dv = -1; dv <= 1; dv++) {
    for (let du = -1; du <= 1; du++) {
      const qx = x + du;
      const qv = pv + dv;
      if (qx < 0 || qv < 0 || qx >= d.width || qv >= d.height) continue;
      const z = d.depth[qv * d.width + qx];
      if (z !== Infinity && z > zMax) zMax = z;
    }
  }
  return zMax;
}

export interface Observation {
  /** Straight RGB 0..255 [N*3] and weight 0..1 [N] of the direct projection; region label [N]. */
  colour: Float32Array;
  weight: Float32Array;
  label: Uint8Array;
  /** Cosine between the surface normal and the input camera's direction [N]; 0 where not seen. */
  facing: Float32Array;
}

/** A fitted face turned more than this (degrees) from the input camera is a turned face (HeadProxy.turnedTo). */
export const TURNED_FACE_DEG = 15;
/** On a turned face, how much more directly (facing cosine) a mirror partner must be seen to take a surface point's colour. */
const MIRROR_LEAD_FROM = 0.05;
const MIRROR_LEAD_TO = 0.2;

/**
 * How much of a head point's own observation gives way to its left-right mirror partner's: on a turned
 * fitted face (proxy.turnedTo), a point the portrait sees far more obliquely than its partner (the far
 * eye and the nose's far side, in the nose's shadow and foreshortened) takes the partner's colour;
 * painted where the fitted surface puts it, the far eye was a dark smear beside the face in every
 * front view. 0 on frontal faces, without the head model and for equal views.
 */
export function mirrorLead(proxy: HeadProxy, own: number, partner: number): number {
  if (proxy.turnedTo === 0) return 0;
  return smoothstep(MIRROR_LEAD_FROM, MIRROR_LEAD_TO, partner - own);
}

/**
 * Angular half-widths (radians of azimuth, of polar angle) of the box that broadens the facing the
 * mirror decision compares (three passes). Which side sees better is the side's, not the texel's: a
 * small fold the fitted surface turns away from the camera (the near eye's inner corner, beside the
 * cornea's bulge) read as seen worse than its partner, took the far eye's dark inner corner, which the
 * nose half hides, and both eyes of every front view had a dark comma across the iris.
 */
const BROAD_FACING_AZIMUTH = 0.08;
const BROAD_FACING_POLAR = 0.04;

/**
 * The facing [W * rows] (0 where unseen) averaged over a few degrees round each texel of a grid whose
 * columns wrap round the head (`W` columns over 2 pi) and whose rows span the polar angle `polarSpan`.
 */
export function broadFacing(facing: Float32Array, W: number, rows: number, polarSpan: number): Float32Array {
  const rx = Math.max(1, Math.round((BROAD_FACING_AZIMUTH / (2 * Math.PI)) * W));
  const ry = Math.max(1, Math.round((BROAD_FACING_POLAR / polarSpan) * rows));
  const f3 = new Float32Array(W * rows * 3);
  for (let i = 0; i < W * rows; i++) f3[i * 3] = facing[i];
  const m = smoothMeanWrapX(f3, W, rows, rx, ry);
  return Float32Array.from({ length: W * rows }, (_, i) => m[i * 3]);
}

/** `profileHead`: the samples are a profile's head (profileTrust caps their weight). */
export function observe(
  plane: PortraitPlane,
  proxy: HeadProxy,
  pos: Float32Array,
  nrm: Float32Array,
  depth: PlaneDepth,
  profileHead = false,
): Observation {
  const n = pos.length / 3;
  const colour = new Float32Array(n * 3);
  const weight = new Float32Array(n);
  const label = new Uint8Array(n);
  const seen = new Float32Array(n);
  const frame = proxy.imageFrame;
  const m = frame.camera.worldToCamera;
  const tol = 0.04 * proxy.breadthWorld;
  const w = new Float64Array(3);
  const s = new Float32Array(4);
  const sb = new Float32Array(4);
  const { matte, image, colourOnly, regions, spread, width, height, left } = plane;
  for (let i = 0; i < n; i++) {
    const facing = nrm[i * 3 + 2];
    if (facing <= 0.2) continue;
    const X = pos[i * 3];
    const Y = pos[i * 3 + 1];
    const u = X + CROP / 2;
    const v = CROP / 2 - Y;
    if (u < -left || v < 0 || u >= width - left || v >= height) continue;
    gToWorld(frame, X, Y, pos[i * 3 + 2], w, 0);
    const zc = m[8] * w[0] + m[9] * w[1] + m[10] * w[2] + m[11];
    const pu = Math.floor(u);
    const pv = Math.floor(v);
    const p = pv * width + pu + left;
    if (zc > farthestDepth3x3(depth, pu, pv) + tol) continue;
    sampleBilinear(image, (u + left) / width, v / height, false, s);
    sampleBilinear(colourOnly, (u + left) / width, v / height, false, sb);
    const detail = detailTrust(facing);
    const a = matte[p];
    label[i] = regions[p];
    weight[i] =
      (profileHead ? profileTrust(facing) : smoothstep(0.2, 0.5, facing)) * edgeTrust(facing, spread[p]) * a * a;
    seen[i] = facing;
    for (let c = 0; c < 3; c++) colour[i * 3 + c] = sb[c] + (s[c] - sb[c]) * detail;
  }
  return { colour, weight, label, facing: seen };
}

/**
 * Per mesh vertex [V]: the projective-texture weight (visible in the portrait, facing it, inside the
 * matte), using area-weighted vertex normals and the same depth test as the atlas.
 */
export function vertexProjectionWeights(
  pre: PreprocessResult,
  proxy: HeadProxy,
  depth: PlaneDepth,
): { weight: Float32Array; visible: Float32Array } {
  const { positions, indices } = proxy.mesh;
  const nv = positions.length / 3;
  const nrm = new Float32Array(nv * 3);
  for (let t = 0; t < indices.length; t += 3) {
    const a = indices[t] * 3,
      b = indices[t + 1] * 3,
      c = indices[t + 2] * 3;
    const e1 = [
      positions[b] - positions[a],
      positions[b + 1] - positions[a + 1],
      positions[b + 2] - positions[a + 2],
    ];
    const e2 = [
      positions[c] - positions[a],
      positions[c + 1] - positions[a + 1],
      positions[c + 2] - positions[a + 2],
    ];
    const n = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
    for (const v of [a, b, c]) for (let k = 0; k < 3; k++) nrm[v + k] += n[k];
  }
  const cam = proxy.imageFrame.camera;
  const m = cam.worldToCamera;
  const tol = 0.04 * proxy.breadthWorld;
  // Head vertices come first (proxy.ts); a profile's head trusts only what it sees well (profileTrust
  // is nowhere above detailTrust).
  const headVertices = proxy.headVertexCount;
  const headTrust = proxy.faceSource === 'profile' ? profileTrust : detailTrust;
  const out = new Float32Array(nv);
  const visible = new Float32Array(nv);
  const facing = new Float32Array(nv);
  for (let i = 0; i < nv; i++) {
    const x = positions[i * 3],
      y = positions[i * 3 + 1],
      z = positions[i * 3 + 2];
    const cx = m[0] * x + m[1] * y + m[2] * z + m[3];
    const cy = m[4] * x + m[5] * y + m[6] * z + m[7];
    const cz = m[8] * x + m[9] * y + m[10] * z + m[11];
    // Normal in camera axes; facing = -n . (point direction) (the camera looks along +z).
    const nx = m[0] * nrm[i * 3] + m[1] * nrm[i * 3 + 1] + m[2] * nrm[i * 3 + 2];
    const ny = m[4] * nrm[i * 3] + m[5] * nrm[i * 3 + 1] + m[6] * nrm[i * 3 + 2];
    const nz = m[8] * nrm[i * 3] + m[9] * nrm[i * 3 + 1] + m[10] * nrm[i * 3 + 2];
    const nl = Math.hypot(nx, ny, nz) * Math.hypot(cx, cy, cz);
    if (nl === 0) continue;
    const f = Math.abs(-(nx * cx + ny * cy + nz * cz) / nl); // winding-agnostic
    const u = cam.fx * (cx / cz) + cam.cx;
    const v = cam.fy * (cy / cz) + cam.cy;
    if (u < 0 || v < 0 || u >= CROP || v >= CROP) continue;
    const pu = Math.floor(u);
    const pv = Math.floor(v);
    if (cz > farthestDepth3x3(depth, pu, pv) + tol) continue;
    // Only surfaces facing the camera: a back-facing surface has its outward normal pointing away,
    // which |.| hides, so also require the vertex to be the visible layer (depth test above).
    const a = pre.matte512.data[pv * CROP + pu];
    // Far views take the sharp portrait only where it is not stretched (detailTrust); the atlas,
    // which holds the colour there, does the rest.
    out[i] = (i < headVertices ? headTrust(f) : detailTrust(f)) * a * a;
    visible[i] = a * a;
    facing[i] = f;
  }
  // Head vertices are the radial grid (proxy.ts): vertex i * (nPhi + 1) + j, whose left-right mirror
  // (phi -> -phi) is column nPhi - j. Where the partner is seen far better, the atlas holds the
  // partner's colour (appearance.ts) and the portrait must not be projected over it.
  const { nTheta, nPhi } = proxy.shape;
  const W = nPhi + 1;
  if (proxy.turnedTo !== 0) {
    // The grid's last column repeats its first; broadened over nPhi columns, the repeat copied back.
    const grid = new Float32Array(nPhi * (nTheta + 1));
    for (let i = 0; i <= nTheta; i++) for (let j = 0; j < nPhi; j++) grid[i * nPhi + j] = facing[i * W + j];
    const broad = broadFacing(grid, nPhi, nTheta + 1, Math.PI);
    const at = (i: number, j: number) => broad[i * nPhi + (j % nPhi)];
    const midline = proxy.mirrorAxis;
    for (let i = 0; i <= nTheta; i++) {
      // Grid row i is at theta = pi i / nTheta: atlas row theta / pi * HEAD_ROWS - 0.5.
      const axis = midline ? midline[Math.min(HEAD_ROWS - 1, Math.max(0, Math.round((i / nTheta) * HEAD_ROWS - 0.5)))] : 0;
      // Column j is at phi = -pi + 2 pi j / nPhi; its partner at 2 axis - phi.
      const shift = Math.round((axis / Math.PI) * nPhi);
      for (let j = 0; j <= nPhi; j++) {
        const k = i * W + j;
        const pj = (((nPhi - j + shift) % nPhi) + nPhi) % nPhi;
        if (visible[i * W + pj] > 0) out[k] *= 1 - mirrorLead(proxy, at(i, j), at(i, pj));
      }
    }
  }
  return { weight: out, visible };
}
