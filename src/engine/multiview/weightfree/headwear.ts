/**
 * A hat or cap on top of the head (Grace Hopper's uniform cap) is not hair: its colours must not be
 * spread over the back of the head as hair, and the hair below it must not take the cap's colour.
 *
 * Detection, in the 512 crop, for a portrait with landmarks:
 *   - side hair: the median colour of the non-skin, non-clothing matte pixels beside the face between
 *     the eyes and the mouth (outside the cheeks), where hair shows even under a cap; none -> no
 *     decision (null);
 *   - rows from the matte's top down to the eyebrows: the median colour over the columns between the
 *     outer eye corners, counted only when the matte covers those columns (a band across the full
 *     head width). A row is headwear-like when that colour is far both from the cheek skin and from
 *     the side hair;
 *   - headwear when the lowest run of headwear-like rows is at least MIN_BAND face widths tall and
 *     reaches down to the forehead (a cap sits on the brow; dark roots at a parting do not), and the
 *     band does not show strands (hair-model.ts showsStrands, the test the hair model puts a crown to):
 *     a cap is cloth. Seen from above, grey hair lit on the crown over darker
 *     sides is a band of another colour too, and a white shirt beside the head passed for the hair
 *     under it (Grace Hopper's cap: 0.5 x the cheek's detail; that grey crown: 2.5 x).
 * The whole head above the band's lower edge (a white crown over a dark band included) is headwear.
 */
import { REGION, type PreprocessResult } from '../../../shared/contracts/preprocess';
import { colourDistance, medianRgb, showsStrands, type Rgb } from './hair-model';
import { isSkinLike, skinDistance } from './skin-colour';
import { CROP, LM } from './landmarks';

export interface Headwear {
  /** Image row (crop pixels) of the headwear's lower edge over the forehead. */
  bottomRow: number;
  /**
   * Image row of its lower edge at the temples (between the outer eye corners and the cheek line):
   * a cap comes down lower at the sides than over the brow, and that lower edge is the one that goes
   * round the back.
   */
  sideBottomRow: number;
  /** Median RGB of the hair beside the face below the headwear. */
  sideHair: Rgb;
  /** Image rows of the side-hair sample and its columns outside the cheeks (for the hair model). */
  sideRows: [number, number];
  sideCols: [number, number];
}

/**
 * Least span between the outer eye corners, as a share of the face's height (forehead contour to
 * chin), for the face to be seen from the front enough to measure a band across it: about 0.45
 * face-on, 0.2 at 65 degrees of yaw, nothing in profile.
 */
const MIN_EYE_SPAN = 0.2;
/** Forehead-contour landmarks (the top of the face mesh). */
const FOREHEAD_CONTOUR = [10, 109, 67, 103, 54, 21, 338, 297, 332, 284, 251];
/** Opponent-space distance from both skin and side hair for a row to look like headwear. */
const HEADWEAR_DISTANCE = 45;
/** The lowest headwear run must be this many face widths tall... */
const MIN_BAND = 0.08;
/** ...and end no higher than this many face widths above the forehead contour's top. */
const MAX_GAP_ABOVE_FOREHEAD = 0.1;
/** Share of the band's columns the matte must cover for a row to count. */
const MIN_COVER = 0.9;
/** The side-hair sample reaches this many face widths below the eyes. */
const SIDE_DEPTH = 0.15;
/** The side-hair sample reaches this many face widths inside the cheek line (hair overlaps it). */
const SIDE_MARGIN = 0.05;
/** Skin tolerance (skin-colour.ts measure) of the side-hair sample: wide, so shadowed ears stay out. */
const SIDE_SKIN_TOLERANCE = 0.7;

/**
 * Median over the temple columns ([cheekL, bandL) and (bandR, cheekR]) of the lowest row, going down
 * from `fromRow`, that is still headwear-coloured without a gap; `fromRow` when none is.
 */
