/**
 * What the portrait shows at the sides of a body part carries on round its back: a jacket seen at the
 * shoulders is the jacket at the back, a cap band seen at the temples is the band at the back of the
 * head. A pull-push fill instead averages everything observed (shirt front, tie, neck skin) into one
 * muddy colour over the back.
 *
 * Per atlas row: the observed span [xL, xR] of member texels (weight > MIN_WEIGHT; the front is centred
 * at x = W/2 and never wraps), the median colour of the outermost BAND_SHARE of that span on each side,
 * smoothed over rows (rows without members take the nearest row's). Outside the span the colour goes
 * from the right side's to the left side's round the back (x wraps at W).
 *
 * Layouts: colour Float32Array [rows*W*3] straight RGB, weight Float32Array [rows*W], member
 * Uint8Array [rows*W]; results [rows*W*3] and [rows*W].
 */

/** Texels at least this well observed define the span and the side colours. */
const MIN_WEIGHT = 0.5;
/** Each side band is this share of the row's observed span (at least MIN_BAND texels). */
const BAND_SHARE = 0.12;
const MIN_BAND = 6;
/** Half-width (rows) of the smoothing of the side colours along the rows. */
const ROW_SMOOTH = 8;

export interface SideContinuation {
  /** Colour continued round the back [rows*W*3]; inside the observed span, the span's side blend. */
  colour: Float32Array;
  /** 0 inside the observed span, 0.5 at its edges, 1 a side band beyond them [rows*W]; 1 on rows without members. */
  outside: Float32Array;
  /** False when no row had members: nothing to continue. */
  any: boolean;
}

function median(values: number[]): number {
  const s = Float32Array.from(values).sort();
  return s[s.length >> 1];
}

export function continueSides(colour: Float32Array, weight: Float32Array, member: Uint8Array, W: number, rows: number): SideContinuation {
  const n = W * rows;
  if (colour.length !== n * 3 || weight.length !== n || member.length !== n) throw new RangeError('continueSides: buffer sizes do not match W x rows');
  const xL = new Int32Array(rows).fill(-1);
  const xR = new Int32Array(rows).fill(-1);
  const side = new Float32Array(rows * 6); // per row: left RGB, right RGB
  const has = new Uint8Array(rows);
  for (let y = 0; y < rows; y++) {
    let lo = -1, hi = -1;
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      if (!member[i] || weight[i] <= MIN_WEIGHT) continue;
      if (lo < 0) lo = x;
      hi = x;
    }
    if (lo < 0) continue;
    const band = Math.max(MIN_BAND, Math.round(BAND_SHARE * (hi - lo + 1)));
    for (const [s, a, b] of [[0, lo, lo + band], [1, hi - band, hi]] as const) {
      const ch: number[][] = [[], [], []];
      for (let x = Math.max(0, a); x <= Math.min(W - 1, b); x++) {
        const i = y * W + x;
        if (!member[i] || weight[i] <= MIN_WEIGHT) continue;
        for (let c = 0; c < 3; c++) ch[c].push(colour[i * 3 + c]);
      }
      for (let c = 0; c < 3; c++) side[y * 6 + s * 3 + c] = median(ch[c]);
    }
    xL[y] = lo;
    xR[y] = hi;
    has[y] = 1;
  }
  const out: SideContinuation = { colour: new Float32Array(n * 3), outside: new Float32Array(n), any: has.some((h) => h === 1) };
  if (!out.any) return out;
  // Smooth along the rows over rows with data, then give empty rows the nearest row's values.
  const smooth = new Float32Array(rows * 6);
  for (let y = 0; y < rows; y++) {
    if (!has[y]) continue;
    let cnt = 0;
    for (let k = Math.max(0, y - ROW_SMOOTH); k <= Math.min(rows - 1, y + ROW_SMOOTH); k++) {
      if (!has[k]) continue;
      cnt++;
      for (let c = 0; c < 6; c++) smooth[y * 6 + c] += side[k * 6 + c];
    }
    for (let c = 0; c < 6; c++) smooth[y * 6 + c] /= cnt;
  }
  const nearest = new Int32Array(rows).fill(-1);
  for (let y = 0; y < rows; y++) {
    let best = -1;
    for (let d = 0; d < rows && best < 0; d++) {
      if (y - d >= 0 && has[y - d]) best = y - d;
      else if (y + d < rows && has[y + d]) best = y + d;
    }
    nearest[y] = best;
  }
  for (let y = 0; y < rows; y++) {
    const src = nearest[y];
    const lo = xL[src];
    const hi = xR[src];
    const gap = W - (hi - lo); // texels round the back from hi to lo
    const band = Math.max(MIN_BAND, Math.round(BAND_SHARE * (hi - lo + 1)));
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      let t: number; // 0 = right side colour, 1 = left side colour
      let outside: number;
      if (x >= lo && x <= hi) {
        t = hi > lo ? (hi - x) / (hi - lo) : 0.5;
        // Already half way at the span's edge: the edge texels are only partly observed.
        outside = 0.5 * Math.max(0, 1 - Math.min(x - lo, hi - x) / band);
      } else {
        const d = (x - hi + W) % W; // texels past the right edge going round the back
        t = d / gap;
        outside = Math.min(1, 0.5 + (0.5 * Math.min(d, gap - d)) / band);
      }
      const s = t * t * (3 - 2 * t);
      for (let c = 0; c < 3; c++) out.colour[i * 3 + c] = smooth[src * 6 + 3 + c] * (1 - s) + smooth[src * 6 + c] * s;
      out.outside[i] = has[y] ? outside : 1;
    }
  }
  return out;
}

