/**
 * The head proxy: the radial head (head-model.ts) and the neck/shoulder stub (torso.ts) as one
 * textured triangle mesh in world coordinates, plus what the appearance pass needs to find each
 * texel's surface point again.
 *
 * Texture atlas (ATLAS_WIDTH x ATLAS_HEIGHT RGBA):
 *   rows [0, HEAD_ROWS): the head, equirectangular: texel (x, y) <-> phi = -pi + 2 pi (x + 0.5) / W,
 *                        theta = pi (y + 0.5) / HEAD_ROWS (phi wraps at the back of the head);
 *   rows [HEAD_ROWS, ATLAS_HEIGHT): the torso: x <-> psi = -pi + 2 pi (x + 0.5) / W around the section
 *                        (0 = front), y <-> fractional section index (y - HEAD_ROWS + 0.5) / TORSO_ROWS * (n - 1).
 */
import type { RgbaImage } from '../../../shared/image';
import type { TriMesh } from '../../../shared/mesh/types';
import { direction, type HeadShape } from './head-model';
import { gToWorld, type ImageFrame } from './image-frame';
import { fromHead } from './landmarks';
import type { TorsoStub } from './torso';

export const ATLAS_WIDTH = 1024;
export const HEAD_ROWS = 512;
export const TORSO_ROWS = 256;
export const ATLAS_HEIGHT = HEAD_ROWS + TORSO_ROWS;
/** Angular resolution of the torso sections. */
export const TORSO_SEGMENTS = 96;

/** The angle (radians) of atlas column x's centre: phi round the head, psi round a torso section (layout above). */
export function atlasAngle(x: number, width = ATLAS_WIDTH): number {
  return -Math.PI + (2 * Math.PI * (x + 0.5)) / width;
}

/** The fractional torso section at torso atlas row `row` (0 .. rows - 1, counted from the torso's first row) of a stub with `sections` sections (layout above). */
export function torsoRowSection(row: number, sections: number, rows = TORSO_ROWS): number {
  return ((row + 0.5) / rows) * (sections - 1);
}

/** The atlas column holding angle a (radians, -pi .. pi), clamped to the atlas: atlasAngle's inverse. */
export function atlasColumn(a: number, width = ATLAS_WIDTH): number {
  return Math.min(width - 1, Math.max(0, Math.floor(((a + Math.PI) / (2 * Math.PI)) * width)));
}

/**
 * The column of the mirror image of column x's angle across the plane at angle `axis` (radians): the
 * body's left-right mirror. The head's atlas angle is measured from its own face (axis 0: phi -> -phi);
 * the torso's from the input camera, so a body seen side-on (a profile) mirrors across the plane
 * at a right angle to it (axis pi / 2: psi -> pi - psi), and psi -> -psi would swap its front and back.
 */
export function mirrorColumn(x: number, width = ATLAS_WIDTH, axis = 0): number {
  let a = 2 * axis - atlasAngle(x, width);
  a -= 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
  return atlasColumn(a, width);
}

export interface HeadProxy {
  /** World-space mesh (head grid first, then the torso), UVs into `texture`. */
  mesh: TriMesh;
  /** Completed colour atlas (layout above), alpha 255 everywhere. */
  texture: RgbaImage;
  shape: HeadShape;
  torso: TorsoStub | null;
  imageFrame: ImageFrame;
  /** Number of head vertices/triangles at the start of the mesh arrays. */
  headVertexCount: number;
  headTriangleCount: number;
  /** Head breadth in world units (the proxy's size, for tolerances). */
  breadthWorld: number;
  /**
   * Projective texture: the portrait (512 crop) and, per mesh vertex [V], how much of the surface's
   * colour comes straight from it (visible and facing in the input view, 0..1). Rendering samples the
   * portrait at full resolution there, so the front view reproduces it; elsewhere the atlas.
   */
  portrait: RgbaImage;
  projectionWeight: Float32Array;
  /**
   * Per mesh vertex [V]: visible in the portrait and inside its matte (0..1), whatever the facing.
   * Cameras close to the input camera use this instead, so views near the input reproduce it exactly
   * (grazing surfaces included) while far views never show stretched grazing texels.
   */
  inputVisibility: Float32Array;
  /**
   * Where the face geometry came from: the detected landmarks (frontal or turned), a canonical face
   * fitted to a profile outline (generic, features painted), or nothing (silhouette-only head).
   */
  faceSource: 'landmarks' | 'profile' | 'none';
  /**
   * Which way a fitted head model's face turns from the input camera in the image (+1 right, -1 left)
   * when it turns more than TURNED_FACE_DEG, else 0 (frontal faces, and heads without the model, whose
   * landmark yaw is too rough: a 7-degree face read as 22). Decides the outline's far side (build.ts)
   * and where the mirror partner's colour wins (observe.ts mirrorLead).
   */
  turnedTo: -1 | 0 | 1;
  /**
   * Per head atlas row [HEAD_ROWS], the azimuth (radians) the head's colours are mirrored about: the
   * portrait's face midline on the head (texture-midline.ts), set with the texture; null: phi = 0.
   */
  mirrorAxis: Float32Array | null;
}

