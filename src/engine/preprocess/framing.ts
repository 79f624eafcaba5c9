/**
 * Framing: where the square crop goes. The multi-view stage was trained on inputs like the paper's
 * demo portraits (fixtures hq-000*): the head (hair top to chin) fills HEAD_HEIGHT_FRAC of the crop
 * height and its centre sits at HEAD_CENTRE_Y_FRAC from the top. We frame by the head box, not by
 * the image, so small and off-centre faces come out the same way.
 */
import type { GrayImageF32 } from '../../shared/image';

/** Measured on hq-0001..0003 (head height / side 0.66, 0.85, 0.71; centre y / side 0.40, 0.43, 0.39). */
export const HEAD_HEIGHT_FRAC = 0.72;
export const HEAD_CENTRE_Y_FRAC = 0.41;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Tight box of the face mesh (x, y of the 478 landmarks). */
export function meshBox(landmarks: Float32Array): Box {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < landmarks.length; i += 3) {
    x0 = Math.min(x0, landmarks[i]);
    x1 = Math.max(x1, landmarks[i]);
    y0 = Math.min(y0, landmarks[i + 1]);
    y1 = Math.max(y1, landmarks[i + 1]);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * Head box = face box grown to the hair: up to the first matte-free row above the face (within the
 * face's columns widened by 40% each side), and sideways to the matte's extent between that top and
 * the eyes (at most 1.5 face widths from the face centre). The chin stays the bottom.
 */
export function headBox(face: Box, matte: GrayImageF32, threshold = 0.5): Box {
  const { width: W, height: H, data } = matte;
  const cx = face.x + face.width / 2;
  const bandX0 = Math.max(0, Math.floor(face.x - 0.4 * face.width));
  const bandX1 = Math.min(W - 1, Math.ceil(face.x + face.width * 1.4));
  const rowHasFg = (y: number, x0: number, x1: number) => {
    for (let x = x0; x <= x1; x++) if (data[y * W + x] > threshold) return true;
    return false;
  };
  let top = Math.max(0, Math.floor(face.y));
  const limit = Math.max(0, Math.floor(face.y - 1.2 * face.height));
  while (top - 1 >= limit && rowHasFg(top - 1, bandX0, bandX1)) top--;
  const eyesY = Math.min(H - 1, Math.round(face.y + 0.45 * face.height));
  const maxHalf = 1.5 * face.width;
  let left = face.x, right = face.x + face.width;
  for (let y = top; y <= eyesY; y++) {
    const x0 = Math.max(0, Math.floor(cx - maxHalf)), x1 = Math.min(W - 1, Math.ceil(cx + maxHalf));
    for (let x = x0; x < left; x++) if (data[y * W + x] > threshold) { left = x; break; }
    for (let x = x1; x > right; x--) if (data[y * W + x] > threshold) { right = x; break; }
  }
  const bottom = face.y + face.height;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** Bounding box of matte > threshold, or null when the matte is empty. */
export function matteBox(matte: GrayImageF32, threshold = 0.5): Box | null {
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (let y = 0; y < matte.height; y++) {
    for (let x = 0; x < matte.width; x++) {
      if (matte.data[y * matte.width + x] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** A square crop of the working image: top-left (x, y) and side, in working pixels. */
export interface CropSquare {
  x: number;
  y: number;
  side: number;
}

/** Square crop framing a head box the way the paper's inputs are framed. */
export function cropForHead(head: Box): CropSquare {
  const side = Math.max(head.height / HEAD_HEIGHT_FRAC, head.width / 0.8);
  const cx = head.x + head.width / 2;
  const cy = head.y + head.height / 2;
  return { x: cx - side / 2, y: cy - HEAD_CENTRE_Y_FRAC * side, side };
}

/**
 * Without a face: assume the top of the foreground is a head whose height is ~0.9x the foreground's
 * width at most (a bust), and frame that like a head box.
 */
export function cropForForeground(fg: Box): CropSquare {
  const headH = Math.min(fg.height, fg.width * 0.9);
  return cropForHead({ x: fg.x, y: fg.y, width: fg.width, height: headH });
}
