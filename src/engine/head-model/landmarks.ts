/**
 * Correspondences between the 478 MediaPipe face-mesh landmarks and the head model's surface, computed
 * at import time so that nothing derived from the kit is committed (DESIGN.md 3.2):
 *  1. render the mean head (skin, eyeballs with an iris and pupil painted from the geometry, eyelashes,
 *     mouth socket) with Lambert shading from a few yaw/pitch angles (./render.ts);
 *  2. run the project's own landmark detector (src/engine/face) on each render, averaged with the
 *     render's mirror image (../face/mirror-averaged.ts) like the portraits' landmarks the model is fitted to;
 *  3. trace each landmark's pixel to the surface under it (camera ray against the visible triangle's
 *     plane, eyelashes excluded), then snap that point onto the part the landmark belongs to (skin for
 *     the 468 mesh points, the eyeball for the 10 iris points);
 *  4. keep the views whose point lies within `maxSpreadCm` of the views' median, average those in 3D;
 *  5. make the pairs left-right symmetric (./landmark-symmetry.ts): the renders are lit from one side and
 *     the detector's points drift with the light, which put a raised right brow into every fitted face;
 *  6. snap each point back onto the surface; drop (triangle -1, status says why) the landmarks on
 *     which fewer than `minViews` views agree (unstable), the face-oval points (contour: they slide
 *     over the surface with pose; use a silhouette term), and those not found at all.
 */
import { FACE_OVAL } from '../multiview/weightfree/landmarks';
import { cameraCenter, cameraLookAt, type RasterCamera, type Vec3 } from '../../shared/camera';
import type { RgbaImage } from '../../shared/image';
import { rasterizeTriangles } from '../../shared/mesh/rasterize';
import { MirrorAveragedLandmarker } from '../face/mirror-averaged';
import type { FaceLandmarker } from '../face/types';
import { LANDMARK_STATUS, type HeadModelData } from './asset';
import { symmetrizeLandmarkPoints } from './landmark-symmetry';
import { renderHead } from './render';
import { closestOnSurface } from './surface';
import { expressionIndex, headModelVertices } from './vertices';
import { FACE_MESH_LANDMARKS } from './types';

/**
 * MediaPipe FACEMESH_FACE_OVAL (the face-mesh topology's own outline, not kit data): jaw, cheeks' sides
 * and forehead line. On a bald render the forehead line sits wherever the detector guesses the hairline.
 */
export const FACE_MESH_OVAL: readonly number[] = FACE_OVAL;

/** The first iris landmark (468..477 are the two irises: centre + 4 rim points each). */
export const FIRST_IRIS_LANDMARK = 468;

export interface LandmarkView {
  yawDeg: number;
  pitchDeg: number;
}

/** Frontal, +-12 and +-24 degrees of yaw, +-10 degrees of pitch. */
export const DEFAULT_LANDMARK_VIEWS: readonly LandmarkView[] = [
  { yawDeg: 0, pitchDeg: 0 },
  { yawDeg: 12, pitchDeg: 0 },
  { yawDeg: -12, pitchDeg: 0 },
  { yawDeg: 24, pitchDeg: 0 },
  { yawDeg: -24, pitchDeg: 0 },
  { yawDeg: 0, pitchDeg: 10 },
  { yawDeg: 0, pitchDeg: -10 },
];

export interface LandmarkOptions {
  log?: (line: string) => void;
  /** Defaults to the project's face landmarker (getFaceModels()). */
  landmarker?: FaceLandmarker;
  views?: readonly LandmarkView[];
  /** Render size (px, square); default 512. */
  size?: number;
  /** A view agrees on a landmark when its point is within this distance (cm) of the views' median; default 0.5. */
  maxSpreadCm?: number;
  /** A landmark is reliable when at least this many views agree; default 4 (of 7). */
  minViews?: number;
  /** Called with each view's render and detected landmarks (debug sheets). */
  onView?: (view: LandmarkView, image: RgbaImage, landmarks: Float32Array | null) => void;
}