function sideBottom(pre: PreprocessResult, band: Rgb, fromRow: number, bandL: number, bandR: number, cheekL: number, cheekR: number): number {
  const img = pre.image512.data;
  const lows: number[] = [];
  for (let u = Math.max(0, Math.round(cheekL)); u <= Math.min(CROP - 1, Math.round(cheekR)); u++) {
    if (u >= bandL && u <= bandR) continue;
    let v = fromRow;
    while (v < CROP) {
      const i = v * CROP + u;
      if (colourDistance(img[i * 4], img[i * 4 + 1], img[i * 4 + 2], band) >= HEADWEAR_DISTANCE) break;
      v++;
    }
    lows.push(v);
  }
  if (lows.length === 0) return fromRow;
  lows.sort((a, b) => a - b);
  return lows[lows.length >> 1];
}

/**
 * The less saturated half of a pixel list [n*3]: what is left of shadowed skin at the hair's edge
 * (ears, temples) is more saturated than the hair around it, whatever the hair's colour.
 */
function leastSaturatedHalf(px: number[]): number[] {
  const n = px.length / 3;
  const sat = (k: number) => {
    const mx = Math.max(px[k * 3], px[k * 3 + 1], px[k * 3 + 2]);
    return mx > 0 ? (mx - Math.min(px[k * 3], px[k * 3 + 1], px[k * 3 + 2])) / mx : 0;
  };
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => sat(a) - sat(b));
  return order.slice(0, Math.max(1, n >> 1)).flatMap((k) => [px[k * 3], px[k * 3 + 1], px[k * 3 + 2]]);
}

