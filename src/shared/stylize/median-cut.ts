/**
 * Median-cut palette (Heckbert 1982): start with one box holding every counted pixel, repeatedly split
 * the box with the widest channel range at the median of that channel, until there are k boxes; each
 * box's mean colour is a palette entry. Deterministic (stable sort, first-widest wins).
 */
import type { Rgb } from './color';
import type { ColourPlanes } from './planes';

/**
 * Up to k palette colours (sRGB 0..1) for the pixels whose alpha >= minAlpha (all pixels when
 * none qualify). Fewer than k when the image has fewer distinct colours.
 */
export function medianCutPalette(p: ColourPlanes, k: number, minAlpha = 1): Rgb[] {
  if (!Number.isInteger(k) || k < 1 || k > 256)
    throw new RangeError(`palette size must be an integer in [1, 256], got ${k}`);
  const ch = [p.r, p.g, p.b];
  let idx: number[] = [];
  for (let i = 0; i < p.alpha.length; i++) if (p.alpha[i] >= minAlpha) idx.push(i);
  if (idx.length === 0) idx = Array.from(p.alpha, (_, i) => i);
  const boxes: number[][] = [idx];
  const range = (box: number[], c: number) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const i of box) {
      lo = Math.min(lo, ch[c][i]);
      hi = Math.max(hi, ch[c][i]);
    }
    return hi - lo;
  };
  while (boxes.length < k) {
    let bestBox = -1;
    let bestCh = 0;
    let bestRange = 0;
    boxes.forEach((box, b) => {
      for (let c = 0; c < 3; c++) {
        const r = range(box, c);
        if (box.length > 1 && r > bestRange) {
          bestRange = r;
          bestBox = b;
          bestCh = c;
        }
      }
    });
    if (bestBox < 0) break; // every box is a single colour
    const sorted = boxes[bestBox].slice().sort((a, b) => ch[bestCh][a] - ch[bestCh][b] || a - b);
    const mid = sorted.length >> 1;
    boxes.splice(bestBox, 1, sorted.slice(0, mid), sorted.slice(mid));
  }
  return boxes.map(
    (box) => [0, 1, 2].map((c) => box.reduce((acc, i) => acc + ch[c][i], 0) / box.length) as Rgb,
  );
}

/** Replace every pixel by its nearest palette colour (RGB distance); returns new planes. */
export function mapToPalette(p: ColourPlanes, palette: Rgb[]): ColourPlanes {
  const n = p.width * p.height;
  const out = { ...p, r: new Float32Array(n), g: new Float32Array(n), b: new Float32Array(n) };
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let k = 0; k < palette.length; k++) {
      const q = palette[k];
      const d = (p.r[i] - q[0]) ** 2 + (p.g[i] - q[1]) ** 2 + (p.b[i] - q[2]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    }
    out.r[i] = palette[best][0];
    out.g[i] = palette[best][1];
    out.b[i] = palette[best][2];
  }
  return out;
}