export interface LandmarkCorrespondences {
  triangles: Int32Array;
  barycentrics: Float32Array;
  status: Uint8Array;
  /** Per-landmark spread (cm): largest distance of an agreeing view's point from their mean; NaN when not found. */
  spreadCm: Float32Array;
  summary: Record<string, unknown>;
}

function part(data: HeadModelData, name: string) {
  const p = data.parts.find((q) => q.name === name);
  if (!p) throw new Error(`head model has no part "${name}"`);
  return p;
}

function triangleRange(data: HeadModelData, names: string[]): Uint32Array {
  const out: number[] = [];
  for (const n of names) {
    const p = part(data, n);
    for (let t = p.triangleStart; t < p.triangleEnd; t++) out.push(t);
  }
  return Uint32Array.from(out);
}

const SKIN: [number, number, number] = [0.86, 0.64, 0.53];
const SCLERA: [number, number, number] = [0.93, 0.91, 0.89];
const IRIS: [number, number, number] = [0.33, 0.22, 0.14];
const PUPIL: [number, number, number] = [0.04, 0.03, 0.03];
const LASH: [number, number, number] = [0.12, 0.09, 0.08];
const MOUTH: [number, number, number] = [0.07, 0.03, 0.03];
/** Anatomical averages (visible iris diameter ~11.7 mm), not kit data. */
const IRIS_RADIUS_CM = 0.58;
const PUPIL_RADIUS_CM = 0.22;

/**
 * Per-vertex albedo: skin; eyeballs white with an iris and pupil painted round their front-most point
 * (the kit's sclera mesh is a closed shell over its iris, like a cornea, so the iris is painted onto
 * it); dark lashes and mouth socket.
 */
export function landmarkRenderAlbedo(data: HeadModelData): Float32Array {
  const P = data.neutral;
  const albedo = new Float32Array(data.vertexCount * 3);
  const fill = (name: string, c: [number, number, number]) => {
    const p = part(data, name);
    for (let v = p.vertexStart; v < p.vertexEnd; v++) albedo.set(c, v * 3);
  };
  for (const n of ['face', 'headNeck', 'eyeSocketL', 'eyeSocketR']) fill(n, SKIN);
  for (const n of ['mouthSocket', 'gumsTongue']) fill(n, MOUTH);
  for (const n of ['eyelashesL', 'eyelashesR']) fill(n, LASH);
  // The neutral eyes look along +z: the iris is the disc round each eyeball's front-most point.
  for (const side of ['L', 'R']) {
    const eye = part(data, `eyeball${side}`);
    let apex = eye.vertexStart;
    for (let v = eye.vertexStart; v < eye.vertexEnd; v++) if (P[v * 3 + 2] > P[apex * 3 + 2]) apex = v;
    for (let v = eye.vertexStart; v < eye.vertexEnd; v++) {
      const r = Math.hypot(P[v * 3] - P[apex * 3], P[v * 3 + 1] - P[apex * 3 + 1]);
      const front = P[v * 3 + 2] > P[apex * 3 + 2] - 0.6;
      albedo.set(front && r < PUPIL_RADIUS_CM ? PUPIL : front && r < IRIS_RADIUS_CM ? IRIS : SCLERA, v * 3);
    }
  }
  return albedo;
}

/** Camera `distanceCm` from a point in front of the face, turned by yaw (towards +x) and pitch (up). */
export function landmarkViewCamera(view: LandmarkView, size: number): RasterCamera {
  const target: Vec3 = [0, 0, 5];
  const d = 70;
  const a = (view.yawDeg * Math.PI) / 180;
  const e = (view.pitchDeg * Math.PI) / 180;
  const eye: Vec3 = [
    target[0] + d * Math.cos(e) * Math.sin(a),
    target[1] + d * Math.sin(e),
    target[2] + d * Math.cos(e) * Math.cos(a),
  ];
  return cameraLookAt(eye, target, size, size, 26, 1, 1000);
}