/** Rows at the bottom of a column's observed run whose median colour carries on below it. */
const DOWN_BAND = 6;
/** Rows below the last observed one over which the continuation takes over (0 -> 1). */
const DOWN_RAMP = 3;

export interface DownContinuation {
  /** Colour carried down each column [rows*W*3]; meaningful where `below` > 0. */
  colour: Float32Array;
  /** 0 on and above a column's lowest observed member texel, rising to 1 DOWN_RAMP rows below it; 0 in columns with none [rows*W]. */
  below: Float32Array;
}

/**
 * What the portrait shows at its bottom edge carries on below it: the body past the crop's bottom is
 * the garment the last rows show, column by column (a shirt's placket stays under the collar, a
 * jacket's lapel under the lapel), not the sides' colours blended across the chest. Per atlas column:
 * the lowest member texel (weight > MIN_WEIGHT), the median colour of the member texels among the
 * DOWN_BAND rows up to it, smoothed over the neighbouring columns; every texel below takes it.
 * Same layouts as continueSides.
 */
export function continueDown(colour: Float32Array, weight: Float32Array, member: Uint8Array, W: number, rows: number): DownContinuation {
  const n = W * rows;
  if (colour.length !== n * 3 || weight.length !== n || member.length !== n) throw new RangeError('continueDown: buffer sizes do not match W x rows');
  const last = new Int32Array(W).fill(-1);
  const col = new Float32Array(W * 3);
  for (let x = 0; x < W; x++) {
    for (let y = rows - 1; y >= 0 && last[x] < 0; y--) {
      const i = y * W + x;
      if (member[i] && weight[i] > MIN_WEIGHT) last[x] = y;
    }
    if (last[x] < 0) continue;
    const ch: number[][] = [[], [], []];
    for (let y = Math.max(0, last[x] - DOWN_BAND + 1); y <= last[x]; y++) {
      const i = y * W + x;
      if (!member[i] || weight[i] <= MIN_WEIGHT) continue;
      for (let c = 0; c < 3; c++) ch[c].push(colour[i * 3 + c]);
    }
    for (let c = 0; c < 3; c++) col[x * 3 + c] = median(ch[c]);
  }
  // A 3-tap mean over the neighbouring columns that have a colour (no wrap: the front never wraps).
  const smooth = new Float32Array(W * 3);
  for (let x = 0; x < W; x++) {
    if (last[x] < 0) continue;
    let cnt = 0;
    for (let k = Math.max(0, x - 1); k <= Math.min(W - 1, x + 1); k++) {
      if (last[k] < 0) continue;
      cnt++;
      for (let c = 0; c < 3; c++) smooth[x * 3 + c] += col[k * 3 + c];
    }
    for (let c = 0; c < 3; c++) smooth[x * 3 + c] /= cnt;
  }
  const out: DownContinuation = { colour: new Float32Array(n * 3), below: new Float32Array(n) };
  for (let x = 0; x < W; x++) {
    if (last[x] < 0) continue;
    for (let y = last[x] + 1; y < rows; y++) {
      const i = y * W + x;
      out.below[i] = Math.min(1, (y - last[x]) / DOWN_RAMP);
      for (let c = 0; c < 3; c++) out.colour[i * 3 + c] = smooth[x * 3 + c];
    }
  }
  return out;
}
