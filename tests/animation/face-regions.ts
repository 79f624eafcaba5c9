/**
 * Measuring an expression on a front render of a bound head (tests of src/engine/animation/bound-head):
 * the mouth opening and the eyes as polygons of the fitted model's 68 landmarks projected into the
 * camera, and what the pixels inside them are (teeth, a dark interior, skin).
 */
import type { BoundHead } from '../../src/engine/animation/bound-head';
import { projectPoint, type RasterCamera } from '../../src/shared/camera';
import type { RgbaImage } from '../../src/shared/image';

/** Multi-PIE 68 contours (0-based): inner lips, the subject's right eye, left eye; cheek points. */
export const INNER_LIPS_68 = [60, 61, 62, 63, 64, 65, 66, 67];
export const EYE_R_68 = [36, 37, 38, 39, 40, 41];
export const EYE_L_68 = [42, 43, 44, 45, 46, 47];

/** Pixel polygon of 68-landmarks on world vertices [V*3]. */
export function landmarkPolygon(
  head: BoundHead,
  vertices: Float32Array,
  camera: RasterCamera,
  ids: number[],
): [number, number][] {
  return ids.map((i) => {
    const v = head.model.multiPie68[i] * 3;
    const p = projectPoint(camera, [vertices[v], vertices[v + 1], vertices[v + 2]]);
    return [p[0], p[1]];
  });
}

function inside(x: number, y: number, poly: [number, number][]): boolean {
  let c = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

export interface RegionStats {
  pixels: number;
  /** Mean sRGB (0..255). */
  mean: [number, number, number];
  /** Share of pixels that are dark (luma < 60). */
  dark: number;
  /** Share of pixels that look like teeth: bright (luma > 150) and hardly coloured (max - min < 45). */
  teeth: number;
}

export function regionStats(img: RgbaImage, poly: [number, number][]): RegionStats {
  const xs = poly.map((p) => p[0]);
  const ys = poly.map((p) => p[1]);
  let n = 0;
  let dark = 0;
  let teeth = 0;
  const sum = [0, 0, 0];
  for (let y = Math.floor(Math.min(...ys)); y <= Math.ceil(Math.max(...ys)); y++) {
    for (let x = Math.floor(Math.min(...xs)); x <= Math.ceil(Math.max(...xs)); x++) {
      if (x < 0 || y < 0 || x >= img.width || y >= img.height || !inside(x + 0.5, y + 0.5, poly)) continue;
      const o = (y * img.width + x) * 4;
      const r = img.data[o];
      const g = img.data[o + 1];
      const b = img.data[o + 2];
      const luma = 0.299 * r + 0.587 * g + 0.114 * b;
      sum[0] += r;
      sum[1] += g;
      sum[2] += b;
      if (luma < 60) dark++;
      if (luma > 150 && Math.max(r, g, b) - Math.min(r, g, b) < 45) teeth++;
      n++;
    }
  }
  return {
    pixels: n,
    mean: [sum[0] / n, sum[1] / n, sum[2] / n],
    dark: dark / n,
    teeth: teeth / n,
  };
}

/** Mean colour (0..255) of a (2r+1)^2 patch. */
export function patchMean(img: RgbaImage, x: number, y: number, r = 3): [number, number, number] {
  const s = [0, 0, 0];
  let n = 0;
  for (let dy = -r; dy <= r; dy++)
    for (let dx = -r; dx <= r; dx++) {
      const o = ((Math.round(y) + dy) * img.width + Math.round(x) + dx) * 4;
      for (let c = 0; c < 3; c++) s[c] += img.data[o + c];
      n++;
    }
  return [s[0] / n, s[1] / n, s[2] / n];
}
