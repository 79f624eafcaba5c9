/**
 * The body's sections seen from well above. A torso section is horizontal in the world (torso.ts
 * `tilt`), so a camera at elevation e sees it as an ellipse: its front d sin(e) image rows below its
 * centre's row, its back as far above. Sections sized from the matte's run on their own row alone then
 * stick out of the portrait's outline: the fronts of the lowest hang below a bust that ends in the
 * picture, the backs of the shoulders stand beside a neck that is narrower. Carving sizes each section
 * so that its whole ellipse projects inside the matte (the body beside the head, and anything hidden
 * behind the head, are inside it), no flatter than a body, and among the sizes that fit takes the one
 * that shows the most of the body not shown yet, then the largest: a section cut to a plate in the image's plane (full width, no depth) is the camera-facing
 * slab this replaces. Used where the neck is hidden (torso.ts NeckPrior); nearer the level, a full
 * ellipse per row is stricter than a body (the shoulders' top slopes down from the neck, so their backs
 * show lower than a section's would), and carving there cut the shoulders narrow under a neck that
 * shows.
 *
 * Exact in the image: a G point's picture is its (x, y) whatever its depth (image-frame.ts gToWorld).
 */
import type { NeckPrior, TorsoStub } from './torso';
import { CROP } from './landmarks';

/** Candidate widths per section, as fractions of the width its row gives it. */
const WIDTH_STEPS = 24;

/** The matte as the carve reads it: plane columns x = crop column u + left, rows v. */
export interface CarveMatte {
  width: number;
  left: number;
  matte: Float32Array;
  /** Whether the body goes on below the matte's last row (a crop that cuts the chest): rows there fit any width. */
  openBelow: boolean;
}

/**
 * The body the torso should show in the input view ([width * rows] 1 where it should: head-masks.ts
 * bodyPixels), and which of it no section carved so far shows; per-row prefix sums count spans.
 */
export class BodyCoverage {
  private readonly left: Uint8Array;
  private readonly prefix: Int32Array;
  private readonly rows: number;
  constructor(
    target: Uint8Array,
    private readonly width: number,
  ) {
    this.left = Uint8Array.from(target);
    this.rows = target.length / width;
    this.prefix = new Int32Array(this.rows * (width + 1));
    for (let v = 0; v < this.rows; v++) this.sumRow(v);
  }
  private sumRow(v: number): void {
    const W = this.width;
    let acc = 0;
    this.prefix[v * (W + 1)] = 0;
    for (let x = 0; x < W; x++) {
      acc += this.left[v * W + x];
      this.prefix[v * (W + 1) + x + 1] = acc;
    }
  }
  /** The whole columns [a, b) between x0 and x1 on the plane, or null where there are none (or v is off it). */
  private span(v: number, x0: number, x1: number): [number, number] | null {
    if (v < 0 || v >= this.rows) return null;
    const a = Math.max(0, Math.ceil(x0));
    const b = Math.min(this.width, Math.floor(x1) + 1);
    return b > a ? [a, b] : null;
  }
  /** Body pixels on row v between columns x0 and x1 that no section shows yet. */
  unshown(v: number, x0: number, x1: number): number {
    const ab = this.span(v, x0, x1);
    return ab ? this.prefix[v * (this.width + 1) + ab[1]] - this.prefix[v * (this.width + 1) + ab[0]] : 0;
  }
  show(v: number, x0: number, x1: number): void {
    const ab = this.span(v, x0, x1);
    if (!ab) return;
    this.left.fill(0, v * this.width + ab[0], v * this.width + ab[1]);
    this.sumRow(v);
  }
}

/** Image row (crop rows, not rounded) of torso section k's centre on the stub's axis. */
function sectionRow(torso: TorsoStub, k: number): number {
  return CROP / 2 - (torso.yTop - k * torso.rowStep);
}

/**
 * The rows of a level section's ellipse in the picture: centre row c, half-width w, half-depth d,
 * seen from an elevation of sine s; calls f(row, halfWidth) per row.
 */
