/**
 * Box filtering on the atlas grid (proxy.ts): x wraps round the head, y does not.
 */

/**
 * Box mean of a [w*h*3] atlas field over radius rx (x, wrapping: atlas rows go round the head) and ry
 * (y, the window clipped at the crown and the neck). The portrait's own (non-wrapping) masked means
 * use the guided filter's boxMean.
 */
export function boxMeanWrapX(f: Float32Array, w: number, h: number, rx: number, ry: number): Float32Array {
  const tmp = new Float32Array(f.length);
  const out = new Float32Array(f.length);
  const column = new Float64Array(h + 1);
  for (let y = 0; y < h; y++) {
    for (let c = 0; c < 3; c++) {
      if (rx <= 0) {
        for (let x = 0; x < w; x++) tmp[(y * w + x) * 3 + c] = f[(y * w + x) * 3 + c];
        continue;
      }
      let s = 0;
      for (let k = -rx; k <= rx; k++) s += f[(y * w + ((k % w) + w) % w) * 3 + c];
      for (let x = 0; x < w; x++) {
        tmp[(y * w + x) * 3 + c] = s / (2 * rx + 1);
        s += f[(y * w + ((x + rx + 1) % w)) * 3 + c] - f[(y * w + ((((x - rx) % w) + w) % w)) * 3 + c];
      }
    }
  }
  if (ry <= 0) return tmp;
  for (let x = 0; x < w; x++) {
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < h; y++) column[y + 1] = column[y] + tmp[(y * w + x) * 3 + c];
      for (let y = 0; y < h; y++) {
        const y0 = Math.max(0, y - ry), y1 = Math.min(h, y + ry + 1);
        out[(y * w + x) * 3 + c] = (column[y1] - column[y0]) / (y1 - y0);
      }
    }
  }
  return out;
}


/**
 * Three box means of radius (rx, ry) in turn: close to a Gaussian of standard deviation about
 * sqrt(r (r + 1)) per axis, without the box's flat top and hard rim (a low-pass of a few scattered
 * samples by one box is a rectangle of their mean).
 */
export function smoothMeanWrapX(f: Float32Array, w: number, h: number, rx: number, ry: number): Float32Array {
  let out = f;
  for (let pass = 0; pass < 3; pass++) out = boxMeanWrapX(out, w, h, rx, ry);
  return out;
}
