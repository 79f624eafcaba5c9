/**
 * ARKit blend-shape captures as CSV, in the layout Epic's Live Link Face app records:
 *   Timecode,BlendShapeCount,EyeBlinkLeft,...,TongueOut[,HeadYaw,HeadPitch,HeadRoll,
 *   LeftEyeYaw,LeftEyePitch,LeftEyeRoll,RightEyeYaw,RightEyePitch,RightEyeRoll]
 * one row per frame. Column names match ARKit's blend-shape names case-insensitively (the app
 * capitalises the first letter). Timecode is SMPTE-like `HH:MM:SS:FF[.fff]` (frames at the take's
 * frame rate, the fraction a sub-frame); a plain number is read as seconds.
 *
 * Pure: no Node, no DOM. The parser gives a typed take; `arkitWeightsAt` samples it at a time (what
 * `headforge animate --arkit` renders per frame).
 */
import { ARKIT_BLENDSHAPES, type ArkitBlendshape } from './arkit';

export const ARKIT_HEAD_COLUMNS = ['HeadYaw', 'HeadPitch', 'HeadRoll'] as const;
export const ARKIT_EYE_COLUMNS = [
  'LeftEyeYaw',
  'LeftEyePitch',
  'LeftEyeRoll',
  'RightEyeYaw',
  'RightEyePitch',
  'RightEyeRoll',
] as const;

export interface ArkitTake {
  /** Frame rate used to read the timecode's frame field (frames per second). */
  fps: number;
  frameCount: number;
  /** Seconds from the first frame, [frameCount]. */
  times: Float64Array;
  /** The 52 names, in ARKIT_BLENDSHAPES order. */
  names: readonly ArkitBlendshape[];
  /** Coefficients [frameCount * 52], frame-major, clamped to [0, 1]. */
  weights: Float32Array;
  /**
   * Head rotation per frame [frameCount * 3] (yaw, pitch, roll) as written in the file, when the take
   * has the three columns. Live Link Face writes them normalised to about [-1, 1]; not converted here.
   */
  head: Float32Array | null;
  /** Eye rotations [frameCount * 6] (left yaw, pitch, roll, right yaw, pitch, roll), raw, when present. */
  eyes: Float32Array | null;
  /** Values outside [0, 1] that were clamped. */
  clamped: number;
}

export class ArkitCsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArkitCsvError';
  }
}

export interface ArkitCsvOptions {
  /** Frame rate of the timecode's frame field; default 60 (Live Link Face records at 60). */
  fps?: number;
  /** Accept takes without some of the 52 shapes (they read as 0); default false: missing is an error. */
  allowMissing?: boolean;
}

function parseTimecode(s: string, fps: number): number {
  const t = s.trim();
  if (/^[-+]?\d+(\.\d+)?$/.test(t)) return Number(t);
  const m = /^(\d+):(\d+):(\d+)[:;.](\d+(?:\.\d+)?)$/.exec(t);
  if (!m) return NaN;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / fps;
}