export function detectHeadwear(pre: PreprocessResult, skin: Rgb, debug?: (m: string) => void): Headwear | null {
  const lm = pre.face?.landmarks;
  if (!lm) return null;
  const img = pre.image512.data;
  const matte = pre.matte512.data;
  const x = (i: number) => lm[i * 3];
  const y = (i: number) => lm[i * 3 + 1];
  const faceWidth = Math.abs(x(LM.leftCheekSide) - x(LM.rightCheekSide));
  const eyeRow = (y(LM.rightEyeOuter) + y(LM.leftEyeOuter)) / 2;
  const foreheadRow = Math.min(...FOREHEAD_CONTOUR.map(y));
  const bandL = Math.round(Math.min(x(LM.rightEyeOuter), x(LM.leftEyeOuter)));
  const bandR = Math.round(Math.max(x(LM.rightEyeOuter), x(LM.leftEyeOuter)));
  // The band and the sides are measured across the face: a face seen side-on (a profile's landmarks,
  // its eye corners a few pixels apart) has no band to measure, and a 1-pixel "band" of short hair
  // with no strands to show was taken for a cap (the hair then painted skin-coloured round the head).
  if (bandR - bandL < MIN_EYE_SPAN * Math.abs(y(LM.chin) - foreheadRow)) return null;
  const browRow = Math.round(eyeRow - 0.12 * faceWidth);
  // A second skin reference, the forehead's (often lit differently from the cheeks): skin-labelled
  // pixels between the forehead contour and the brows.
  const foreheadPx: number[] = [];
  for (let v = Math.max(0, Math.round(foreheadRow)); v <= browRow; v++) {
    for (let u = bandL; u <= bandR; u++) {
      const i = v * CROP + u;
      if (matte[i] > 0.9 && pre.regions[i] === REGION.skin) foreheadPx.push(img[i * 4], img[i * 4 + 1], img[i * 4 + 2]);
    }
  }
  const foreheadSkin = medianRgb(foreheadPx) ?? skin;
  const skinLike = (m: Rgb) => isSkinLike(m[0], m[1], m[2], skin) || isSkinLike(m[0], m[1], m[2], foreheadSkin) || colourDistance(m[0], m[1], m[2], skin) < HEADWEAR_DISTANCE || colourDistance(m[0], m[1], m[2], foreheadSkin) < HEADWEAR_DISTANCE;
  // Row colours over the band between the outer eye corners.
  const rowColour: (Rgb | null)[] = [];
  let lowestRunEnd = -1;
  let lowestRunLength = 0;
  let run = 0;
  for (let v = 0; v <= browRow; v++) {
    const px: number[] = [];
    for (let u = bandL; u <= bandR; u++) {
      const i = v * CROP + u;
      if (matte[i] > 0.9) px.push(img[i * 4], img[i * 4 + 1], img[i * 4 + 2]);
    }
    const m = px.length / 3 >= MIN_COVER * (bandR - bandL + 1) ? medianRgb(px) : null;
    rowColour.push(m);
    const like = m !== null && !skinLike(m);
    if (debug && v % 8 === 0) debug(`row ${v}: ${m ? m.map(Math.round).join(',') : '-'} ${like ? 'headwear-like' : ''}`);
    if (like) {
      run++;
      lowestRunEnd = v;
      lowestRunLength = run;
    } else run = 0;
  }
  debug?.(`lowest run ends ${lowestRunEnd} (${lowestRunLength} rows), forehead ${foreheadRow.toFixed(0)}, face width ${faceWidth.toFixed(0)}`);
  if (lowestRunEnd < 0 || lowestRunLength < MIN_BAND * faceWidth) return null;
  if (lowestRunEnd < foreheadRow - MAX_GAP_ABOVE_FOREHEAD * faceWidth) return null;
  // The band's own colour: its lowest MIN_BAND face widths of rows.
  const bandPx: number[] = [];
  for (let v = Math.round(lowestRunEnd - MIN_BAND * faceWidth); v <= lowestRunEnd; v++) {
    const m = rowColour[v];
    if (m) bandPx.push(...m);
  }
  const band = medianRgb(bandPx);
  if (!band) return null;
  if (showsStrands(pre, [Math.round(lowestRunEnd - MIN_BAND * faceWidth), lowestRunEnd + 1], [bandL, bandR + 1])) return null;
  // Beside the face at eye level (outside the cheek line, below the band): hair under a cap, more of
  // the same hair under a fringe.
  const cheekL = Math.min(x(LM.rightCheekSide), x(LM.leftCheekSide));
  const cheekR = Math.max(x(LM.rightCheekSide), x(LM.leftCheekSide));
  const sideRows: [number, number] = [lowestRunEnd + 1, Math.round(eyeRow + SIDE_DEPTH * faceWidth)];
  const sideCols: [number, number] = [Math.round(cheekL + SIDE_MARGIN * faceWidth), Math.round(cheekR - SIDE_MARGIN * faceWidth)];
  const side: number[] = [];
  for (let v = sideRows[0]; v < Math.min(CROP, sideRows[1]); v++) {
    for (let u = 0; u < CROP; u++) {
      if (u >= sideCols[0] && u <= sideCols[1]) continue;
      const i = v * CROP + u;
      const r = img[i * 4], g = img[i * 4 + 1], b = img[i * 4 + 2];
      // Not skin (ears and temples in shadow included: a wide tolerance), not the band's own colour
      // where it comes down at the sides, not the glasses' dark frames, not clothing (a camera above
      // sees the shoulders beside the face: a white shirt there made a grey crown a "cap").
      if (matte[i] <= 0.9 || pre.regions[i] === REGION.clothing) continue;
      if (skinDistance(r, g, b, skin) < SIDE_SKIN_TOLERANCE || skinDistance(r, g, b, foreheadSkin) < SIDE_SKIN_TOLERANCE) continue;
      if (colourDistance(r, g, b, band) < HEADWEAR_DISTANCE) continue;
      side.push(img[i * 4], img[i * 4 + 1], img[i * 4 + 2]);
    }
  }
  const sideHair = side.length >= 3 * 40 ? medianRgb(leastSaturatedHalf(side)) : null;
  debug?.(`band ${band?.map(Math.round).join(',')}, side hair ${sideHair?.map(Math.round).join(',')} (${side.length / 3} px)`);
  if (!sideHair || colourDistance(band[0], band[1], band[2], sideHair) < HEADWEAR_DISTANCE) return null;
  return { bottomRow: lowestRunEnd + 1, sideBottomRow: sideBottom(pre, band, lowestRunEnd + 1, bandL, bandR, cheekL, cheekR), sideHair, sideRows, sideCols };
}
