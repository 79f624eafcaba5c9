/**
 * What the body is where the portrait does not show it: the shoulders' reach and the bust's length
 * past the crop, how far shoulders rise beside the head seen from above, the neck a camera well above
 * cannot see, and a profile's unseen width.
 */
import { smoothstep } from '../../../shared/smoothstep';
import type { NeckPrior, TorsoStub } from './torso';

/**
 * The body past the crop, in face widths (the landmarks' cheek-to-cheek width, ~14 cm): the shoulders
 * reach ~23 cm from the body's axis (biacromial breadth with the deltoids, ~46 cm), and the bust goes
 * on to the chest, ~28 cm below the chin.
 */
export const SHOULDER_REACH = 1.6;
export const BUST_BELOW_CHIN = 2.0;
/**
 * From this input-camera elevation (degrees) the shoulders' tops can show above the chin's row, by up
 * to SHOULDER_RISE face widths (the acromion is ~11 cm below the chin's height, ~0.8 face widths; seen
 * from 40 degrees above, its top shows ~0.5 face widths higher in the picture).
 */
export const SHOULDERS_RISE_FROM_DEG = 8;
export const SHOULDER_RISE = 0.6;

/**
 * The neck where the portrait cannot measure it, in face widths: NECK_HALF_WIDTH across down to
 * NECK_BELOW_CHIN under the chin's height, where the body starts (a trapezius meets the neck ~4 cm
 * under the chin). A camera above sees the chin in front of the neck hide it: where less than
 * NECK_SHOWN of it shows under the chin's row, the neck is the prior's.
 */
export const NECK_HALF_WIDTH = 0.35;
export const NECK_BELOW_CHIN = 0.3;
export const NECK_SHOWN = 0.1;
/**
 * The neck's prior for a camera `elevationDeg` above, in the torso stub's terms, or null where the
 * portrait shows the neck (NECK_SHOWN): the image row where the stub's axis (`chinAhead` px of depth
 * behind the chin, on the chin's row `chinRow`, in column `neckU`) reaches the neck's base. On the
 * chin's row the axis is chinAhead sin(e) lower in the world than the chin; a height h lower shows
 * h cos(e) rows further down.
 */
export function hiddenNeck(
  chinRow: number,
  neckU: number,
  chinAhead: number,
  faceWidth: number,
  elevationDeg: number,
): NeckPrior | null {
  const e = (elevationDeg * Math.PI) / 180;
  const shown = (NECK_BELOW_CHIN * faceWidth - chinAhead * Math.sin(e)) * Math.cos(e);
  if (shown > NECK_SHOWN * faceWidth) return null;
  return {
    baseRow: chinRow + shown,
    halfWidth: NECK_HALF_WIDTH * faceWidth,
    centreU: neckU,
  };
}

/**
 * The acromion (the shoulder's top, where the trapezius line from the neck ends) lies ~11 cm below the
 * chin's height, about this many face widths.
 */
export const ACROMION_BELOW_CHIN = 0.8;

/**
 * How far the body reaches sideways from the neck's axis (px) at `belowChinPx` image rows under the
 * chin, where the portrait cannot see it: the neck's half-width down to the neck's base, then along
 * the trapezius to the shoulders' reach at the acromion's height. Long hair over the shoulders hides
 * the body's outline: the matte's width there is the hair's, and a body built to it stood as wide as
 * the hair right under the chin, a plate that carried the hair's strands as bands from the side.
 */
export function bodyReachPrior(belowChinPx: number, faceWidth: number): number {
  const t = Math.min(
    1,
    Math.max(0, (belowChinPx / faceWidth - NECK_BELOW_CHIN) / (ACROMION_BELOW_CHIN - NECK_BELOW_CHIN)),
  );
  return (NECK_HALF_WIDTH + (SHOULDER_REACH - NECK_HALF_WIDTH) * t) * faceWidth;
}

/** A profile's unseen lateral extent: the neck's down to this many face widths below the chin, the shoulders' from this one. */
export const PROFILE_NECK_TO = 0.3;
export const PROFILE_SHOULDERS_AT = 1.1;

/**
 * Profile input: the torso stub's image-horizontal extent is its front-back depth, so its sections
 * need two corrections before the front views see them:
 *   - a collar or chest seen from the side reaches forward past the chin, where it would cover the
 *     lower face: every section's forward edge (along `facing`, G x) is held at `limitForward`;
 *   - its lateral extent (G z) is unseen: the body's prior, a neck's half-width (NECK_HALF_WIDTH)
 *     down to PROFILE_NECK_TO face widths below the chin, widening to the shoulders' reach
 *     (SHOULDER_REACH) by PROFILE_SHOULDERS_AT. The stub's own depth prior (a chest's depth, for a
 *     frontal portrait) made the body a narrow column from the front.
 */
export function fitTorsoToProfile(
  torso: TorsoStub,
  facing: -1 | 1,
  limitForward: number,
  chinY: number,
  faceWidth: number,
): void {
  for (let k = 0; k < torso.centreX.length; k++) {
    const c = facing * torso.centreX[k];
    const back = c - torso.halfWidth[k];
    const front = Math.max(back + 1, Math.min(c + torso.halfWidth[k], limitForward));
    torso.centreX[k] = (facing * (front + back)) / 2;
    torso.halfWidth[k] = (front - back) / 2;
    const below = (chinY - (torso.yTop - k * torso.rowStep)) / faceWidth;
    const neck = NECK_HALF_WIDTH * faceWidth;
    torso.halfDepth[k] =
      neck + (SHOULDER_REACH * faceWidth - neck) * smoothstep(PROFILE_NECK_TO, PROFILE_SHOULDERS_AT, below);
  }
}
