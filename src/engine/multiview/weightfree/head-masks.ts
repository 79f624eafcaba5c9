/**
 * Image masks the proxy build measures the head and the body on (512 crop, [CROP*CROP] 0/1 or
 * per-column rows; the body's on the portrait plane): the body beside the head above the chin, the
 * body the torso should show, the face outline grown about its centre, and the jaw's lowest row per
 * column.
 */
import { REGION, type PreprocessResult } from '../../../shared/contracts/preprocess';
import { pointInPolygon } from '../../../shared/polygon';
import { cheekSkin } from './hair-model';
import { CROP } from './landmarks';
import { isSkinLike } from './skin-colour';

/**
 * The body beside the head above the chin: matte pixels on rows above the chin outside the face
 * outline (grown by 10%), not hair and not skin-coloured against the portrait's skin reference
 * (cheekSkin, the one the texture uses: ears, the neck and the jaw's underside are skin; the region
 * labels call everything above the chin face, hair or skin).
 * Bare shoulders are skin-coloured too and are left out. [CROP*CROP] 0/1.
 */
export function shoulderPixels(
  pre: PreprocessResult,
  regions: Uint8Array,
  oval: readonly [number, number][],
  chinRow: number,
): Uint8Array {
  const img = pre.image512.data;
  const matte = pre.matte512.data;
  const grown = grownOval(oval, 1.1);
  const skin = cheekSkin(pre);
  const out = new Uint8Array(CROP * CROP);
  for (let v = 0; v < Math.min(CROP, Math.floor(chinRow)); v++)
    for (let u = 0; u < CROP; u++) {
      const i = v * CROP + u;
      if (matte[i] < 0.5 || regions[i] === REGION.hair) continue;
      if (skin && isSkinLike(img[i * 4], img[i * 4 + 1], img[i * 4 + 2], skin)) continue;
      if (pointInPolygon(u, v, grown)) continue;
      out[i] = 1;
    }
  return out;
}

/**
 * The body the torso should show in the input view, on the portrait plane ([plane.width * rows] 0/1,
 * crop column u at u + plane.left): the matte below the chin's row, and above it the body beside the
 * head (shoulderPixels in the crop; the photo round the crop is body).
 */
export function bodyPixels(
  plane: { width: number; left: number; matte: Float32Array },
  shoulders: Uint8Array,
  chinRow: number,
): Uint8Array {
  const { width: W, left: L, matte } = plane;
  const out = new Uint8Array(matte.length);
  for (let i = 0; i < matte.length; i++) {
    if (matte[i] < 0.5) continue;
    const v = Math.floor(i / W);
    const u = (i % W) - L;
    out[i] = v >= chinRow || u < 0 || u >= CROP ? 1 : shoulders[v * CROP + u];
  }
  return out;
}

/** The face outline scaled by `factor` about its centroid (crop pixels). */
export function grownOval(oval: readonly [number, number][], factor: number): [number, number][] {
  const cx = oval.reduce((s, p) => s + p[0], 0) / Math.max(1, oval.length);
  const cy = oval.reduce((s, p) => s + p[1], 0) / Math.max(1, oval.length);
  return oval.map(([x, y]) => [cx + (x - cx) * factor, cy + (y - cy) * factor]);
}

/** Lowest face-outline row per image column (the jaw), or `fallback` outside the outline's columns. */
export function jawRows(oval: readonly [number, number][], fallback: number): Float32Array {
  const rows = new Float32Array(CROP).fill(-1);
  for (let i = 0, j = oval.length - 1; i < oval.length; j = i++) {
    const [x0, y0] = oval[j];
    const [x1, y1] = oval[i];
    const lo = Math.ceil(Math.min(x0, x1));
    const hi = Math.floor(Math.max(x0, x1));
    for (let u = Math.max(0, lo); u <= Math.min(CROP - 1, hi); u++) {
      const t = x1 === x0 ? 0 : (u - x0) / (x1 - x0);
      rows[u] = Math.max(rows[u], y0 + (y1 - y0) * t);
    }
  }
  for (let u = 0; u < CROP; u++) if (rows[u] < 0) rows[u] = fallback;
  return rows;
}
