/**
 * Neck and shoulders stub: a stack of elliptic sections, one per image row from the chin down to the
 * crop's bottom, each as wide as the matte's body run on that row (hair excluded when the region
 * labels know it) and as deep as the width allows up to a chest-depth prior.
 * In the image frame G (pixel units), so the front view reproduces the matte's outline.
 * Layout: rows of sections, section k on the axis at G.y = yTop - k * rowStep, depth
 * zCentre - k * rowStep * zSlope (zSlope = tan(elevation): the stub is upright in the world, not in
 * the input camera, so seen from above its lower sections lie farther back), centreX[k], halfWidth[k],
 * halfDepth[k] = min(halfWidth[k], maxHalfDepth). Seen from below, and from well above where the
 * neck is hidden (NeckPrior), the sections are level in the world (their planes turned by `tilt`, the
 * elevation): square to the input camera's axis instead, a camera 10 degrees below put the back of
 * every section (the collar's included) higher in the world than its front by its depth times
 * sin(10 deg), a collar rising to the hair from behind. Below a hidden neck the body's sections are
 * also carved to the matte and may lie `back[k]` behind the axis (torso-carve.ts).
 * A turned body (turnTorso) has its sections' axes turned by `yaw` about the sections' normal:
 * halfWidth is then the section's own half-width across the body, no longer the matte's run.
 */
import { REGION } from '../../../shared/contracts/preprocess';
import { CROP } from './landmarks';
import { carveBelowHiddenNeck } from './torso-carve';

/** Width and depth of the stub's overlap above the chin, at the chin and at its top, relative to the neck. */
const OVERLAP_CHIN_SCALE = 0.9;
const OVERLAP_TOP_SCALE = 0.65;

export interface TorsoStub {
  yTop: number;
  rowStep: number;
  centreX: Float32Array;
  halfWidth: Float32Array;
  halfDepth: Float32Array;
  zCentre: number;
  /** G.z change per G.y unit going up (tan of the input camera's elevation). */
  zSlope: number;
  /**
   * Radians the body's front (psi = 0) is turned from the input camera about G's y axis, positive
   * towards the image's right (G +x): 0 for a body facing the camera (turnTorso).
   */
  yaw: number;
  /** Index of the section at the chin's row: those above it tuck the neck into the head. */
  chin: number;
  /**
   * Per section, G.z of its centre relative to the stub's axis (zCentre - k * rowStep * zSlope): 0
   * but for the shoulders a camera above sees beside the head (buildTorso), which lie behind the axis.
   */
  zShift: Float32Array;
  /** First section of the shoulders seen beside the head above the chin (sections riseFrom..chin - 1); `chin` when none. */
  riseFrom: number;
  /**
   * Radians the sections' planes are turned about G's x from G's xz-plane: the input camera's
   * elevation for a camera below or one well above (hidden neck), so that they are level in the world
   * (a section's front, psi = 0, then points along (0, -sin tilt, cos tilt) in G for an unturned
   * body); 0 for a camera above that sees the neck (the sections square to its axis).
   */
  tilt: number;
  /**
   * Per section, how far its centre lies behind the stub's axis, horizontally in the world (G px): 0
   * but for the body below a neck a camera well above cannot see, whose sections the carve may move
   * back (torso-carve.ts). The centre is then (0, back sin tilt, -back cos tilt) from the axis in G.
   */
  back: Float32Array;
}

/** Half-width the input camera sees of a section of half-width `a` across the body and half-depth `b`, turned by `yaw`. */
export function projectedHalfWidth(a: number, b: number, yaw: number): number {
  return Math.sqrt(a * a * Math.cos(yaw) ** 2 + b * b * Math.sin(yaw) ** 2);
}

/**
 * The body turned with a turned face. A section's run in the matte is then the width of an ellipse
 * seen obliquely (projectedHalfWidth): taken as the body's own width, a portrait from 45 degrees built
 * shoulders as narrow as the chest is deep, and every view nearer the body's front showed a narrow
 * column under the head. Given each section's depth (the chest's prior, or the neck's roundness), its
 * width across the body becomes the one that projects to the observed run, so the input view keeps
 * the matte's outline. (The run past the crop's edges is the turned shoulders' reach already:
 * BeyondFrame.maxHalfWidth.) People turn their bodies with their heads in portraits, or further: the
 * face's turn is the cue.
 */
