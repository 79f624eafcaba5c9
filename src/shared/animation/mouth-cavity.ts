/**
 * A dark mouth interior for jawOpen. A generated Gaussian head is a shell with nothing behind the
 * lips, so opening the jaw would show a hole (the back of the head, or the background). This adds a
 * flat sheet of dark-red, opaque Gaussians behind the lips (hidden while the mouth is closed) and
 * returns the index from which the rig must leave Gaussians in place.
 */
import type { Vec3 } from '../camera';
import { appendGaussians } from '../gaussians/append';
import { SH_C0, type GaussianCloud } from '../gaussians/cloud';
import type { ExpressionRig } from './expression-rig';
import { add, fromFaceDir } from './face-frame';

export const MOUTH_INTERIOR_RGB: Vec3 = [0.2, 0.06, 0.06];
/**
 * How far behind the lips the sheet sits (IOD units). The open jaw rotates about a pivot far behind
 * and above the lips, so the lower lip moves down AND back (~0.33 IOD at full jawOpen, the chin
 * ~0.55): a sheet any closer would end up in front of the lowered lip and cover it.
 */
export const MOUTH_CAVITY_DEPTH = 0.7;

export function addMouthCavity(
  cloud: GaussianCloud,
  rig: ExpressionRig,
): { cloud: GaussianCloud; frozenFrom: number } {
  const [left, right] = rig.corners;
  // An ellipse (face coords, IOD units) from just above the lip line to 0.4 below it, 85 % of the
  // mouth width, set MOUTH_CAVITY_DEPTH behind the lips: hidden behind a closed mouth, and behind the
  // lowered lip of an open one.
  const cx = (left.at[0] + right.at[0]) / 2;
  const halfW = ((left.at[0] - right.at[0]) / 2) * 0.85;
  const cy = rig.lipLineY - 0.18;
  const halfH = 0.21;
  const z = rig.lipZ - MOUTH_CAVITY_DEPTH;
  const step = 0.03;
  const grid: Vec3[] = [];
  for (let y = cy - halfH; y <= cy + halfH; y += step) {
    for (let x = cx - halfW; x <= cx + halfW; x += step) {
      if (((x - cx) / halfW) ** 2 + ((y - cy) / halfH) ** 2 <= 1) grid.push([x, y, z]);
    }
  }
  const extra = grid.length;
  const n = cloud.count;
  const out = appendGaussians(cloud, extra);
  const f = rig.frame;
  const sigma = Math.log(step * 0.8 * f.unit);
  grid.forEach((q, k) => {
    const i = n + k;
    out.positions.set(add(f.origin, fromFaceDir(f, q)), i * 3);
    // Isotropic and small enough that the sheet is hidden by the lips and chin when closed.
    out.scales.set([sigma, sigma, sigma], i * 3);
    out.opacities[i] = 4.6; // sigmoid(4.6) ~ 0.99
    for (let c = 0; c < 3; c++) out.shDC[i * 3 + c] = (MOUTH_INTERIOR_RGB[c] - 0.5) / SH_C0;
  });
  return { cloud: out, frozenFrom: n };
}
