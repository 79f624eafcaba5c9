/**
 * Pull-push hole filling (Gortler et al. 1996): weighted colours are averaged down a pyramid, then
 * each level's holes are filled from the coarser level on the way up, so every unobserved texel gets
 * a smooth continuation of the observed colours around it.
 * Buffers: colour Float32Array [w * h * 3] (any units), weight Float32Array [w * h] in [0, 1].
 * x wraps around (equirectangular maps), y clamps.
 */
export function pullPush(colour: Float32Array, weight: Float32Array, w: number, h: number): Float32Array {
  if (w <= 1 && h <= 1) return Float32Array.from(colour);
  const cw = Math.max(1, Math.ceil(w / 2));
  const ch = Math.max(1, Math.ceil(h / 2));
  const cc = new Float32Array(cw * ch * 3);
  const cwt = new Float32Array(cw * ch);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const o = (y >> 1) * cw + (x >> 1);
      const wt = weight[i];
      cwt[o] += wt;
      cc[o * 3] += colour[i * 3] * wt;
      cc[o * 3 + 1] += colour[i * 3 + 1] * wt;
      cc[o * 3 + 2] += colour[i * 3 + 2] * wt;
    }
  }
  for (let o = 0; o < cw * ch; o++) {
    if (cwt[o] > 0) for (let c = 0; c < 3; c++) cc[o * 3 + c] /= cwt[o];
    cwt[o] = Math.min(1, cwt[o]);
  }
  const coarse = pullPush(cc, cwt, cw, ch);
  const out = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    // Bilinear upsample of the coarse level at this texel's centre.
    const fy = Math.min(ch - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(ch - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const fx = (x + 0.5) / 2 - 0.5;
      const x0f = Math.floor(fx);
      const tx = fx - x0f;
      const x0 = ((x0f % cw) + cw) % cw;
      const x1 = (x0 + 1) % cw;
      const wt = Math.min(1, weight[i]);
      for (let c = 0; c < 3; c++) {
        const up =
          (coarse[(y0 * cw + x0) * 3 + c] * (1 - tx) + coarse[(y0 * cw + x1) * 3 + c] * tx) * (1 - ty) +
          (coarse[(y1 * cw + x0) * 3 + c] * (1 - tx) + coarse[(y1 * cw + x1) * 3 + c] * tx) * ty;
        out[i * 3 + c] = colour[i * 3 + c] * wt + up * (1 - wt);
      }
    }
  }
  return out;
}

/**
 * How well observed each texel's neighbourhood is: the mean of min(1, weight) over a box of
 * (2 * radius + 1)^2 texels (separable; x wraps, y clamps). Tells texels next to what the portrait
 * showed (a partly seen ear) from those far from it (behind the ear), which a pull-push fill does not:
 * it gives both the nearest observation. Buffers: weight [w * h], result [w * h] in [0, 1].
 */
export function observedNearby(weight: Float32Array, w: number, h: number, radius: number): Float32Array {
  const r = Math.max(0, Math.floor(radius));
  const span = 2 * r + 1;
  const rows = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    let sum = 0;
    for (let k = -r; k <= r; k++) sum += Math.min(1, weight[y * w + (((k % w) + w) % w)]);
    for (let x = 0; x < w; x++) {
      rows[y * w + x] = sum / span;
      const add = (((x + r + 1) % w) + w) % w;
      const drop = (((x - r) % w) + w) % w;
      sum += Math.min(1, weight[y * w + add]) - Math.min(1, weight[y * w + drop]);
    }
  }
  const out = new Float32Array(w * h);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      let sum = 0;
      for (let k = Math.max(0, y - r); k <= Math.min(h - 1, y + r); k++) sum += rows[k * w + x];
      out[y * w + x] = sum / (Math.min(h - 1, y + r) - Math.max(0, y - r) + 1);
    }
  }
  return out;
}