/** World ray through pixel (x, y) of `cam`: origin and unit direction. */
function pixelRay(cam: RasterCamera, x: number, y: number): { o: Vec3; d: Vec3 } {
  const m = cam.worldToCamera;
  const dc: Vec3 = [(x - cam.cx) / cam.fx, (y - cam.cy) / cam.fy, 1];
  const d: Vec3 = [
    m[0] * dc[0] + m[4] * dc[1] + m[8] * dc[2],
    m[1] * dc[0] + m[5] * dc[1] + m[9] * dc[2],
    m[2] * dc[0] + m[6] * dc[1] + m[10] * dc[2],
  ];
  const l = Math.hypot(...d);
  return { o: cameraCenter(cam), d: [d[0] / l, d[1] / l, d[2] / l] };
}

/** Ray against the plane of triangle t. */
function rayPlane(P: Float32Array, T: Uint32Array, t: number, o: Vec3, d: Vec3): Vec3 | null {
  const a = T[t * 3] * 3,
    b = T[t * 3 + 1] * 3,
    c = T[t * 3 + 2] * 3;
  const e1: Vec3 = [P[b] - P[a], P[b + 1] - P[a + 1], P[b + 2] - P[a + 2]];
  const e2: Vec3 = [P[c] - P[a], P[c + 1] - P[a + 1], P[c + 2] - P[a + 2]];
  const n: Vec3 = [
    e1[1] * e2[2] - e1[2] * e2[1],
    e1[2] * e2[0] - e1[0] * e2[2],
    e1[0] * e2[1] - e1[1] * e2[0],
  ];
  const den = n[0] * d[0] + n[1] * d[1] + n[2] * d[2];
  if (Math.abs(den) < 1e-12) return null;
  const s = (n[0] * (P[a] - o[0]) + n[1] * (P[a + 1] - o[1]) + n[2] * (P[a + 2] - o[2])) / den;
  return [o[0] + s * d[0], o[1] + s * d[1], o[2] + s * d[2]];
}

/** The x of the head's left-right mirror plane: the mean x of the skin's vertices (0 for the ICT kit). */
function headMidplaneX(data: HeadModelData): number {
  const p = part(data, 'face');
  let sx = 0;
  for (let v = p.vertexStart; v < p.vertexEnd; v++) sx += data.neutral[v * 3];
  return sx / Math.max(1, p.vertexEnd - p.vertexStart);
}

/**
 * The face mesh's inner-lip rows without the mouth corners (78, 308), MediaPipe topology: the upper
 * lip's inner edge, then the lower's.
 */
export const INNER_LIP_UPPER: readonly number[] = [191, 80, 81, 82, 13, 312, 311, 310, 415];
export const INNER_LIP_LOWER: readonly number[] = [95, 88, 178, 87, 14, 317, 402, 318, 324];

/**
 * How far the mouth is opened (the kit's jawOpen weight) for reading the inner lips: about 1 cm between
 * the lips. The mean head's lips touch, so on a closed-mouth render the detector puts both inner rows on
 * the contact line and both snap onto the upper lip: jawOpen then moved landmark 14 (the lower lip's
 * inner edge) by 0.25 cm where the lower lip moves 3.5, and an open-mouthed portrait could only be
 * explained by pucker and funnel shapes.
 */
export const INNER_LIP_JAW_OPEN = 0.3;

/** The neutral head with jawOpen at `weight` (positions [V*3], cm); throws when the kit has no jawOpen. */
export function openMouthPositions(data: HeadModelData, weight: number): Float32Array {
  const e = expressionIndex(data, 'jawOpen');
  if (e < 0) throw new Error('head model has no jawOpen expression to read the inner lips with');
  const coeffs = new Float32Array(data.expressionNames.length);
  coeffs[e] = weight;
  return headModelVertices(data, null, coeffs);
}

/**
 * Correspondences read on the mean head, the inner lips on the same head with its mouth open
 * (INNER_LIP_JAW_OPEN): a triangle and barycentrics name the same skin whatever the expression, so the
 * open pass's rows replace the closed pass's.
 */