export function turnTorso(torso: TorsoStub, yaw: number): void {
  torso.yaw = yaw;
  const c2 = Math.max(1e-6, Math.cos(yaw) ** 2);
  const s2 = Math.sin(yaw) ** 2;
  for (let k = 0; k < torso.halfWidth.length; k++) {
    const w = torso.halfWidth[k];
    const b = torso.halfDepth[k];
    torso.halfWidth[k] = Math.sqrt(Math.max(b * b, (w * w - b * b * s2) / c2));
  }
}

/** Past this multiple of the narrowest section's width the body is the shoulders: the neck lies above. */
const NECK_TO_SHOULDERS = 1.6;

/** Most the sections' half-depth grows per unit of height below the neck (1 = a 45 degree slope). */
const DEPTH_GROWTH = 0.7;

/** Half-width (sections) of the box smoothing of the sections' widths and centres. */
const ROW_SMOOTH = 4;

/** Running median of 5 (fewer at the ends: the window is clipped to the array). */
function median5(a: readonly number[]): number[] {
  return a.map((_, k) => {
    const w = a.slice(Math.max(0, k - 2), Math.min(a.length, k + 3)).sort((p, q) => p - q);
    return w[w.length >> 1];
  });
}

/**
 * Where the body goes on past the crop. A portrait's crop cuts the shoulders at its sides and the chest
 * at its bottom; a stub that ends there shows the cut as a flat edge from every other camera (below the
 * shoulders from a side view, a narrow column from behind).
 */
export interface BeyondFrame {
  /** Widest the body gets from its axis (px): the shoulders' half-width. */
  maxHalfWidth: number;
  /** Image row (may be > CROP) where the bust ends. */
  bottomRow: number;
  /** The neck (the body's axis) is the narrowest row within this many px below the chin. */
  neckSearchPx: number;
}

/** Smooth minimum (polynomial, blend width k): the shoulder rounds into its widest reach. */
function smoothMin(a: number, b: number, k: number): number {
  const h = Math.max(k - Math.abs(a - b), 0) / k;
  return Math.min(a, b) - (h * h * k) / 4;
}

/**
 * One side's edge, as the reach from the body's axis per row, carried past the crop. Rows cut by the
 * crop's side (`clipped`) and all rows after the first cut one go on outward at the slope of the last
 * rows the crop shows in full (the trapezius' slope; 45 degrees when the cut starts at the neck),
 * rounding into `maxReach`; `moreRows` rows are added below the crop, straight down where the side
 * was never cut. An observed reach is a lower bound: the result is never narrower than the matte.
 */
export function extendEdge(
  reach: readonly number[],
  clipped: readonly boolean[],
  maxReach: number,
  rowStep: number,
  moreRows: number,
): number[] {
  const n = reach.length;
  const out = [...reach];
  const kc = clipped.indexOf(true);
  if (kc < 0) {
    for (let k = 0; k < moreRows; k++) out.push(reach[n - 1]);
    return out;
  }
  const m = Math.min(8, kc - 1);
  const slope = m >= 2 ? (reach[kc - 1] - reach[kc - 1 - m]) / m : rowStep;
  const perRow = Math.min(2 * rowStep, Math.max(0.3 * rowStep, slope));
  const from = kc > 0 ? reach[kc - 1] : reach[0];
  const top = Math.max(from, maxReach);
  for (let k = kc; k < n + moreRows; k++) {
    const grown = smoothMin(from + perRow * (k - kc + 1), top, 0.15 * top);
    out[k] = Math.max(k < n ? reach[k] : 0, grown);
  }
  return out;
}

/**
 * Thinnest a shoulder section above the chin gets, relative to the neck tuck's half-depth there (its
 * top rows, where the shoulders' top surface meets their back, have next to no depth).
 */
