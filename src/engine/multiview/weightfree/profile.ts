/**
 * A profile portrait (the landmark model finds no face): decide which way the head faces from the
 * silhouette and the skin, and stand a canonical face (face-template.ts) on that side, fitted to the
 * profile line, as 478 synthetic landmarks. The head is then built exactly like a detected face's
 * (build.ts): the landmarks' head frame points the face sideways, so the input camera lands at about
 * +-90 deg azimuth and the head's own front (with a face) at azimuth 0.
 *
 * Facing side: skin-coloured pixels of the head band sit on the face side (the hair is behind), and
 * the face side's outline is the rough one (nose, lips, chin) - see facingSide.
 * Profile line: per image row of the head, the matte's outermost pixel on the face side (forehead,
 * nose, lips, chin). The template's midline profile (the most forward template point per height) is
 * fitted to it over scale, eye row and depth offset; the remaining per-row difference is added to the
 * template's depth near the midline, so the face has this subject's nose, lips and chin.
 *
 * Coordinates: crop pixels (u right, v down) and the image frame G of landmarks.ts.
 */
import type { PreprocessResult } from '../../../shared/contracts/preprocess';
import { FACE_TEMPLATE } from './face-template';
import { colourDistance, medianRgb } from './hair-model';
import { CROP } from './landmarks';
import { profileRegions } from './profile-regions';
import { isSkinColour } from './skin-colour';

const MESH_POINTS = 468;
/**
 * Face detections below this score are checked for a profile outline (frontal and 3/4 fixtures score
 * 1.0; the landmark model sometimes "finds" a face at 85 deg with score ~0.7 and landmarks that read
 * as a 30 deg turn).
 */
export const WEAK_FACE_SCORE = 0.8;
/** Template (face widths): eye centre to chin (landmark 152) and to the forehead top (10). */
const T_CHIN_Y = FACE_TEMPLATE[152 * 3 + 1];
const T_TOP_Y = FACE_TEMPLATE[10 * 3 + 1];
/** Head length (front of the forehead to the back, hair included) in face widths, anthropometric prior. */
const HEAD_LENGTH_IN_FACE_WIDTHS = 1.5;
/** Crown above the eye centre, in face widths (head-model.ts prior: 0.8 x breadth + 0.05 W). */
const CROWN_ABOVE_EYES = 0.93;

export interface ProfileFace {
  /** -1: the face looks towards image left, +1: towards image right. */
  facing: -1 | 1;
  /** Synthetic landmarks, FaceAnalysis layout [478 * 3] (x, y crop pixels, z depth, smaller = closer). */
  landmarks: Float32Array;
  /** Face width in pixels. */
  faceWidth: number;
  /** Region labels with skin found by colour (the no-face labels are only hair above / clothing below). */
  regions: Uint8Array;
  /** Fit quality: mean |profile residual| in face widths. */
  residual: number;
}


/** Template midline profile: the most forward template depth per height, sampled on `bins` rows over [T_CHIN_Y, T_TOP_Y]. */
function templateProfile(bins: number): Float64Array {
  const out = new Float64Array(bins).fill(-Infinity);
  const span = T_TOP_Y - T_CHIN_Y;
  for (let i = 0; i < MESH_POINTS; i++) {
    const x = FACE_TEMPLATE[i * 3], y = FACE_TEMPLATE[i * 3 + 1], z = FACE_TEMPLATE[i * 3 + 2];
    if (Math.abs(x) > 0.12) continue;
    const b = Math.round(((y - T_CHIN_Y) / span) * (bins - 1));
    if (b >= 0 && b < bins) out[b] = Math.max(out[b], z);
  }
  // Fill empty bins by linear interpolation between their filled neighbours.
  let last = -1;
  for (let b = 0; b < bins; b++) {
    if (!Number.isFinite(out[b])) continue;
    if (last >= 0) for (let k = last + 1; k < b; k++) out[k] = out[last] + ((out[b] - out[last]) * (k - last)) / (b - last);
    else for (let k = 0; k < b; k++) out[k] = out[b];
    last = b;
  }
  for (let k = last + 1; k < bins; k++) out[k] = out[last];
  return out;
}

const PROFILE_BINS = 200;

/** Template profile depth at template height y (face widths). */
function profileAt(prof: Float64Array, y: number): number {
  const t = ((y - T_CHIN_Y) / (T_TOP_Y - T_CHIN_Y)) * (PROFILE_BINS - 1);
  const k = Math.min(PROFILE_BINS - 2, Math.max(0, Math.floor(t)));
  const f = Math.min(1, Math.max(0, t - k));
  return prof[k] * (1 - f) + prof[k + 1] * f;
}

