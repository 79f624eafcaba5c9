/**
 * Debug overlay of a preprocess result (512x512 RGBA): the framed image, background dimmed where the
 * matte is low, region labels tinted, the face box outlined and the landmarks dotted, so one glance
 * shows whether framing, matte, regions and mesh agree.
 */
import type { PreprocessResult } from '../../shared/contracts/preprocess';
import { REGION } from '../../shared/contracts/preprocess';
import type { RgbaImage } from '../../shared/image';

/** Tint per region label (RGB), blended at 35%. */
const REGION_TINT: Record<number, [number, number, number] | null> = {
  [REGION.background]: null,
  [REGION.skin]: [255, 170, 120],
  [REGION.hair]: [120, 60, 200],
  [REGION.clothing]: [40, 160, 220],
  [REGION.eyes]: [0, 255, 0],
  [REGION.mouth]: [255, 0, 60],
};

export function renderDebugOverlay(pre: PreprocessResult): RgbaImage {
  const { width: W, height: H } = pre.image512;
  const data = new Uint8ClampedArray(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    const a = pre.matte512.data[i];
    const tint = REGION_TINT[pre.regions[i]];
    for (let c = 0; c < 3; c++) {
      let v = pre.image512.data[i * 4 + c];
      if (tint) v = 0.65 * v + 0.35 * tint[c];
      // Background (low matte) is shown as a dark checker so leaks of the matte stand out.
      const checker = ((Math.floor(i / W) >> 4) + ((i % W) >> 4)) & 1 ? 40 : 70;
      data[i * 4 + c] = a * v + (1 - a) * checker;
    }
    data[i * 4 + 3] = 255;
  }
  const out: RgbaImage = { width: W, height: H, data };
  const face = pre.face;
  if (face) {
    const { x, y, width, height } = face.box;
    drawRect(out, x, y, width, height, [255, 255, 0]);
    for (let i = 0; i < face.landmarks.length / 3; i++) {
      const colour: [number, number, number] = i >= 468 ? [0, 255, 255] : [255, 40, 40];
      drawDot(out, face.landmarks[i * 3], face.landmarks[i * 3 + 1], colour);
    }
  }
  return out;
}

function setPx(img: RgbaImage, x: number, y: number, c: [number, number, number]): void {
  const xi = Math.round(x), yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= img.width || yi >= img.height) return;
  img.data.set(c, (yi * img.width + xi) * 4);
}

function drawDot(img: RgbaImage, x: number, y: number, c: [number, number, number]): void {
  setPx(img, x, y, c);
  setPx(img, x + 1, y, c);
  setPx(img, x, y + 1, c);
}

function drawRect(img: RgbaImage, x: number, y: number, w: number, h: number, c: [number, number, number]): void {
  for (let t = 0; t <= w; t++) {
    setPx(img, x + t, y, c);
    setPx(img, x + t, y + h, c);
  }
  for (let t = 0; t <= h; t++) {
    setPx(img, x, y + t, c);
    setPx(img, x + w, y + t, c);
  }
}