const RISE_MIN_DEPTH = 0.35;
/** Without an elevation to place them by, such sections pass through the neck at this share of its depth. */
const RISE_LEVEL_DEPTH = 0.7;

/** Shoulder pixels a row above the chin needs to count. */
const MIN_SHOULDER_PIXELS = 3;

/**
 * Shoulders above the chin. Seen from above, the shoulders' tops rise beside the head, above the chin's
 * row, where the stub (which starts at the chin) did not reach: the front view lost the sides of the
 * shoulders there, a flat-topped collar under a bowl of shoulders. Going up from the chin's row, for at
 * most `maxRisePx`, each row's extent [left, right) (crop columns) of the `shoulder` pixels (the caller's
 * mask: the body beside the head, build.ts shoulderPixels) while the row has some; index 0 the row just
 * above the chin.
 */
export function shouldersAboveChin(
  shoulder: Uint8Array,
  chinRow: number,
  rowStep: number,
  maxRisePx: number,
): [number, number][] {
  const out: [number, number][] = [];
  for (let v = chinRow - rowStep; v >= Math.max(0, chinRow - maxRisePx); v -= rowStep) {
    let l = CROP;
    let r = -1;
    let count = 0;
    for (let u = 0; u < CROP; u++) {
      if (!shoulder[v * CROP + u]) continue;
      count++;
      l = Math.min(l, u);
      r = Math.max(r, u + 1);
    }
    if (count < MIN_SHOULDER_PIXELS) break;
    out.push([l, r]);
  }
  return out;
}

/** Shoulders beside the head above the chin: where they are, and how far up they may reach. */
export interface ShoulderRise {
  /** [CROP*CROP] 1 where a pixel is the body beside the head (not face, ears, neck or hair). */
  pixels: Uint8Array;
  maxRisePx: number;
}

/**
 * The neck where a camera well above cannot measure it (hidden behind the chin, the shoulders beside
 * it on the same rows; body-priors.ts hiddenNeck): sections whose centre projects above `baseRow`
 * (image row of the neck's base on the stub's axis) are the neck, at most `halfWidth` across about
 * `centreU`, and those below are the body, carved to the matte (torso-carve.ts carveBelowHiddenNeck).
 */
export interface NeckPrior {
  baseRow: number;
  halfWidth: number;
  /** Image column of the neck's axis (the matte's run on the chin's row has the shoulders beside it). */
  centreU: number;
}

/** How the stub is read from the matte, beyond the neck's start (all optional). */
export interface TorsoOptions {
  /** tan of the input camera's elevation (default 0: a level camera). */
  zSlope?: number;
  /** Image rows per section (default 2). */
  rowStep?: number;
  /** The body past the crop (default none: the stub ends with the matte). */
  beyond?: BeyondFrame | null;
  /** The matte's width and the crop's first column in it (default: the crop alone). */
  plane?: { width: number; left: number };
  /** Shoulders beside the head above the chin, for a camera above that sees the neck (default none). */
  shoulders?: ShoulderRise | null;
  /** The neck's prior, for a camera well above that cannot see it (default none). */
  neck?: NeckPrior | null;
  /**
   * [plane.width * rows] 1 on the body the stub should show in the input view (head-masks.ts
   * bodyPixels), or null: below a hidden neck, the body's sections are carved to show it.
   */
  target?: Uint8Array | null;
  /**
   * The body's reach from the neck's axis (px) at a number of image rows below the chin, where hair
   * forms a row's outline and hides the body's (body-priors.ts bodyReachPrior), or null: the body
   * then reaches to its outermost non-hair pixel.
   */
  reachUnderHair?: ((belowChinPx: number) => number) | null;
}

/**
 * @param matte the portrait's matte over `plane` ([plane.width * rows], crop column u at u + plane.left):
 *   the crop, or the portrait plane with the photo round it (portrait-plane.ts planeMatte); `regions`
 *   likewise, or null.
 * @param startRow image row where the neck starts (the chin); the stub is extended `overlapPx` above
 *   it so it tucks into the head.
 * @param startU image column of the neck's centre at the chin.
 */
