/**
 * Region labels of a profile (no face detection, so the preprocessing's labels are only hair above
 * and clothing below). Skin and hair are told apart by colour against two references the profile's
 * geometry gives: the cheek (between the eye and the mouth, behind the nose: skin unless bearded) and
 * the crown (the top of the head: hair unless bald). Above the chin a pixel is skin when it is nearer
 * the cheek's colour than the crown's in the shading-tolerant measure (skin-colour.ts); a bald crown
 * (its colour within the skin tolerance of the cheek's, and warm) leaves hair only what is far from
 * skin; a majority vote then clears lit specks. Below the chin: skin (the neck) when near the cheek
 * and passing the fixed skin rule, hair hanging behind the neck when near the crown's colour, else
 * clothing. Without a cheek or crown sample the fixed chromaticity rule (isSkinColour) decides: skin,
 * else hair above the chin and clothing below. That rule alone called auburn hair skin and a lit
 * cheek hair (facelift-mvd-000's right profile).
 */
import { REGION, type PreprocessResult } from '../../../shared/contracts/preprocess';
import { medianRgb, type Rgb } from './hair-model';
import { isSkinColour, skinDistance, SKIN_TOLERANCE } from './skin-colour';
import { CROP } from './landmarks';

/** Face-mesh points of the cheek below the eye and behind the nose (either side: a profile's pair share a pixel). */
const CHEEK_POINTS = [117, 118, 101, 36, 205, 50, 123, 187, 147];
/** The cheek box is shrunk to this share of its size about its centre (away from the eye, nose and jaw). */
const CHEEK_BOX_SHARE = 0.7;
/** How far below the chin (face widths) hair hanging behind the neck is looked for. */
const LONG_HAIR_REACH = 1.5;
/**
 * Colour distance to the crown under which a pixel below the chin is hanging hair: half the skin
 * tolerance, as a collar or sweater of the hair's hue is usually darker or lighter than the hair.
 */
const HANGING_HAIR_TOLERANCE = 0.2;
/** The back of the neck lies this far behind the jaw's corner (face widths). */
const NECK_BEHIND_JAW = 0.3;
/** Fewest cheek or crown pixels for a colour reference. */
const MIN_SAMPLES = 30;

export interface ProfileGeometry {
  /** Synthetic landmarks (profile.ts), FaceAnalysis layout [478 * 3], crop pixels. */
  landmarks: Float32Array;
  /** First matte row (the top of the head) and the chin's row. */
  top: number;
  chinV: number;
  /** Face width in pixels. */
  faceWidth: number;
  /** -1: the face looks towards image left, +1: towards image right. */
  facing: -1 | 1;
}

/** Median colour of the matte pixels in rows [v0, v1], columns [u0, u1], or null under MIN_SAMPLES. */
function boxMedian(pre: PreprocessResult, u0: number, u1: number, v0: number, v1: number): Rgb | null {
  const img = pre.image512.data;
  const matte = pre.matte512.data;
  const px: number[] = [];
  for (let v = Math.max(0, Math.floor(v0)); v <= Math.min(CROP - 1, Math.ceil(v1)); v++)
    for (let u = Math.max(0, Math.floor(u0)); u <= Math.min(CROP - 1, Math.ceil(u1)); u++) {
      const i = v * CROP + u;
      if (matte[i] >= 0.5) px.push(img[i * 4], img[i * 4 + 1], img[i * 4 + 2]);
    }
  return px.length >= MIN_SAMPLES * 3 ? medianRgb(px) : null;
}

/** The cheek's median colour (the box round CHEEK_POINTS, shrunk), or null. */
export function profileCheekColour(pre: PreprocessResult, landmarks: Float32Array): Rgb | null {
  let u0 = Infinity, u1 = -Infinity, v0 = Infinity, v1 = -Infinity;
  for (const i of CHEEK_POINTS) {
    u0 = Math.min(u0, landmarks[i * 3]);
    u1 = Math.max(u1, landmarks[i * 3]);
    v0 = Math.min(v0, landmarks[i * 3 + 1]);
    v1 = Math.max(v1, landmarks[i * 3 + 1]);
  }
  const cu = (u0 + u1) / 2, cv = (v0 + v1) / 2;
  const hu = ((u1 - u0) / 2) * CHEEK_BOX_SHARE, hv = ((v1 - v0) / 2) * CHEEK_BOX_SHARE;
  return boxMedian(pre, cu - hu, cu + hu, cv - hv, cv + hv);
}

