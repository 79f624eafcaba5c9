/**
 * 3D restyle: recolour a GaussianCloud after generation (pure, deterministic, never mutates input).
 *
 * A Gaussian's view-independent colour is c = 0.5 + SH_C0 * dc (per channel, sRGB-ish 0..1, the
 * rasterizer clamps at 0); higher SH bands (shRest, index (i*K + k)*3 + ch) add view-dependent change.
 * - Linear grey-keeping ops (hue/saturation) multiply every SH coefficient by the same 3x3 matrix,
 *   so the restyle is exact for every viewing direction.
 * - Tint multiplies colour per channel: c' = c * t, so dc' = (c*t - 0.5) / C0 and rest' = t * rest.
 * - Non-linear ops (posterise, palette) set the DC to the new colour and scale the view-dependent
 *   bands by (1 - strength): at strength 1 each Gaussian shows exactly one palette colour from
 *   every side, which is what makes a posterised head read as flat-shaded.
 */
import { SH_C0, shCoeffsRest, type GaussianCloud } from '../gaussians/cloud';
import { hueRotationMatrix, mulMat3, saturationMatrix, srgbToLab, type Mat3, type Rgb } from './color';
import { posterizeValue, validateLevels } from './posterize';

export type CloudRestyle =
  | { kind: 'posterize'; levels: number; strength?: number }
  /** Palette colours are sRGB in [0, 1]; nearest by CIELAB distance. */
  | { kind: 'palette'; palette: Rgb[]; strength?: number }
  | { kind: 'tint'; color: Rgb; strength?: number }
  /** hueDeg rotates hue; saturation 0 = grey, 1 = unchanged, 2 = doubled. */
  | { kind: 'hueSaturation'; hueDeg?: number; saturation?: number };

function strengthOf(s: number | undefined): number {
  const v = s ?? 1;
  if (!Number.isFinite(v) || v < 0 || v > 1)
    throw new RangeError(`restyle strength must be in [0, 1], got ${v}`);
  return v;
}

function cloneColours(cloud: GaussianCloud): GaussianCloud {
  const expectRest = cloud.count * shCoeffsRest(cloud.shDegree) * 3;
  if (cloud.shDC.length !== cloud.count * 3 || cloud.shRest.length !== expectRest) {
    throw new RangeError(
      `cloud colour buffers do not match count ${cloud.count} / SH degree ${cloud.shDegree}`,
    );
  }
  return {
    ...cloud,
    positions: cloud.positions.slice(),
    scales: cloud.scales.slice(),
    rotations: cloud.rotations.slice(),
    opacities: cloud.opacities.slice(),
    shDC: cloud.shDC.slice(),
    shRest: cloud.shRest.slice(),
  };
}

/** Multiply every SH coefficient (DC and rest) of every Gaussian by m (in place on `c`). */
function applyLinear(c: GaussianCloud, m: Mat3): void {
  const mul = (buf: Float32Array) => {
    for (let j = 0; j < buf.length; j += 3) {
      const r = buf[j];
      const g = buf[j + 1];
      const b = buf[j + 2];
      buf[j] = m[0] * r + m[1] * g + m[2] * b;
      buf[j + 1] = m[3] * r + m[4] * g + m[5] * b;
      buf[j + 2] = m[6] * r + m[7] * g + m[8] * b;
    }
  };
  mul(c.shDC);
  mul(c.shRest);
}

/** Replace each base colour by f(colour) blended with strength s; scale view-dependent bands by 1 - s. */
function applyBaseColourMap(c: GaussianCloud, s: number, f: (rgb: Rgb) => Rgb): void {
  for (let i = 0; i < c.count; i++) {
    const rgb: Rgb = [0, 1, 2].map((ch) => 0.5 + SH_C0 * c.shDC[i * 3 + ch]) as Rgb;
    const target = f(rgb);
    for (let ch = 0; ch < 3; ch++) {
      const v = rgb[ch] + (target[ch] - rgb[ch]) * s;
      c.shDC[i * 3 + ch] = (v - 0.5) / SH_C0;
    }
  }
  for (let j = 0; j < c.shRest.length; j++) c.shRest[j] *= 1 - s;
}

export function nearestPaletteColour(
  rgb: Rgb,
  palette: Rgb[],
  paletteLab: Rgb[] = palette.map(srgbToLab),
): Rgb {
  const lab = srgbToLab(rgb);
  let best = 0;
  let bestD = Infinity;
  for (let p = 0; p < paletteLab.length; p++) {
    const q = paletteLab[p];
    const d = (lab[0] - q[0]) ** 2 + (lab[1] - q[1]) ** 2 + (lab[2] - q[2]) ** 2;
    if (d < bestD) {
      bestD = d;
      best = p;
    }
  }
  return palette[best];
}

function applyOne(c: GaussianCloud, op: CloudRestyle): void {
  switch (op.kind) {
    case 'posterize': {
      validateLevels(op.levels);
      applyBaseColourMap(
        c,
        strengthOf(op.strength),
        (rgb) => rgb.map((v) => posterizeValue(v, op.levels)) as Rgb,
      );
      return;
    }
    case 'palette': {
      if (op.palette.length === 0) throw new RangeError('palette restyle needs at least one colour');
      for (const p of op.palette) {
        if (p.length !== 3 || p.some((v) => !Number.isFinite(v) || v < 0 || v > 1)) {
          throw new RangeError(`palette colours must be 3 numbers in [0, 1], got ${JSON.stringify(p)}`);
        }
      }
      const labs = op.palette.map(srgbToLab);
      applyBaseColourMap(c, strengthOf(op.strength), (rgb) => nearestPaletteColour(rgb, op.palette, labs));
      return;
    }
    case 'tint': {
      const s = strengthOf(op.strength);
      if (op.color.some((v) => !Number.isFinite(v) || v < 0 || v > 1))
        throw new RangeError('tint colour must be in [0, 1]');
      const t = op.color.map((v) => 1 + (v - 1) * s);
      for (let i = 0; i < c.count; i++) {
        for (let ch = 0; ch < 3; ch++) {
          const col = 0.5 + SH_C0 * c.shDC[i * 3 + ch];
          c.shDC[i * 3 + ch] = (col * t[ch] - 0.5) / SH_C0;
        }
      }
      for (let j = 0; j < c.shRest.length; j++) c.shRest[j] *= t[j % 3];
      return;
    }
    case 'hueSaturation': {
      const hue = op.hueDeg ?? 0;
      const sat = op.saturation ?? 1;
      if (!Number.isFinite(hue) || !Number.isFinite(sat) || sat < 0 || sat > 4) {
        throw new RangeError(`hue must be finite and saturation in [0, 4], got ${hue}, ${sat}`);
      }
      // Both matrices keep (0.5, 0.5, 0.5) fixed, so applying them to dc (colour - 0.5) is exact.
      applyLinear(c, mulMat3(saturationMatrix(sat), hueRotationMatrix(hue)));
      return;
    }
    default:
      throw new RangeError(`unknown restyle "${String((op as { kind: unknown }).kind)}"`);
  }
}

/** A recoloured copy of `cloud` (every buffer copied; geometry and opacity unchanged). Ops apply in order. */
export function restyleCloud(cloud: GaussianCloud, ops: CloudRestyle | CloudRestyle[]): GaussianCloud {
  const out = cloneColours(cloud);
  for (const op of Array.isArray(ops) ? ops : [ops]) applyOne(out, op);
  return out;
}