/** G-frame point of a head direction at the shape's radius. */
export function headPointG(shape: HeadShape, theta: number, phi: number, r: number): [number, number, number] {
  const d = direction(theta, phi);
  return fromHead(shape.frame, [d[0] * r, d[1] * r, d[2] * r]);
}

function torsoSection(t: TorsoStub, k: number): { kc: number; cx: number; hw: number; hd: number; zc: number; dy: number } {
  const n = t.centreX.length;
  const kc = Math.min(n - 1, Math.max(0, k));
  const k0 = Math.min(n - 2, Math.floor(kc));
  const f = kc - k0;
  const lerp = (a: Float32Array) => a[k0] * (1 - f) + a[k0 + 1] * f;
  const back = lerp(t.back);
  return {
    kc,
    cx: lerp(t.centreX),
    hw: lerp(t.halfWidth),
    hd: lerp(t.halfDepth),
    zc: t.zCentre - kc * t.rowStep * t.zSlope + lerp(t.zShift) - back * Math.cos(t.tilt),
    dy: back * Math.sin(t.tilt),
  };
}

/** G-frame centre of the torso section at index k (fractional). */
export function torsoAxisG(t: TorsoStub, k: number): [number, number, number] {
  const s = torsoSection(t, k);
  return [s.cx, t.yTop - s.kc * t.rowStep + s.dy, s.zc];
}

/**
 * G-frame point of the torso at section index k (fractional) and angle psi: across the body (psi =
 * pi / 2) along (cos yaw, 0, -sin yaw), its front (psi = 0) along (sin yaw, 0, cos yaw).
 */
export function torsoPointG(t: TorsoStub, k: number, psi: number): [number, number, number] {
  const s = torsoSection(t, k);
  const across = s.hw * Math.sin(psi);
  const front = s.hd * Math.cos(psi);
  const cy = Math.cos(t.yaw);
  const sy = Math.sin(t.yaw);
  // The section's plane is horizontal in the world: its front-back direction (and the part of its
  // across direction a turned body gives it) leans by the tilt in G.
  const ct = Math.cos(t.tilt);
  const st = Math.sin(t.tilt);
  const along = front * cy - across * sy;
  return [s.cx + across * cy + front * sy, t.yTop - s.kc * t.rowStep + s.dy - along * st, s.zc + along * ct];
}

export function buildProxyMesh(shape: HeadShape, torso: TorsoStub | null, frame: ImageFrame): { mesh: TriMesh; headVertexCount: number; headTriangleCount: number } {
  const { nTheta, nPhi } = shape;
  const W = nPhi + 1;
  const headV = (nTheta + 1) * W;
  const nSec = torso ? torso.centreX.length : 0;
  const TW = TORSO_SEGMENTS + 1;
  const torsoV = nSec * TW;
  const positions = new Float32Array((headV + torsoV) * 3);
  const uvs = new Float32Array((headV + torsoV) * 2);
  const idx: number[] = [];
  for (let i = 0; i <= nTheta; i++) {
    const theta = (Math.PI * i) / nTheta;
    for (let j = 0; j <= nPhi; j++) {
      const k = i * W + j;
      const g = headPointG(shape, theta, -Math.PI + (2 * Math.PI * j) / nPhi, shape.radius[k]);
      gToWorld(frame, g[0], g[1], g[2], positions, k * 3);
      uvs[k * 2] = j / nPhi;
      uvs[k * 2 + 1] = ((i / nTheta) * HEAD_ROWS) / ATLAS_HEIGHT;
    }
  }
  for (let i = 0; i < nTheta; i++) {
    for (let j = 0; j < nPhi; j++) {
      const a = i * W + j;
      idx.push(a, a + W, a + 1, a + 1, a + W, a + W + 1);
    }
  }
  const headTriangleCount = idx.length / 3;
  if (torso) {
    for (let k = 0; k < nSec; k++) {
      for (let j = 0; j <= TORSO_SEGMENTS; j++) {
        const vi = headV + k * TW + j;
        const g = torsoPointG(torso, k, -Math.PI + (2 * Math.PI * j) / TORSO_SEGMENTS);
        gToWorld(frame, g[0], g[1], g[2], positions, vi * 3);
        uvs[vi * 2] = j / TORSO_SEGMENTS;
        uvs[vi * 2 + 1] = (HEAD_ROWS + (k / Math.max(1, nSec - 1)) * TORSO_ROWS) / ATLAS_HEIGHT;
      }
    }
    for (let k = 0; k < nSec - 1; k++) {
      for (let j = 0; j < TORSO_SEGMENTS; j++) {
        const a = headV + k * TW + j;
        idx.push(a, a + TW, a + 1, a + 1, a + TW, a + TW + 1);
      }
    }
  }
  return { mesh: { positions, uvs, indices: Uint32Array.from(idx) }, headVertexCount: headV, headTriangleCount };
}
