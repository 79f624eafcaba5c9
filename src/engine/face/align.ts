/**
 * ArcFace alignment: the 5-point similarity transform (rotation + uniform scale + translation) that
 * maps the eye centres, nose tip and mouth corners onto the standard 112x112 ArcFace template
 * (insightface `arcface_dst`), and the bilinear warp that produces the crop.
 */
import { createRgba, type RgbaImage } from '../../shared/image';

/** insightface arcface_dst for 112x112: image-left eye, image-right eye, nose tip, image-left and image-right mouth corner. */
export const ARCFACE_TEMPLATE_112: ReadonlyArray<readonly [number, number]> = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/** Face-mesh indices: iris centres (468, 473), nose tip (1), mouth corners (61, 291), outer eye corner 33. */
const IRIS_A = 468;
const IRIS_B = 473;
const NOSE_TIP = 1;
const MOUTH_A = 61;
const MOUTH_B = 291;
const EYE_CORNER_IMAGE_LEFT = 33;

type Pt = [number, number];

/** The five ArcFace points from a 478-landmark mesh (Float32Array [478*3]), in template order. */
export function fivePointsFromMesh(landmarks: Float32Array): Pt[] {
  const p = (i: number): Pt => [landmarks[i * 3], landmarks[i * 3 + 1]];
  // Which iris is on the image-left is decided geometrically (mesh index 33 is the outer corner of the
  // eye that appears on the image-left of an upright face), so the order never depends on naming.
  const a = p(IRIS_A);
  const b = p(IRIS_B);
  const corner = p(EYE_CORNER_IMAGE_LEFT);
  const aIsLeft = dist2(a, corner) <= dist2(b, corner);
  const mA = p(MOUTH_A);
  const mB = p(MOUTH_B);
  const mAIsLeft = dist2(mA, corner) <= dist2(mB, corner);
  return [aIsLeft ? a : b, aIsLeft ? b : a, p(NOSE_TIP), mAIsLeft ? mA : mB, mAIsLeft ? mB : mA];
}

function dist2(a: Pt, b: Pt): number {
  return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;
}

/**
 * Similarity transform dst ≈ M * src, M = [[a, -b, tx], [b, a, ty]] (row-major, 6 numbers), least
 * squares over all point pairs (closed form of Umeyama's method for 2D without reflection).
 */
export function estimateSimilarity(src: ReadonlyArray<readonly [number, number]>, dst: ReadonlyArray<readonly [number, number]>): number[] {
  if (src.length !== dst.length || src.length < 2) throw new Error('estimateSimilarity needs >= 2 matching points');
  const n = src.length;
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i][0]; sy += src[i][1]; dx += dst[i][0]; dy += dst[i][1];
  }
  sx /= n; sy /= n; dx /= n; dy /= n;
  // With centred points u (src) and v (dst): a = sum(u.v)/sum|u|^2, b = sum(u x v)/sum|u|^2.
  let uu = 0, dot = 0, cross = 0;
  for (let i = 0; i < n; i++) {
    const ux = src[i][0] - sx, uy = src[i][1] - sy;
    const vx = dst[i][0] - dx, vy = dst[i][1] - dy;
    uu += ux * ux + uy * uy;
    dot += ux * vx + uy * vy;
    cross += ux * vy - uy * vx;
  }
  if (uu < 1e-9) throw new Error('estimateSimilarity: source points are degenerate');
  const a = dot / uu;
  const b = cross / uu;
  return [a, -b, dx - (a * sx - b * sy), b, a, dy - (b * sx + a * sy)];
}

export function applyAffine(m: number[], x: number, y: number): Pt {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

/** Inverse of a 2x3 affine (row-major). */
export function invertAffine(m: number[]): number[] {
  const det = m[0] * m[4] - m[1] * m[3];
  if (Math.abs(det) < 1e-12) throw new Error('affine transform is singular');
  const i0 = m[4] / det, i1 = -m[1] / det, i3 = -m[3] / det, i4 = m[0] / det;
  return [i0, i1, -(i0 * m[2] + i1 * m[5]), i3, i4, -(i3 * m[2] + i4 * m[5])];
}

/**
 * Warp `src` into a width x height image: out(x, y) = bilinear(src, inverse(M)(x + .5, y + .5) - .5),
 * i.e. M maps source pixel-centre coordinates to output pixel-centre coordinates. Pixels that fall
 * outside the source get `border` (RGBA).
 */
export function warpAffine(src: RgbaImage, m: number[], width: number, height: number, border: [number, number, number, number] = [0, 0, 0, 0]): RgbaImage {
  const out = createRgba(width, height);
  const inv = invertAffine(m);
  const px = new Float32Array(4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = applyAffine(inv, x, y);
      sampleBilinear(src, sx, sy, border, px);
      out.data.set(px, (y * width + x) * 4);
    }
  }
  return out;
}

/** Bilinear sample at continuous pixel-centre coordinates (integer = pixel centre); writes RGBA into `out`. */
export function sampleBilinear(src: RgbaImage, x: number, y: number, border: readonly number[], out: Float32Array): void {
  const x0 = Math.floor(x), y0 = Math.floor(y);
  const fx = x - x0, fy = y - y0;
  out.fill(0);
  for (let k = 0; k < 4; k++) {
    const xi = x0 + (k & 1), yi = y0 + (k >> 1);
    const w = ((k & 1) ? fx : 1 - fx) * ((k >> 1) ? fy : 1 - fy);
    if (w === 0) continue;
    const inside = xi >= 0 && yi >= 0 && xi < src.width && yi < src.height;
    const o = (yi * src.width + xi) * 4;
    for (let c = 0; c < 4; c++) out[c] += w * (inside ? src.data[o + c] : border[c]);
  }
}

/**
 * An ArcFace-aligned crop of size x size: the 112 template scaled to `size`, then zoomed about the
 * crop centre by `zoom` (1 = standard; 0.8 shows 25% more context on each axis).
 */
export function alignedCrop(img: RgbaImage, landmarks: Float32Array, size: number, zoom = 1): RgbaImage {
  const k = (size / 112) * zoom;
  const c = size / 2;
  const template = ARCFACE_TEMPLATE_112.map(([x, y]) => [(x - 56) * k + c, (y - 56) * k + c] as const);
  const transform = estimateSimilarity(fivePointsFromMesh(landmarks), template);
  return warpAffine(img, transform, size, size, [0, 0, 0, 255]);
}

/** The 112x112 ArcFace-aligned crop of the face whose 478-landmark mesh is given (black border). */
export function arcfaceCrop(img: RgbaImage, landmarks: Float32Array): { crop: RgbaImage; transform: number[] } {
  const transform = estimateSimilarity(fivePointsFromMesh(landmarks), ARCFACE_TEMPLATE_112);
  return { crop: warpAffine(img, transform, 112, 112, [0, 0, 0, 255]), transform };
}