function ellipseRows(c: number, w: number, d: number, s: number, f: (v: number, hw: number) => void): void {
  const a = d * Math.abs(s);
  if (a < 0.5) {
    f(Math.round(c), w);
    return;
  }
  for (let v = Math.round(c - a); v <= Math.round(c + a); v++) {
    const t = (v - c) / a;
    if (Math.abs(t) <= 1) f(v, w * Math.sqrt(1 - t * t));
  }
}

/**
 * The foreground run through plane column `x` on row `v`: its first and last columns, a side that
 * reaches the plane's edge going on past it (-Infinity, Infinity); null where `x` is background or
 * the row is above the matte (below it: the whole row when the body goes on there, else null).
 */
export function runBounds(m: CarveMatte, v: number, x: number): [number, number] | null {
  const rows = m.matte.length / m.width;
  if (v < 0) return null;
  if (v >= rows) return m.openBelow ? [-Infinity, Infinity] : null;
  const xi = Math.round(x);
  if (xi < 0 || xi >= m.width || m.matte[v * m.width + xi] < 0.5) return null;
  let l = xi;
  let r = xi;
  while (l > 0 && m.matte[v * m.width + l - 1] >= 0.5) l--;
  while (r < m.width - 1 && m.matte[v * m.width + r + 1] >= 0.5) r++;
  return [l === 0 ? -Infinity : l, r === m.width - 1 ? Infinity : r];
}

/**
 * Half-extent of the foreground about plane column `x` on row `v` (the lesser of the two sides; a side
 * that reaches the plane's edge goes on past it: Infinity), 0 when `x` is background or the row is above
 * the matte.
 */
export function runHalfExtent(m: CarveMatte, v: number, x: number): number {
  const run = runBounds(m, v, x);
  return run ? Math.min(x - run[0] + 0.5, run[1] + 0.5 - x) : 0;
}

/**
 * Deepest half-depth a section of half-width `w` centred on row `row` may have: its ellipse at row
 * offset j = t d sin(e) is w sqrt(1 - t^2) wide, so a row whose run `ext` is narrower than w bounds d by
 * |j| / (|sin e| sqrt(1 - (ext / w)^2)). 0 when its own row is too narrow.
 */
export function fittingHalfDepth(extentAt: (j: number) => number, w: number, sinTilt: number, maxRows: number): number {
  if (extentAt(0) < w) return 0;
  const s = Math.abs(sinTilt);
  if (s < 1e-6) return Infinity;
  let d = Infinity;
  for (let j = 1; j <= maxRows; j++) {
    for (const jj of [j, -j]) {
      const ext = extentAt(jj);
      if (ext >= w) continue;
      d = Math.min(d, j / (s * Math.sqrt(1 - (ext / w) ** 2)));
    }
    if (j >= d * s) break;
  }
  return d;
}

/**
 * Least depth a carved section keeps, as a share of its capped depth: a shoulder is about 0.4 as deep as
 * it is wide. A section that fits the matte only flatter than that is a plate in the picture's plane
 * (the bottom rows of a bust that ends in the picture: their fronts would hang below it), not body.
 */
const MIN_DEPTH_SHARE = 0.4;

/** Candidate offsets behind the axis per body section, as fractions of the chest's half-depth. */
const BACK_STEPS = 8;

/**
 * How far behind the neck's axis the body's back may lie, in chest half-depths: the prior's depth,
 * and half as much again where the portrait shows the body that high beside the head (the neck sits in
 * front of the shoulders' middle, and a rounded upper back lies further back). Sections are no deeper
 * than the chest's prior; only their offset behind the axis takes the rest.
 */
const BACK_REACH = 1.5;

/**
 * Between sizes that show as much of the body, one on the axis wins unless one moved back is this much
 * larger (so an outline that fits either way keeps its body on the axis).
 */
const BACK_GAIN = 1.05;

/**
 * Carve `sections` of `torso` (indices, in this order) to the matte, in place. Each keeps its row; its
 * half-depth is at most its width and the one it had (the chest's prior for the body, the neck's for
 * the neck). Sections from `bodyFrom` on (the body below the neck's base) may also move back from the
 * axis (horizontally in the world, up to `maxBack`, their backs no further back than that): seen from
 * above, the shoulders beside the head are the backs of the body's sections under the neck, which on
 * the axis could not reach that high in the picture without their fronts hanging below the body's
 * outline. Among the sizes that fit, a body section takes the one that shows the most of the body no
 * section before it shows (`coverage`, updated), then the largest; without coverage, the largest.
 * Sets fits[k] false for a section that does not fit at all (it is left as it was).
 */