/**
 * How much an outline edge (per-row column, -1 where the row is empty) departs from its own running
 * mean over the face's rows (eyes to chin by the head-length prior), in face widths. A profile's face
 * side has the nose, lips and chin; the back of the head is one smooth curve.
 */
export function edgeRoughness(edge: Int32Array, top: number, w0: number): number {
  const v0 = Math.round(top + 0.7 * w0);
  const v1 = Math.min(CROP - 1, Math.round(top + 1.6 * w0));
  const half = Math.max(2, Math.round(0.12 * w0));
  let sum = 0;
  let n = 0;
  for (let v = v0; v <= v1; v++) {
    if (edge[v] < 0) continue;
    let acc = 0;
    let c = 0;
    for (let k = -half; k <= half; k++) {
      if (v + k >= 0 && v + k < CROP && edge[v + k] >= 0) {
        acc += edge[v + k];
        c++;
      }
    }
    sum += Math.abs(edge[v] - acc / c);
    n++;
  }
  return n ? sum / n / w0 : 0;
}

/**
 * Facing side from two cues: where the skin sits against the head (`skinOffset`, face widths, 0 when
 * there is too little skin) and which outline is rougher (face profile vs smooth back). A strong cue
 * decides unless the other one strongly disagrees; null when neither is clear (a frontal face the
 * detector missed, the back of the head). When that leaves no side, a third cue: where the head's
 * pixels unlike the crown's colour sit (`crownOffset`, face widths, 0 when too few): the face, when
 * the hair is skin-coloured by the fixed rule (auburn, blond) and the lit cheek too pale for it.
 * Thresholds from the fixture heads rendered at +-85 deg: skin offsets 0.15..0.4 where the hair is not
 * skin-coloured; roughness ratios 3..7 (tests/multiview/profile.test.ts).
 */
export function facingSide(
  skinOffset: number,
  roughLeft: number,
  roughRight: number,
  crownOffset = 0,
): -1 | 1 | null {
  const side = (offset: number) => (Math.abs(offset) >= 0.12 ? (offset < 0 ? -1 : 1) : 0);
  const skin = side(skinOffset);
  const ratio = Math.log((roughLeft + 1e-4) / (roughRight + 1e-4));
  const rough = Math.abs(ratio) >= Math.log(2.5) ? (ratio > 0 ? -1 : 1) : 0;
  const roughWeak = Math.abs(ratio) >= Math.log(1.5) ? (ratio > 0 ? -1 : 1) : 0;
  if (skin !== 0 && (roughWeak === 0 || roughWeak === skin)) return skin;
  if (skin === 0 && rough !== 0) return rough;
  const crown = side(crownOffset);
  if (crown !== 0 && (roughWeak === 0 || roughWeak === crown)) return crown;
  return null;
}

/** Colour distance (hair-model's opponent units) past which a head pixel is unlike the crown. */
const UNLIKE_CROWN = 60;
/** The crown: the top rows of the figure, this many face widths deep. */
const CROWN_DEPTH = 0.2;

/**
 * Where the head band's pixels unlike the crown's median colour sit against the whole band (mean
 * column difference in face widths; 0 when under 4% of the band): the face's side of a profile, whatever
 * the hair's colour (a bald crown is skin: then the face is like it and this says nothing).
 */
export function crownOffset(pre: PreprocessResult, top: number, headBottom: number, w0: number): number {
  const img = pre.image512.data;
  const matte = pre.matte512.data;
  const crown: number[] = []; // interleaved RGB of the crown's pixels
  for (let v = top; v <= Math.min(headBottom, top + CROWN_DEPTH * w0); v++)
    for (let u = 0; u < CROP; u++) {
      const i = v * CROP + u;
      if (matte[i] >= 0.5) crown.push(img[i * 4], img[i * 4 + 1], img[i * 4 + 2]);
    }
  const ref = crown.length >= 16 * 3 ? medianRgb(crown) : null;
  if (!ref) return 0;
  let n = 0, nUnlike = 0, sumU = 0, sumUnlike = 0;
  for (let v = top; v <= headBottom; v++)
    for (let u = 0; u < CROP; u++) {
      const i = v * CROP + u;
      if (matte[i] < 0.5) continue;
      n++;
      sumU += u;
      if (colourDistance(img[i * 4], img[i * 4 + 1], img[i * 4 + 2], ref) > UNLIKE_CROWN) {
        nUnlike++;
        sumUnlike += u;
      }
    }
  return n > 0 && nUnlike >= 0.04 * n ? (sumUnlike / nUnlike - sumU / n) / w0 : 0;
}

