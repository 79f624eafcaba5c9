/**
 * Where the portrait's face midline lies on the head's atlas: the axis the head's colours are mirrored
 * about (appearance.ts, observe.ts vertexProjectionWeights).
 *
 * The head's left-right mirror is phi -> -phi in the fitted head's frame. The portrait's features land
 * on the fitted surface where its lines of sight meet it, and the fit is a few percent of the eye
 * distance off (1-2% on a frontal face, 3-5% on a turned one): the face's midline (bridge, nose, lips,
 * chin) lies a few degrees of azimuth to one side of the head's, and not at the same azimuth at every
 * height (the landmarks seen on a 40-degree view: -2 degrees at the bridge, -7 at the lips). Mirrored
 * about phi = 0, the far half's lips met the near half's off by twice that, a twisted mouth in every
 * view nearer the front. Mirrored about the portrait's own midline, the two halves meet.
 *
 * Output: per head atlas row [HEAD_ROWS], the midline's azimuth (radians), interpolated linearly in the
 * row between the midline landmarks found, held constant above the highest and below the lowest.
 */
import { HEAD_ROWS, ATLAS_WIDTH, atlasAngle } from './proxy';
import { CROP } from './landmarks';

/** Face-mesh landmarks on the face's midline, from the brows to the chin. */
export const MIDLINE_LANDMARKS: readonly number[] = [
  168, 6, 197, 195, 5, 4, 1, 2, 0, 13, 14, 17, 18, 200, 199, 175, 152,
];
/** A landmark's texel must be seen at least this well (observation weight) and project within MAX_MISS_PX of it. */
const MIN_WEIGHT = 0.3;
const MAX_MISS_PX = 1.5;
/** Landmarks further than this from the found ones' median azimuth are left out (the bridge of a turned face seen past its edge). */
const MAX_SPREAD_RAD = (6 * Math.PI) / 180;
/** The midline is used only where this many landmarks are found, and no further than MAX_AXIS_RAD from the head's. */
const MIN_POINTS = 5;
const MAX_AXIS_RAD = (10 * Math.PI) / 180;

/**
 * @param landmarks detected face-mesh landmarks [478*3], crop pixels.
 * @param pos head texels' surface points in the image frame G [HEAD_ROWS * ATLAS_WIDTH * 3] (pixel
 *   (X + CROP / 2, CROP / 2 - Y)).
 * @param weight head texels' observation weight [HEAD_ROWS * ATLAS_WIDTH] (observe.ts).
 * @returns per head atlas row the axis azimuth (radians), or null when too few landmarks are found.
 */
export function textureMidline(
  landmarks: Float32Array,
  pos: Float32Array,
  weight: Float32Array,
): Float32Array | null {
  const n = HEAD_ROWS * ATLAS_WIDTH;
  const found: Array<{ row: number; phi: number }> = [];
  for (const id of MIDLINE_LANDMARKS) {
    const lu = landmarks[id * 3];
    const lv = landmarks[id * 3 + 1];
    let best = -1;
    let bd = MAX_MISS_PX;
    for (let i = 0; i < n; i++) {
      if (weight[i] < MIN_WEIGHT) continue;
      const du = pos[i * 3] + CROP / 2 - lu;
      if (Math.abs(du) >= bd) continue;
      const d = Math.hypot(du, CROP / 2 - pos[i * 3 + 1] - lv);
      if (d < bd) {
        bd = d;
        best = i;
      }
    }
    if (best >= 0) found.push({ row: Math.floor(best / ATLAS_WIDTH), phi: atlasAngle(best % ATLAS_WIDTH) });
  }
  if (found.length < MIN_POINTS) return null;
  const sorted = found.map((f) => f.phi).sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  const kept = found.filter((f) => Math.abs(f.phi - median) <= MAX_SPREAD_RAD).sort((a, b) => a.row - b.row);
  if (kept.length < MIN_POINTS) return null;
  // Several landmarks on one row: their mean.
  const rows: Array<{ row: number; phi: number }> = [];
  for (const k of kept) {
    const last = rows[rows.length - 1];
    if (last && last.row === k.row) last.phi = (last.phi + k.phi) / 2;
    else rows.push({ ...k });
  }
  const clamp = (a: number) => Math.max(-MAX_AXIS_RAD, Math.min(MAX_AXIS_RAD, a));
  const out = new Float32Array(HEAD_ROWS);
  let k = 0;
  for (let y = 0; y < HEAD_ROWS; y++) {
    while (k + 1 < rows.length && rows[k + 1].row <= y) k++;
    const a = rows[k];
    const b = rows[Math.min(rows.length - 1, k + 1)];
    const t = y <= a.row || b.row === a.row ? 0 : Math.min(1, (y - a.row) / (b.row - a.row));
    out[y] = clamp(a.phi + (b.phi - a.phi) * t);
  }
  return out;
}