export async function computeLandmarkCorrespondences(
  data: HeadModelData,
  opts: LandmarkOptions = {},
): Promise<LandmarkCorrespondences> {
  const closed = await readCorrespondences(data, data.neutral, opts);
  opts.log?.(`  the inner lips, on the mean head with jawOpen ${INNER_LIP_JAW_OPEN}:`);
  const open = await readCorrespondences(data, openMouthPositions(data, INNER_LIP_JAW_OPEN), opts);
  for (const i of [...INNER_LIP_UPPER, ...INNER_LIP_LOWER]) {
    closed.triangles[i] = open.triangles[i];
    closed.barycentrics.set(open.barycentrics.subarray(i * 3, i * 3 + 3), i * 3);
    closed.status[i] = open.status[i];
    closed.spreadCm[i] = open.spreadCm[i];
  }
  const innerOk = [...INNER_LIP_UPPER, ...INNER_LIP_LOWER].filter(
    (i) => closed.status[i] === LANDMARK_STATUS.ok,
  );
  closed.summary = {
    ...closed.summary,
    ...statusCounts(closed.status),
    innerLipsFromOpenMouth: { jawOpen: INNER_LIP_JAW_OPEN, reliable: innerOk.length },
  };
  return closed;
}

const SKIN_PART = 1;
const EYE_PART = 2;
/** The mouth socket: a hole, no landmark's surface. */
const HOLE_PART = 0;
/**
 * How far (render pixels at 512) a landmark seen through the open mouth is moved onto the skin. The
 * inner lips of an open mouth are detected on the lips' edges and some fall on the socket behind; the
 * closest skin in 3-D to a point deep in the mouth can be anywhere (up to 9 cm apart between views).
 * Landmarks on an eyeball or skin keep the closest point of their part in 3-D (a lid's point seen on
 * the eyeball is the lid's margin).
 */
const HOLE_SEARCH_PX = 6;

/** The visible pixel of `part` nearest (hx, hy) within `radius` pixels, with its triangle (index into solid). */
function nearestPixelOfPart(
  vis: { width: number; height: number; triangle: Int32Array },
  solidPart: Uint8Array,
  part: number,
  hx: number,
  hy: number,
  radius: number,
): { x: number; y: number; triangle: number } | null {
  const r = Math.ceil(radius);
  let best: { x: number; y: number; triangle: number } | null = null;
  let bestD = Infinity;
  for (let dy = -r; dy <= r; dy++)
    for (let dx = -r; dx <= r; dx++) {
      const d = dx * dx + dy * dy;
      if (d > radius * radius || d >= bestD) continue;
      const x = hx + dx,
        y = hy + dy;
      if (x < 0 || y < 0 || x >= vis.width || y >= vis.height) continue;
      const t = vis.triangle[y * vis.width + x];
      if (t < 0 || solidPart[t] !== part) continue;
      best = { x, y, triangle: t };
      bestD = d;
    }
  return best;
}

function statusCounts(status: Uint8Array) {
  const count = (st: number) => status.reduce((acc, s) => acc + (s === st ? 1 : 0), 0);
  return {
    ok: count(LANDMARK_STATUS.ok),
    contour: count(LANDMARK_STATUS.contour),
    unstable: count(LANDMARK_STATUS.unstable),
    undetected: count(LANDMARK_STATUS.undetected),
  };
}