export function carveTorso(
  torso: TorsoStub,
  m: CarveMatte,
  sections: Iterable<number>,
  bodyFrom: number,
  maxBack: number,
  coverage: BodyCoverage | null,
  fits: boolean[],
): void {
  const s = Math.sin(torso.tilt);
  if (Math.abs(s) < 1e-6) return;
  for (const k of sections) {
    const d0 = torso.halfDepth[k];
    if (torso.halfWidth[k] <= 0) continue;
    const row = Math.round(sectionRow(torso, k));
    const x0 = torso.centreX[k] + CROP / 2 + m.left;
    // Runs read per (row, column): columns are whole or half pixels.
    const ext = new Map<number, number>();
    const runAt = (v: number, x: number) => {
      const key = (v + 1024) * 65536 + Math.round(2 * x);
      let e = ext.get(key);
      if (e === undefined) ext.set(key, (e = runHalfExtent(m, v, x)));
      return e;
    };
    const body = k >= bodyFrom;
    // Widest it may be: its row's width (the body past the crop included), or the widest run it could
    // reach moved back (a run going on past the plane's edge is the body past the crop, already in its
    // row's width).
    let w0 = torso.halfWidth[k];
    if (body)
      for (let j = -Math.ceil(2 * maxBack * Math.abs(s)); j <= Math.ceil(d0 * Math.abs(s)); j++) {
        const e = runAt(row + Math.sign(s) * j, x0);
        if (Number.isFinite(e)) w0 = Math.max(w0, e);
      }
    let best = { w: 0, d: 0, b: 0, x: x0, score: -1 };
    for (let q = 0; q < (body ? BACK_STEPS : 1); q++) {
      const b = (maxBack * q) / BACK_STEPS;
      // Moved back by b, the centre shows b sin(e) rows higher; front rows (j > 0) lie below it for a
      // camera above. A body section moved back is centred on the run it shows there (the body beside
      // the head is not always centred on the neck).
      const centreRow = row - b * s;
      const run = body && q > 0 ? runBounds(m, Math.round(centreRow), x0) : null;
      const x = run && Number.isFinite(run[0]) && Number.isFinite(run[1]) ? (run[0] + run[1] + 1) / 2 : x0;
      const extentAt = (j: number) => runAt(Math.round(centreRow + Math.sign(s) * j), x);
      for (let p = WIDTH_STEPS; p >= 1; p--) {
        const w = (w0 * p) / WIDTH_STEPS;
        const cap = Math.min(w, d0, body ? maxBack - b : Infinity);
        if (cap <= 0) continue;
        const d = Math.min(cap, fittingHalfDepth(extentAt, w, s, Math.ceil(cap * Math.abs(s)) + 1));
        // As deep as a body is for its width, wherever it lies: moved far back, a thin section is a plate.
        if (d < MIN_DEPTH_SHARE * Math.min(w, d0)) continue;
        let shown = 0;
        if (body && coverage) ellipseRows(centreRow, w, d, s, (v, hw) => (shown += coverage.unshown(v, x - hw, x + hw)));
        // What it shows first; its area (favouring the axis a little) breaks ties.
        const score = shown * 1e6 + d * w * (q === 0 ? BACK_GAIN : 1);
        if (score > best.score) best = { w, d, b, x, score };
      }
    }
    if (best.score < 0) {
      fits[k] = false;
      continue;
    }
    torso.halfWidth[k] = best.w;
    torso.halfDepth[k] = best.d;
    torso.back[k] = best.b;
    torso.centreX[k] = best.x - CROP / 2 - m.left;
    const { x } = best;
    if (coverage) ellipseRows(row - best.b * s, best.w, best.d, s, (v, hw) => coverage.show(v, x - hw, x + hw));
  }
}