function splitRow(line: string): string[] {
  return line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

/** Parse a Live Link Face style CSV into a take; throws ArkitCsvError naming what is wrong. */
export function parseArkitCsv(text: string, options: ArkitCsvOptions = {}): ArkitTake {
  const fps = options.fps ?? 60;
  if (!(fps > 0)) throw new ArkitCsvError(`fps must be positive, got ${fps}`);
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new ArkitCsvError('the CSV needs a header row and at least one frame');
  const header = splitRow(lines[0]);
  const lower = header.map((h) => h.toLowerCase());
  const timeCol = lower.indexOf('timecode');
  if (timeCol < 0)
    throw new ArkitCsvError(`no Timecode column (columns: ${header.slice(0, 4).join(', ')}, ...)`);
  const known = new Map<string, string>();
  for (const n of [
    ...ARKIT_BLENDSHAPES,
    ...ARKIT_HEAD_COLUMNS,
    ...ARKIT_EYE_COLUMNS,
    'Timecode',
    'BlendShapeCount',
  ])
    known.set(n.toLowerCase(), n);
  const unknown = header.filter((h, i) => !known.has(lower[i]) || lower.indexOf(lower[i]) !== i);
  if (unknown.length)
    throw new ArkitCsvError(
      `unknown or repeated column${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (expected Timecode, BlendShapeCount, the 52 ARKit blend shapes, optional head and eye rotations)`,
    );
  const shapeCols = ARKIT_BLENDSHAPES.map((n) => lower.indexOf(n.toLowerCase()));
  const missing = ARKIT_BLENDSHAPES.filter((_, k) => shapeCols[k] < 0);
  if (missing.length && !options.allowMissing)
    throw new ArkitCsvError(
      `missing blend-shape column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
    );
  const headCols = ARKIT_HEAD_COLUMNS.map((n) => lower.indexOf(n.toLowerCase()));
  const eyeCols = ARKIT_EYE_COLUMNS.map((n) => lower.indexOf(n.toLowerCase()));
  const hasHead = headCols.every((c) => c >= 0);
  const hasEyes = eyeCols.every((c) => c >= 0);
  if (!hasHead && headCols.some((c) => c >= 0))
    throw new ArkitCsvError(
      `head rotation needs all of ${ARKIT_HEAD_COLUMNS.join(', ')}; missing: ${ARKIT_HEAD_COLUMNS.filter((_, k) => headCols[k] < 0).join(', ')}`,
    );

  const rows = lines.slice(1);
  const n = rows.length;
  const times = new Float64Array(n);
  const weights = new Float32Array(n * ARKIT_BLENDSHAPES.length);
  const head = hasHead ? new Float32Array(n * 3) : null;
  const eyes = hasEyes ? new Float32Array(n * 6) : null;
  let clamped = 0;
  let t0 = 0;
  for (let r = 0; r < n; r++) {
    const cells = splitRow(rows[r]);
    const line = r + 2;
    if (cells.length !== header.length)
      throw new ArkitCsvError(`line ${line}: ${cells.length} values for ${header.length} columns`);
    const t = parseTimecode(cells[timeCol], fps);
    if (!Number.isFinite(t))
      throw new ArkitCsvError(
        `line ${line}: Timecode ${JSON.stringify(cells[timeCol])} is not HH:MM:SS:FF[.fff] or seconds`,
      );
    if (r === 0) t0 = t;
    times[r] = t - t0;
    if (r > 0 && times[r] < times[r - 1])
      throw new ArkitCsvError(`line ${line}: Timecode goes backwards (${cells[timeCol]})`);
    const num = (c: number): number => {
      const v = Number(cells[c]);
      if (cells[c] === '' || !Number.isFinite(v))
        throw new ArkitCsvError(`line ${line}: ${header[c]} is ${JSON.stringify(cells[c])}, not a number`);
      return v;
    };
    for (let k = 0; k < ARKIT_BLENDSHAPES.length; k++) {
      if (shapeCols[k] < 0) continue;
      const v = num(shapeCols[k]);
      const c = Math.min(1, Math.max(0, v));
      if (c !== v) clamped++;
      weights[r * ARKIT_BLENDSHAPES.length + k] = c;
    }
    if (head) for (let k = 0; k < 3; k++) head[r * 3 + k] = num(headCols[k]);
    if (eyes) for (let k = 0; k < 6; k++) eyes[r * 6 + k] = num(eyeCols[k]);
  }
  return { fps, frameCount: n, times, names: ARKIT_BLENDSHAPES, weights, head, eyes, clamped };
}

/** One frame's weights by name (for a rig that takes a name -> weight record). */
export function arkitFrame(take: ArkitTake, frame: number): Record<ArkitBlendshape, number> {
  const out = {} as Record<ArkitBlendshape, number>;
  const base = frame * take.names.length;
  take.names.forEach((n, k) => (out[n] = take.weights[base + k]));
  return out;
}

/** Length of a take in seconds: its last frame's time plus one frame (a 180-row take at 60 fps lasts 3 s). */
export function arkitTakeDuration(take: ArkitTake): number {
  return take.frameCount ? take.times[take.frameCount - 1] + 1 / take.fps : 0;
}

/** The two rows around `tS` seconds and the share s of the second (held before the first and after the last row). */
function rowsAround(take: ArkitTake, tS: number): { a: number; b: number; s: number } {
  const n = take.frameCount;
  const { times } = take;
  if (tS <= times[0]) return { a: 0, b: 0, s: 0 };
  if (tS >= times[n - 1]) return { a: n - 1, b: n - 1, s: 0 };
  // Binary search for the last row at or before tS.
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= tS) lo = mid;
    else hi = mid;
  }
  const span = times[hi] - times[lo];
  return { a: lo, b: hi, s: span > 0 ? (tS - times[lo]) / span : 0 };
}

/** Value k of a row-major table with `stride` values per row, linear between rows a and b. */
function lerpRow(values: Float32Array, stride: number, k: number, at: { a: number; b: number; s: number }): number {
  const va = values[at.a * stride + k];
  const vb = values[at.b * stride + k];
  return at.s === 0 ? va : va + (vb - va) * at.s;
}

/**
 * The take's weights at `tS` seconds (linear between the two rows around it, held before the first and
 * after the last), by ARKit name; only non-zero weights are listed.
 */
export function arkitWeightsAt(take: ArkitTake, tS: number): Partial<Record<ArkitBlendshape, number>> {
  const K = take.names.length;
  const out: Partial<Record<ArkitBlendshape, number>> = {};
  if (take.frameCount === 0) return out;
  const at = rowsAround(take, tS);
  for (let k = 0; k < K; k++) {
    const w = lerpRow(take.weights, K, k, at);
    if (w !== 0) out[take.names[k]] = w;
  }
  return out;
}

/**
 * Degrees per unit of Live Link Face's head columns: it writes HeadYaw / HeadPitch / HeadRoll as
 * fractions of a quarter turn (about [-1, 1]), as Unreal's face-capture blueprints read them. A
 * convention taken from those blueprints, not measured against a capture.
 */
export const LIVE_LINK_HEAD_DEG = 90;

/** Head rotation in degrees: yaw about up, pitch about the ear-to-ear axis, roll about the face's forward axis. */
export interface HeadRotation {
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
}

/** The take's head rotation at `tS` seconds (linear between rows), or null when it has no head columns. */
export function arkitHeadRotationAt(take: ArkitTake, tS: number): HeadRotation | null {
  if (!take.head || take.frameCount === 0) return null;
  const at = rowsAround(take, tS);
  const deg = (k: number) => lerpRow(take.head!, 3, k, at) * LIVE_LINK_HEAD_DEG;
  return { yawDeg: deg(0), pitchDeg: deg(1), rollDeg: deg(2) };
}