/** One reading of every landmark on the head posed at `P` ([V*3], cm; same topology as the kit). */
async function readCorrespondences(
  data: HeadModelData,
  P: Float32Array,
  opts: LandmarkOptions,
): Promise<LandmarkCorrespondences> {
  const size = opts.size ?? 512;
  const views = opts.views ?? DEFAULT_LANDMARK_VIEWS;
  const maxSpread = opts.maxSpreadCm ?? 0.5;
  const minViews = opts.minViews ?? 4;
  // Mirror-averaged, like the landmarks the model is fitted to (preprocess: FaceAnalysis.fitLandmarks).
  const landmarker = new MirrorAveragedLandmarker(
    opts.landmarker ?? (await (await import('../face')).getFaceModels()).landmarker,
  );
  const T = data.triangles;
  const albedo = landmarkRenderAlbedo(data);
  const drawn = triangleRange(data, [
    'face',
    'headNeck',
    'mouthSocket',
    'eyeballL',
    'eyeballR',
    'eyelashesL',
    'eyelashesR',
  ]);
  // What a landmark's ray may hit: no eyelashes (thin strips in front of the lid margin).
  const solid = triangleRange(data, ['face', 'headNeck', 'mouthSocket', 'eyeballL', 'eyeballR']);
  const solidIdx = new Uint32Array(solid.length * 3);
  for (let i = 0; i < solid.length; i++)
    for (let k = 0; k < 3; k++) solidIdx[i * 3 + k] = T[solid[i] * 3 + k];
  const skin = triangleRange(data, ['face', 'headNeck']);
  const eyes = triangleRange(data, ['eyeballL', 'eyeballR']);
  // [solid.length] the part each visible triangle belongs to: SKIN_PART, EYE_PART or HOLE_PART.
  const solidPart = new Uint8Array(solid.length);
  const skinSet = new Set(skin),
    eyeSet = new Set(eyes);
  solid.forEach((t, i) => (solidPart[i] = skinSet.has(t) ? SKIN_PART : eyeSet.has(t) ? EYE_PART : HOLE_PART));

  const N = FACE_MESH_LANDMARKS;
  // Per landmark, per view: snapped surface point (NaN where missed).
  const pts = new Float64Array(N * views.length * 3).fill(NaN);
  const detected: boolean[] = [];
  for (let vi = 0; vi < views.length; vi++) {
    const view = views[vi];
    const cam = landmarkViewCamera(view, size);
    const r = renderHead({ positions: P, triangles: T, draw: drawn, albedo }, cam, 2);
    const faces = await landmarker.detect(r.image);
    const lm = faces[0]?.landmarks ?? null;
    opts.onView?.(view, r.image, lm);
    detected.push(!!lm);
    if (!lm) {
      opts.log?.(`  view yaw ${view.yawDeg} pitch ${view.pitchDeg}: no face found`);
      continue;
    }
    const vis = rasterizeTriangles(P, solidIdx, r.visCamera);
    const s = r.scale;
    let hits = 0;
    for (let i = 0; i < N; i++) {
      const x = lm[i * 3],
        y = lm[i * 3 + 1];
      const hx = Math.floor(x * s),
        hy = Math.floor(y * s);
      if (hx < 0 || hy < 0 || hx >= vis.width || hy >= vis.height) continue;
      let local = vis.triangle[hy * vis.width + hx];
      if (local < 0) continue;
      let ray = pixelRay(cam, x, y);
      if (solidPart[local] === HOLE_PART) {
        // Seen through the open mouth: the nearest pixel of skin is the lip edge the detector meant.
        const px = nearestPixelOfPart(vis, solidPart, SKIN_PART, hx, hy, HOLE_SEARCH_PX * s);
        if (!px) continue;
        local = px.triangle;
        ray = pixelRay(cam, (px.x + 0.5) / s, (px.y + 0.5) / s);
      }
      const { o, d } = ray;
      const hit = rayPlane(P, T, solid[local], o, d);
      if (!hit) continue;
      const q = closestOnSurface(hit[0], hit[1], hit[2], P, T, i >= FIRST_IRIS_LANDMARK ? eyes : skin);
      pts.set(q.point, (i * views.length + vi) * 3);
      hits++;
    }
    opts.log?.(
      `  view yaw ${view.yawDeg} pitch ${view.pitchDeg}: face found, ${hits} of ${N} landmarks on the surface`,
    );
  }

  const triangles = new Int32Array(N).fill(-1);
  const barycentrics = new Float32Array(N * 3);
  const status = new Uint8Array(N).fill(LANDMARK_STATUS.undetected);
  const spreadCm = new Float32Array(N).fill(NaN);
  const oval = new Set(FACE_MESH_OVAL);
  const outlierViews = new Uint8Array(N);
  // [N * 3] each landmark's robust mean point (cm, model frame); NaN where fewer than minViews saw it.
  const means = new Float64Array(N * 3).fill(NaN);
  for (let i = 0; i < N; i++) {
    // Robust mean: the views within maxSpread of the per-coordinate median agree; average those.
    const idx: number[] = [];
    for (let vi = 0; vi < views.length; vi++)
      if (!Number.isNaN(pts[(i * views.length + vi) * 3])) idx.push(vi);
    if (idx.length < minViews) continue;
    const med: Vec3 = [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      const vals = idx.map((vi) => pts[(i * views.length + vi) * 3 + k]).sort((x, y) => x - y);
      const h = vals.length >> 1;
      med[k] = vals.length % 2 ? vals[h] : (vals[h - 1] + vals[h]) / 2;
    }
    const dist = (vi: number, c: Vec3) => {
      const o = (i * views.length + vi) * 3;
      return Math.hypot(pts[o] - c[0], pts[o + 1] - c[1], pts[o + 2] - c[2]);
    };
    const inliers = idx.filter((vi) => dist(vi, med) <= maxSpread);
    outlierViews[i] = idx.length - inliers.length;
    const use = inliers.length >= minViews ? inliers : idx;
    const mean: Vec3 = [0, 0, 0];
    for (const vi of use)
      for (let k = 0; k < 3; k++) mean[k] += pts[(i * views.length + vi) * 3 + k] / use.length;
    let spread = 0;
    for (const vi of use) spread = Math.max(spread, dist(vi, mean));
    spreadCm[i] = spread;
    means.set(mean, i * 3);
    status[i] = oval.has(i)
      ? LANDMARK_STATUS.contour
      : inliers.length < minViews
        ? LANDMARK_STATUS.unstable
        : LANDMARK_STATUS.ok;
  }
  const symmetry = symmetrizeLandmarkPoints(means, status, headMidplaneX(data));
  for (let i = 0; i < N; i++) {
    if (Number.isNaN(means[i * 3])) continue;
    const q = closestOnSurface(
      means[i * 3],
      means[i * 3 + 1],
      means[i * 3 + 2],
      P,
      T,
      i >= FIRST_IRIS_LANDMARK ? eyes : skin,
    );
    triangles[i] = q.triangle;
    barycentrics.set(q.bary, i * 3);
  }
  // Only reliable ones keep their triangle; the others are -1 (their status says why).
  for (let i = 0; i < N; i++) if (status[i] !== LANDMARK_STATUS.ok) triangles[i] = -1;

  const ok = Array.from(spreadCm).filter((s, i) => status[i] === LANDMARK_STATUS.ok);
  ok.sort((a, b) => a - b);
  const summary = {
    views: views.map((v, i) => ({ ...v, detected: detected[i] })),
    renderSize: size,
    maxSpreadCm: maxSpread,
    minViews,
    ...statusCounts(status),
    spreadMedianCm: ok.length ? +ok[Math.floor(ok.length / 2)].toFixed(3) : null,
    spreadP90Cm: ok.length ? +ok[Math.floor(ok.length * 0.9)].toFixed(3) : null,
    symmetricPairs: symmetry.pairs,
    midlinePoints: symmetry.midline,
    symmetryShiftMaxCm: +symmetry.maxShiftCm.toFixed(3),
    landmarksWithOutlierViews: outlierViews.reduce(
      (acc, n, i) => acc + (n > 0 && status[i] === LANDMARK_STATUS.ok ? 1 : 0),
      0,
    ),
  };
  if (!detected.some(Boolean))
    throw new Error('the face landmarker found no face on any render of the mean head');
  opts.log?.(
    `  landmarks: ${summary.ok} reliable, ${summary.contour} contour, ${summary.unstable} unstable, ${summary.undetected} not found`,
  );
  return { triangles, barycentrics, status, spreadCm, summary };
}