/**
 * A bust that ends in the picture can end on the axis above the neck's base: a camera well above sees
 * the chin hang over the bust's last rows, and the body beside and behind the head. Read from the
 * matte's runs alone the stub then had no body at all, and its last neck sections, carved to the
 * matte, pinched to a needle. The neck ends where the matte does on its axis (the stub's last section
 * read from it), and sections are added on the axis, as wide as the last, down to where one moved back
 * by `maxBack` shows its centre at that base; the carve keeps those that fit the matte. Returns the
 * neck's base row.
 */
function extendToBody(torso: TorsoStub, m: CarveMatte, neck: NeckPrior, maxBack: number): number {
  const n = torso.halfWidth.length;
  if (m.openBelow || n === 0) return neck.baseRow;
  const baseRow = Math.min(neck.baseRow, sectionRow(torso, n - 1));
  const lastRow = baseRow + maxBack * Math.abs(Math.sin(torso.tilt));
  const extra = Math.ceil((lastRow - sectionRow(torso, n - 1)) / torso.rowStep);
  if (extra <= 0) return baseRow;
  const grow = (a: Float32Array, fill: number) => {
    const out = new Float32Array(n + extra).fill(fill);
    out.set(a);
    return out;
  };
  torso.centreX = grow(torso.centreX, torso.centreX[n - 1]);
  torso.halfWidth = grow(torso.halfWidth, torso.halfWidth[n - 1]);
  torso.halfDepth = grow(torso.halfDepth, torso.halfDepth[n - 1]);
  torso.zShift = grow(torso.zShift, 0);
  torso.back = grow(torso.back, 0);
  return baseRow;
}

/**
 * The stub below a neck the camera cannot see (seen from well above), in place: sections between the
 * chin's row and the neck's base are the prior's neck (the matte's run there is the neck and the
 * shoulders' backs beside it); those below are the body, as deep as the chest's prior `maxHalfDepth`
 * before carving (the body first, to show `target`, then the neck and its tuck). Below the last body
 * section that fits the matte there is nothing (a bust that ends in the picture ends there); a section
 * above it that does not fit is the neck.
 */
export function carveBelowHiddenNeck(
  torso: TorsoStub,
  m: CarveMatte,
  neck: NeckPrior,
  target: Uint8Array | null,
  maxHalfDepth: number,
): void {
  const baseRow = extendToBody(torso, m, neck, BACK_REACH * maxHalfDepth);
  const { halfWidth, halfDepth } = torso;
  const n = halfWidth.length;
  let bodyFrom = torso.chin;
  while (bodyFrom < n && sectionRow(torso, bodyFrom) < baseRow) bodyFrom++;
  for (let k = 0; k < bodyFrom; k++) {
    torso.centreX[k] = neck.centreU - CROP / 2;
    if (k < torso.chin) continue; // the tuck into the head is the neck's already
    halfWidth[k] = Math.min(halfWidth[k], neck.halfWidth);
    halfDepth[k] = Math.min(halfDepth[k], halfWidth[k]);
  }
  for (let k = bodyFrom; k < n; k++) halfDepth[k] = maxHalfDepth;
  const uncarved = { halfWidth: halfWidth.slice(), halfDepth: halfDepth.slice() };
  const fits = new Array<boolean>(n).fill(true);
  const indices = (a: number, b: number) => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
  carveTorso(torso, m, indices(bodyFrom, n), bodyFrom, BACK_REACH * maxHalfDepth, target ? new BodyCoverage(target, m.width) : null, fits);
  carveTorso(torso, m, indices(0, bodyFrom), bodyFrom, maxHalfDepth, null, fits);
  let end = n;
  while (end > torso.chin + 2 && !fits[end - 1]) end--;
  for (let k = 0; k < end; k++) {
    if (fits[k]) continue;
    halfWidth[k] = Math.min(uncarved.halfWidth[k], neck.halfWidth);
    halfDepth[k] = Math.min(uncarved.halfDepth[k], halfWidth[k]);
  }
  if (end < n) {
    torso.centreX = torso.centreX.slice(0, end);
    torso.halfWidth = halfWidth.slice(0, end);
    torso.halfDepth = halfDepth.slice(0, end);
    torso.back = torso.back.slice(0, end);
  }
}