/** Region labels [CROP * CROP] of a profile (see the file comment). */
export function profileRegions(pre: PreprocessResult, g: ProfileGeometry): Uint8Array {
  const skin = profileCheekColour(pre, g.landmarks);
  const crown = boxMedian(pre, 0, CROP - 1, g.top, g.top + 0.2 * g.faceWidth);
  if (!skin || !crown) return fixedRuleRegions(pre, g.chinV);
  // Bald: the crown is skin, near the cheek's colour and warm as skin is (grey or platinum hair can be
  // as near a pale cheek in this measure, but not warm).
  const bald =
    skinDistance(crown[0], crown[1], crown[2], skin) < SKIN_TOLERANCE && isSkinColour(crown[0], crown[1], crown[2]);
  const img = pre.image512.data;
  const matte = pre.matte512.data;
  // The back of the neck: behind the jaw's corner (face-mesh 234 / 454 share a profile's pixel).
  const neckBackU = g.landmarks[234 * 3] - g.facing * NECK_BEHIND_JAW * g.faceWidth;
  const regions = new Uint8Array(CROP * CROP);
  for (let i = 0; i < regions.length; i++) {
    if (matte[i] < 0.5) continue;
    const r = img[i * 4], gg = img[i * 4 + 1], b = img[i * 4 + 2];
    const dSkin = skinDistance(r, gg, b, skin);
    const isSkin = bald ? dSkin < SKIN_TOLERANCE : dSkin < skinDistance(r, gg, b, crown);
    const v = Math.floor(i / CROP);
    if (v <= g.chinV) regions[i] = isSkin ? REGION.skin : REGION.hair;
    // Under the chin pale clothing (a cream sweater, a white collar) can be as near a pale cheek as a
    // shadowed neck is: skin there must pass the fixed skin rule too.
    else if (dSkin < SKIN_TOLERANCE && isSkinColour(r, gg, b)) regions[i] = REGION.skin;
    // Long hair hangs behind the neck: the crown's colour there, down to LONG_HAIR_REACH face widths.
    else
      regions[i] =
        !bald &&
        v <= g.chinV + LONG_HAIR_REACH * g.faceWidth &&
        g.facing * ((i % CROP) - neckBackU) < 0 &&
        skinDistance(r, gg, b, crown) < Math.min(dSkin, HANGING_HAIR_TOLERANCE)
          ? REGION.hair
          : REGION.clothing;
  }
  return majorityAboveChin(regions, g.chinV);
}

/** The fixed rule's labels: skin by isSkinColour, the rest hair above the chin, clothing below. */
function fixedRuleRegions(pre: PreprocessResult, chinV: number): Uint8Array {
  const img = pre.image512.data;
  const regions = new Uint8Array(CROP * CROP);
  for (let i = 0; i < regions.length; i++) {
    if (pre.matte512.data[i] < 0.5) continue;
    if (isSkinColour(img[i * 4], img[i * 4 + 1], img[i * 4 + 2])) regions[i] = REGION.skin;
    else regions[i] = Math.floor(i / CROP) <= chinV ? REGION.hair : REGION.clothing;
  }
  return regions;
}

/** Half-size of the window of the skin / hair majority vote (pixels). */
const VOTE_HALF = 3;

/**
 * Skin and hair above the chin by a majority vote over a (2 VOTE_HALF + 1)^2 window: lit strands in
 * auburn or blond hair come out as skin-coloured specks, shadowed folds of the ear as hair.
 */
function majorityAboveChin(regions: Uint8Array, chinV: number): Uint8Array {
  const W = CROP + 1;
  // Integral images of skin and of hair counts, [(CROP + 1)^2].
  const skin = new Int32Array(W * W);
  const hair = new Int32Array(W * W);
  for (let v = 0; v < CROP; v++)
    for (let u = 0; u < CROP; u++) {
      const r = regions[v * CROP + u];
      const k = (v + 1) * W + u + 1;
      skin[k] = (r === REGION.skin ? 1 : 0) + skin[k - 1] + skin[k - W] - skin[k - W - 1];
      hair[k] = (r === REGION.hair ? 1 : 0) + hair[k - 1] + hair[k - W] - hair[k - W - 1];
    }
  const sum = (t: Int32Array, u0: number, v0: number, u1: number, v1: number) =>
    t[(v1 + 1) * W + u1 + 1] - t[v0 * W + u1 + 1] - t[(v1 + 1) * W + u0] + t[v0 * W + u0];
  const out = regions.slice();
  for (let v = 0; v <= Math.min(CROP - 1, Math.floor(chinV)); v++)
    for (let u = 0; u < CROP; u++) {
      const i = v * CROP + u;
      if (regions[i] !== REGION.skin && regions[i] !== REGION.hair) continue;
      const u0 = Math.max(0, u - VOTE_HALF), u1 = Math.min(CROP - 1, u + VOTE_HALF);
      const v0 = Math.max(0, v - VOTE_HALF), v1 = Math.min(CROP - 1, v + VOTE_HALF);
      out[i] = sum(skin, u0, v0, u1, v1) >= sum(hair, u0, v0, u1, v1) ? REGION.skin : REGION.hair;
    }
  return out;
}
