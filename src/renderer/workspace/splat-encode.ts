/**
 * Live preview arrays (a 'job-preview' event: activated Gaussians, OpenGL axes) -> antimatter15 .splat
 * bytes, which gaussian-splats-3d loads from a Blob URL.
 *
 * .splat layout, 32 bytes per splat, little endian:
 *   [0..12)  position x y z   float32
 *   [12..24) scale sx sy sz   float32 (linear standard deviation)
 *   [24..28) colour r g b a   uint8 (a = opacity * 255)
 *   [28..32) rotation w x y z uint8, q/|q| * 128 + 128
 */
export type { PreviewArrays } from '../../shared/gaussians/preview-arrays';
import type { PreviewArrays } from '../../shared/gaussians/preview-arrays';

export const SPLAT_RECORD_BYTES = 32;

const toByte = (v: number): number => Math.max(0, Math.min(255, Math.round(v * 255)));

export function previewToSplatBytes(p: PreviewArrays): Uint8Array {
  const n = p.opacities.length;
  if (p.positions.length !== n * 3 || p.scales.length !== n * 3 || p.rotations.length !== n * 4 || p.colors.length !== n * 3) {
    throw new RangeError(`preview arrays disagree on the splat count (opacities say ${n})`);
  }
  const out = new Uint8Array(n * SPLAT_RECORD_BYTES);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const o = i * SPLAT_RECORD_BYTES;
    for (let k = 0; k < 3; k++) {
      view.setFloat32(o + 4 * k, p.positions[i * 3 + k], true);
      view.setFloat32(o + 12 + 4 * k, p.scales[i * 3 + k], true);
      out[o + 24 + k] = toByte(p.colors[i * 3 + k]);
    }
    out[o + 27] = toByte(p.opacities[i]);
    const q = p.rotations.subarray(i * 4, i * 4 + 4);
    const norm = Math.hypot(q[0], q[1], q[2], q[3]) || 1;
    for (let k = 0; k < 4; k++) out[o + 28 + k] = Math.max(0, Math.min(255, Math.round((q[k] / norm) * 128 + 128)));
  }
  return out;
}

/** Centre and radius of the positions (for framing the camera); radius >= 1e-3. */
export function boundsOf(positions: Float32Array): { center: [number, number, number]; radius: number } {
  const n = positions.length / 3;
  if (n === 0) return { center: [0, 0, 0], radius: 1 };
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) {
      const v = positions[i * 3 + k];
      if (v < min[k]) min[k] = v;
      if (v > max[k]) max[k] = v;
    }
  }
  const center: [number, number, number] = [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2];
  const radius = Math.max(1e-3, Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]) / 2);
  return { center, radius };
}
