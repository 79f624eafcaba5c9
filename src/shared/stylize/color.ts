/** Colour helpers for the stylizers. RGB triples are sRGB in [0, 1] unless a name says otherwise. */

export type Rgb = [number, number, number];

/** '#rgb' or '#rrggbb' (the '#' is optional) -> sRGB in [0, 1]. Throws on anything else. */
export function parseHexColor(hex: string): Rgb {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new RangeError(`not a hex colour: "${hex}" (expected #rrggbb)`);
  const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16) / 255) as Rgb;
}

function srgbToLinear(c: number): number {
  const v = Math.min(1, Math.max(0, c));
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

/** sRGB [0, 1] -> CIELAB (D65), for perceptual nearest-colour search. */
export function srgbToLab(c: Rgb): Rgb {
  const [r, g, b] = c.map(srgbToLinear);
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 / 116) * t + 16 / 116);
  const fx = f(x);
  const fy = f(y);
  const fz = f(z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** Row-major 3x3 matrix [9]. */
export type Mat3 = Float64Array;

/** Saturation about Rec. 709 luma: 0 = grey, 1 = unchanged, >1 = more saturated. Keeps greys fixed. */
export function saturationMatrix(s: number): Mat3 {
  const w = [0.2126, 0.7152, 0.0722];
  const m = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) m[r * 3 + c] = (1 - s) * w[c] + (r === c ? s : 0);
  return m;
}

/** Hue rotation: a rotation of RGB space about the grey axis (1,1,1)/sqrt 3 by `deg`. Keeps greys fixed. */
export function hueRotationMatrix(deg: number): Mat3 {
  const t = (deg * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const k = 1 / Math.sqrt(3);
  const kx = [0, -k, k, k, 0, -k, -k, k, 0]; // cross-product matrix of the axis
  const m = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) m[r * 3 + c] = (r === c ? cos : 0) + sin * kx[r * 3 + c] + (1 - cos) * k * k;
  }
  return m;
}

export function mulMat3(a: Mat3, b: Mat3): Mat3 {
  const m = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++)
      m[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
  }
  return m;
}