/** profileFace's answers per portrait (the head fit and the proxy build both ask: ~0.1 s each). */
const profileCache = new WeakMap<PreprocessResult, ProfileFace | null>();

/**
 * The profile face of `pre`, or null when the portrait does not look like a profile (no skin, or the
 * skin is not off to one side: a frontal face the detector missed, or the back of the head). Computed
 * once per portrait object; the result is shared, so callers must not change its buffers.
 */
export function profileFace(pre: PreprocessResult): ProfileFace | null {
  if (!profileCache.has(pre)) profileCache.set(pre, findProfileFace(pre));
  return profileCache.get(pre) ?? null;
}

function findProfileFace(pre: PreprocessResult): ProfileFace | null {
  const img = pre.image512.data;
  const matte = pre.matte512.data;
  const inMatte = (i: number) => matte[i] >= 0.5;
  // Rows: first matte row and per-row extent.
  const left = new Int32Array(CROP).fill(-1);
  const right = new Int32Array(CROP).fill(-1);
  let top = -1;
  for (let v = 0; v < CROP; v++) {
    for (let u = 0; u < CROP; u++) {
      if (!inMatte(v * CROP + u)) continue;
      if (left[v] < 0) left[v] = u;
      right[v] = u;
    }
    if (top < 0 && left[v] >= 0) top = v;
  }
  if (top < 0) return null;
  // Head length from the upper band of the figure (as the silhouette fallback does).
  const band = Math.max(8, Math.round(0.3 * (CROP - top)));
  const widths: number[] = [];
  for (let v = top; v < Math.min(CROP, top + band); v++) if (left[v] >= 0) widths.push(right[v] - left[v] + 1);
  widths.sort((a, b) => a - b);
  const w0 = widths[widths.length >> 1] / HEAD_LENGTH_IN_FACE_WIDTHS;
  // Skin in the head band (crown to a little below the chin prior): which side of the head is it on?
  const headBottom = Math.min(CROP - 1, Math.round(top + (CROWN_ABOVE_EYES - T_CHIN_Y) * w0));
  let nHead = 0, nSkin = 0, sumU = 0, sumUSkin = 0;
  for (let v = top; v <= headBottom; v++) {
    for (let u = 0; u < CROP; u++) {
      const i = v * CROP + u;
      if (!inMatte(i)) continue;
      nHead++;
      sumU += u;
      if (isSkinColour(img[i * 4], img[i * 4 + 1], img[i * 4 + 2])) {
        nSkin++;
        sumUSkin += u;
      }
    }
  }
  if (nHead === 0) return null;
  const skinOffset = nSkin >= 0.04 * nHead ? (sumUSkin / nSkin - sumU / nHead) / w0 : 0;
  const facing = facingSide(
    skinOffset,
    edgeRoughness(left, top, w0),
    edgeRoughness(right, top, w0),
    crownOffset(pre, top, headBottom, w0),
  );
  if (facing === null) return null;

  // Profile line: forward distance (G units along the facing direction) of the face-side edge per row.
  const forward = new Float64Array(CROP).fill(NaN);
  for (let v = top; v < CROP; v++) {
    if (left[v] < 0) continue;
    const edge = facing < 0 ? left[v] - 0.5 : right[v] + 0.5;
    forward[v] = facing * (edge - CROP / 2);
  }
  const prof = templateProfile(PROFILE_BINS);
  // Fit scale s (px per face width), eye row and forward offset F0: forward(v) ~ F0 + s * prof(y(v)).
  let best = { cost: Infinity, s: w0, eyeV: top + CROWN_ABOVE_EYES * w0, f0: 0 };
  const res: number[] = [];
  for (let k = -15; k <= 15; k++) {
    const s = w0 * (1 + 0.02 * k);
    for (let eyeV = top + 0.5 * s; eyeV <= top + 1.3 * s; eyeV += 1) {
      const v0 = Math.ceil(eyeV - T_TOP_Y * s);
      const v1 = Math.floor(eyeV - T_CHIN_Y * s);
      if (v1 >= CROP) continue;
      res.length = 0;
      for (let v = Math.max(top, v0); v <= v1; v++) {
        if (Number.isNaN(forward[v])) continue;
        res.push(forward[v] - s * profileAt(prof, (eyeV - v) / s));
      }
      if (res.length < 0.6 * (v1 - v0)) continue;
      res.sort((a, b) => a - b);
      const f0 = res[res.length >> 1];
      let cost = 0;
      for (const r of res) cost += Math.abs(r - f0);
      // Mean absolute residual in face widths, plus a mild prior towards the head-length scale.
      cost = cost / res.length / s + 0.05 * Math.abs(s / w0 - 1);
      if (cost < best.cost) best = { cost, s, eyeV, f0 };
    }
  }
  if (!Number.isFinite(best.cost)) return null;
  const { s, eyeV, f0 } = best;
  // Per-row depth correction (face widths), limited and smoothed, applied near the midline.
  const corr = new Float64Array(CROP);
  for (let v = 0; v < CROP; v++) {
    const y = (eyeV - v) / s;
    if (Number.isNaN(forward[v]) || y < T_CHIN_Y - 0.02 || y > T_TOP_Y + 0.02) continue;
    corr[v] = Math.max(-0.08, Math.min(0.08, (forward[v] - f0) / s - profileAt(prof, y)));
  }
  const smooth = new Float64Array(CROP);
  const half = Math.max(1, Math.round(0.015 * s));
  for (let v = 0; v < CROP; v++) {
    let acc = 0, n = 0;
    for (let k = -half; k <= half; k++) {
      if (v + k < 0 || v + k >= CROP) continue;
      acc += corr[v + k];
      n++;
    }
    smooth[v] = acc / n;
  }
  // Synthetic landmarks: G = O + s * (x xAxis + y yAxis + z zAxis), zAxis = (facing, 0, 0), yAxis up,
  // xAxis = yAxis x zAxis = (0, 0, -facing) (the subject's left points away when facing right).
  const landmarks = new Float32Array(478 * 3);
  const oX = facing * f0;
  const oY = CROP / 2 - eyeV;
  for (let i = 0; i < MESH_POINTS; i++) {
    const x = FACE_TEMPLATE[i * 3], y = FACE_TEMPLATE[i * 3 + 1];
    const v = Math.round(eyeV - y * s);
    const near = Math.max(0, 1 - (x / 0.3) ** 2);
    const z = FACE_TEMPLATE[i * 3 + 2] + (v >= 0 && v < CROP ? smooth[v] * near : 0);
    const gX = oX + s * z * facing;
    const gY = oY + s * y;
    const gZ = -s * x * facing;
    landmarks.set([gX + CROP / 2, CROP / 2 - gY, -gZ], i * 3);
  }
  // Irises: at their eye's centre (corners 33/133 and 362/263).
  for (const [first, a, b] of [[468, 33, 133], [473, 362, 263]] as const) {
    for (let k = 0; k < 5; k++) for (let c = 0; c < 3; c++) landmarks[(first + k) * 3 + c] = (landmarks[a * 3 + c] + landmarks[b * 3 + c]) / 2;
  }
  // Regions: skin and hair by colour against the cheek's and the crown's (profile-regions.ts).
  const chinV = eyeV - T_CHIN_Y * s;
  const regions = profileRegions(pre, { landmarks, top, chinV, faceWidth: s, facing });
  return { facing, landmarks, faceWidth: s, regions, residual: best.cost };
}

/**
 * The portrait as the appearance pass should see it: the profile's skin labels, and its synthetic
 * landmarks as the face (the hair model reads the face's rows and sides from them). Only for the
 * texture: no identity, score 0, so nothing downstream can take it for a detected face.
 */
export function profileAsFace(pre: PreprocessResult, profile: ProfileFace): PreprocessResult {
  const lm = profile.landmarks;
  let minU = Infinity, minV = Infinity, maxU = -Infinity, maxV = -Infinity;
  for (let i = 0; i < MESH_POINTS; i++) {
    minU = Math.min(minU, lm[i * 3]);
    maxU = Math.max(maxU, lm[i * 3]);
    minV = Math.min(minV, lm[i * 3 + 1]);
    maxV = Math.max(maxV, lm[i * 3 + 1]);
  }
  return {
    ...pre,
    regions: profile.regions,
    face: {
      box: { x: minU, y: minV, width: maxU - minU, height: maxV - minV },
      score: 0,
      landmarks: lm,
      yawDeg: 90 * profile.facing,
      pitchDeg: 0,
      rollDeg: 0,
      embedding: new Float32Array(0),
      embeddingModel: 'none (synthetic profile landmarks)',
    },
  };
}