export function buildTorso(
  matte: Float32Array,
  regions: Uint8Array | null,
  startRow: number,
  startU: number,
  zCentre: number,
  maxHalfDepth: number,
  overlapPx: number,
  opts: TorsoOptions = {},
): TorsoStub | null {
  const {
    zSlope = 0,
    rowStep = 2,
    beyond = null,
    plane = { width: CROP, left: 0 },
    neck = null,
    target = null,
    reachUnderHair = null,
  } = opts;
  // Seen from well above, the neck under the chin is hidden: it is the prior's, and the body below it
  // is carved to the matte (torso-carve.ts); the shoulders beside the head are that body's backs.
  const hiddenNeck = zSlope > 0 ? neck : null;
  const shoulders = hiddenNeck ? null : (opts.shoulders ?? null);
  // Runs are found in plane columns x (crop column u = x - left) and kept in crop columns.
  const xs: number[] = [];
  const ws: number[] = [];
  const lefts: number[] = [];
  const rights: number[] = [];
  const { width: W, left: L } = plane;
  let centre = startU + L;
  // The matte's rows: the crop's, and the photo's under it when the plane holds them.
  const rows = matte.length / W;
  const v0 = Math.max(0, Math.round(startRow));
  for (let v = v0; v < rows; v += rowStep) {
    const fg = (x: number) => {
      const i = v * W + x;
      return matte[i] >= 0.5 && !(regions !== null && regions[i] === REGION.hair);
    };
    // The foreground run containing (or nearest to) the previous row's centre.
    let seed = -1;
    for (let d = 0; d < CROP / 4 && seed < 0; d++) {
      const c0 = Math.round(centre);
      if (c0 - d >= 0 && c0 - d < W && fg(c0 - d)) seed = c0 - d;
      else if (c0 + d >= 0 && c0 + d < W && fg(c0 + d)) seed = c0 + d;
    }
    if (seed < 0) break;
    // The body's run is the matte's run through it trimmed to its outermost non-hair pixels: hair
    // beside the neck is not neck, but long hair hanging in front of the shoulders is not a gap in
    // them either. Where hair forms the outline, the body behind it reaches the prior's width from
    // the neck's axis (within the matte's run, and no less than its non-hair pixels show).
    let l = seed;
    let r = seed;
    while (l > 0 && matte[v * W + l - 1] >= 0.5) l--;
    while (r < W - 1 && matte[v * W + r + 1] >= 0.5) r++;
    const [lMatte, rMatte] = [l, r];
    while (l < seed && !fg(l)) l++;
    while (r > seed && !fg(r)) r--;
    if (reachUnderHair) {
      const reach = reachUnderHair(v - startRow);
      const axis = startU + L;
      if (l > lMatte) l = Math.max(lMatte, Math.min(l, Math.round(axis - reach)));
      if (r < rMatte) r = Math.min(rMatte, Math.max(r, Math.round(axis + reach) - 1));
    }
    xs.push((l + r + 1) / 2 - L);
    ws.push((r + 1 - l) / 2);
    lefts.push(l - L);
    rights.push(r + 1 - L);
    centre = (l + r + 1) / 2;
  }
  if (xs.length < 2) return null;
  // The body reaches the matte's last row: it goes on below the picture.
  const openBelow = v0 + xs.length * rowStep >= rows;
  if (beyond) {
    // The body goes on past the crop: shoulders the crop's sides cut, the chest below its bottom.
    const neck = Math.min(...ws.slice(0, Math.max(1, Math.ceil(beyond.neckSearchPx / rowStep))));
    const axis = xs[ws.indexOf(neck)];
    // Below the crop only when the body reaches its bottom: a bust or cut-out that ends inside the
    // picture ends there.
    const lastRow = v0 + (xs.length - 1) * rowStep;
    const moreRows =
      lastRow + rowStep >= rows ? Math.max(0, Math.ceil((beyond.bottomRow - lastRow) / rowStep)) : 0;
    const lo = extendEdge(
      lefts.map((l) => axis - l),
      lefts.map((l) => l <= -L),
      beyond.maxHalfWidth,
      rowStep,
      moreRows,
    );
    const hi = extendEdge(
      rights.map((r) => r - axis),
      rights.map((r) => r >= W - L),
      beyond.maxHalfWidth,
      rowStep,
      moreRows,
    );
    xs.length = 0;
    ws.length = 0;
    for (let k = 0; k < lo.length; k++) {
      xs.push(axis + (hi[k] - lo[k]) / 2);
      ws.push((hi[k] + lo[k]) / 2);
    }
  }
  // Smooth along the rows (a 5-tap median, then a (2 * ROW_SMOOTH + 1)-tap box) so ragged matte
  // edges (hair or beard labels nibbling at the neck's run) do not become ridges or a stepped nape.
  const xsM = median5(xs);
  const wsM = median5(ws);
  const n = xs.length;
  const rise = shoulders ? shouldersAboveChin(shoulders.pixels, v0, rowStep, shoulders.maxRisePx) : [];
  const extra = Math.max(Math.ceil(overlapPx / rowStep), rise.length);
  const total = n + extra;
  const centreX = new Float32Array(total);
  const halfWidth = new Float32Array(total);
  const halfDepth = new Float32Array(total);
  for (let k = 0; k < n; k++) {
    let sx = 0;
    let sw = 0;
    let c = 0;
    for (let q = Math.max(0, k - ROW_SMOOTH); q <= Math.min(n - 1, k + ROW_SMOOTH); q++) {
      sx += xsM[q];
      sw += wsM[q];
      c++;
    }
    centreX[k + extra] = sx / c - CROP / 2;
    halfWidth[k + extra] = sw / c;
  }
  // The neck is the narrowest section within 0.75 face widths below the chin, above the shoulders
  // (the search stops where the body has widened past NECK_TO_SHOULDERS x the narrowest so far: a
  // tight crop's body can end, narrowing, within that span, and its last thin row taken for the neck
  // held the whole body to that row's depth, a flat board from the side). Sections above it (the
  // jaw's rows) keep the matte's width, so the front view covers the matte, but no more depth than the
  // neck's: a full-depth ellipse there would stick out under the chin like a shelf.
  let kNeck = extra;
  const neckSearch = Math.min(total - 1, extra + Math.ceil((overlapPx * 2.5) / rowStep));
  for (let k = extra; k <= neckSearch; k++) {
    if (halfWidth[k] > NECK_TO_SHOULDERS * halfWidth[kNeck]) break;
    if (halfWidth[k] < halfWidth[kNeck]) kNeck = k;
  }
  for (let k = 0; k < total; k++) halfDepth[k] = Math.min(halfWidth[k], maxHalfDepth);
  for (let k = 0; k < kNeck; k++) halfDepth[k] = Math.min(halfDepth[k], halfDepth[kNeck]);
  // Below the neck the body gets deeper no faster than DEPTH_GROWTH per unit of height: the
  // trapezius and the chest slope away from the neck. A depth that jumps to the chest's within a few
  // rows is a flat shelf round the neck (a collar plate from behind or above).
  for (let k = kNeck + 1; k < total; k++)
    halfDepth[k] = Math.min(halfDepth[k], halfDepth[k - 1] + DEPTH_GROWTH * rowStep);
  // The overlap above the chin only has to tuck into the head: OVERLAP_CHIN_SCALE x the neck at the
  // chin, narrowing (quadratically) to OVERLAP_TOP_SCALE at its top, so its top ring ends inside the head instead of
  // showing as a horizontal edge under the jaw in the 15..45 degree views.
  const neckHalfWidth = Math.min(halfWidth[extra], halfWidth[kNeck], hiddenNeck ? hiddenNeck.halfWidth : Infinity);
  const zShift = new Float32Array(total);
  // The shoulders a camera above sees beside the head lie under a horizontal top surface: in G (the
  // camera's frame, tilted by the elevation e) a plane whose depth falls by 1 / tan(e) per unit of
  // height, meeting the body's back (the axis's depth less the chest's) at the highest row they show.
  // A row of them is the body between its back and that plane: a wedge that deepens by
  // (tan e + 1 / tan e) per unit below the top row, up to the neck's front. (As full sections on the
  // neck's axis they stood up beside the head as a plate round the crown from behind; as thin ones
  // through the neck, they were a collar ring, and the back views lost the shoulders.)
  // A body maxHalfDepth deep has its shoulders' top under the chin's height in the world: seen from
  // elevation e, no higher in the image than maxHalfDepth sin(2e) / 2 above the chin's row. Rows the
  // portrait shows above that (a raised collar beside the jaw; at 20 degrees the "shoulders" reached 74
  // px up and stood behind the head as a hoop at mouth height) stay thin plates through the neck.
  const maxRisePx = (maxHalfDepth * zSlope) / (1 + zSlope * zSlope);
  const kTop = Math.max(extra - rise.length, extra - Math.floor(maxRisePx / rowStep));
  const wedgePerPx = zSlope > 0 ? zSlope + 1 / zSlope : 0;
  for (let k = 0; k < extra; k++) {
    // Quadratic: the neck keeps its width under the jaw and narrows near the top only.
    const taper = OVERLAP_CHIN_SCALE - (OVERLAP_CHIN_SCALE - OVERLAP_TOP_SCALE) * (1 - k / extra) ** 2;
    centreX[k] = centreX[extra];
    halfWidth[k] = neckHalfWidth * taper;
    halfDepth[k] = Math.min(neckHalfWidth, halfDepth[kNeck]) * taper;
    const r = rise[extra - 1 - k];
    if (r) {
      const l = Math.min(r[0], centreX[k] + CROP / 2 - halfWidth[k]);
      const rr = Math.max(r[1], centreX[k] + CROP / 2 + halfWidth[k]);
      centreX[k] = (l + rr) / 2 - CROP / 2;
      halfWidth[k] = (rr - l) / 2;
      if (wedgePerPx > 0 && k >= kTop) {
        // From the body's back to the top surface, and no further forward than the neck's front (a
        // bound: in front of the neck the wedge would stand before the jaw in the input view).
        const tuck = halfDepth[k];
        const depth = Math.min(maxHalfDepth + tuck, (k - kTop) * rowStep * wedgePerPx);
        const hd = Math.max(RISE_MIN_DEPTH * tuck, depth / 2);
        halfDepth[k] = hd;
        zShift[k] = -maxHalfDepth + hd;
      } else halfDepth[k] *= RISE_LEVEL_DEPTH;
    }
  }
  // zCentre is where the stub meets the chin (section `extra`); the slope is measured from there.
  const stub: TorsoStub = {
    yTop: CROP / 2 - (v0 - extra * rowStep),
    rowStep,
    centreX,
    halfWidth,
    halfDepth,
    zCentre: zCentre + extra * rowStep * zSlope,
    zSlope,
    yaw: 0,
    chin: extra,
    zShift,
    riseFrom: rise.length > 0 && wedgePerPx > 0 ? kTop : extra,
    // Level in the world seen from below or from well above. A camera above that sees the neck keeps
    // the sections square to its axis: the shoulders it sees beside the head are wedges cut in its
    // frame (above), levelled they stood out under the chin as plates at 10 degrees (the elevation
    // sweep's 10 degrees 19.9 -> 19.1 dB); and without them, levelled sections at 8 degrees (hq-0001)
    // showed 0.6% teeth in the expression rig's open mouth (tests/animation: over 1.5%, measured 3-8%)
    // and put the run's landmarks further off the head's surface; not traced (the torso's Gaussians
    // also change the optimisation's random draws).
    tilt: hiddenNeck || zSlope < 0 ? Math.atan(zSlope) : 0,
    back: new Float32Array(total),
  };
  if (hiddenNeck) carveBelowHiddenNeck(stub, { width: W, left: L, matte, openBelow }, hiddenNeck, target, maxHalfDepth);
  return stub;
}
