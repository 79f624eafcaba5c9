/**
 * antimatter15 .splat codec: no header, 32 bytes per Gaussian, little endian:
 *   0..11  position   float32 x3
 *   12..23 scale      float32 x3, linear (exp of the log scale)
 *   24..27 colour     uint8 RGBA: rgb = (0.5 + SH_C0 * dc) * 255, a = sigmoid(opacity) * 255
 *   28..31 rotation   uint8 x4 (w x y z): q / |q| * 128 + 128, clamped to 0..255
 * No higher SH: decoding gives shDegree 0. Axes: RDF like the 3DGS PLY it is converted from.
 * We round to nearest (the reference converter truncates), so the quantisation error is at most half
 * a step: colour 0.5/255, alpha 0.5/255, quaternion components 0.5/128 (plus the clamp at 255, i.e. a
 * component of exactly +1 decodes as 127/128).
 */
import { allocateCloud, SH_C0, type GaussianCloud } from '../gaussians/cloud';
import { colorToShDc, logit, sigmoid } from '../gaussians/activations';
import { assertFiniteCloud, firstNonFinite } from '../gaussians/validate';
import { axisSigns, type FileAxes } from './axes';
import { checkCount, SplatFormatError } from './errors';

export const SPLAT_BYTES_PER_GAUSSIAN = 32;

const clampByte = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

export function writeSplat(cloud: GaussianCloud, options: { axes?: FileAxes } = {}): Uint8Array {
  assertFiniteCloud(cloud);
  const n = cloud.count;
  const out = new Uint8Array(n * SPLAT_BYTES_PER_GAUSSIAN);
  const dv = new DataView(out.buffer);
  const sg = axisSigns(options.axes ?? 'rdf');
  const { positions: P, scales: S, rotations: Q, opacities: O, shDC: D } = cloud;
  for (let i = 0; i < n; i++) {
    const b = i * 32;
    for (let a = 0; a < 3; a++) dv.setFloat32(b + a * 4, P[i * 3 + a] * sg.position[a], true);
    for (let a = 0; a < 3; a++) dv.setFloat32(b + 12 + a * 4, Math.exp(S[i * 3 + a]), true);
    for (let c = 0; c < 3; c++) out[b + 24 + c] = clampByte((0.5 + SH_C0 * D[i * 3 + c]) * 255);
    out[b + 27] = clampByte(sigmoid(O[i]) * 255);
    const w = Q[i * 4] * sg.rotation[0],
      x = Q[i * 4 + 1] * sg.rotation[1],
      y = Q[i * 4 + 2] * sg.rotation[2],
      z = Q[i * 4 + 3] * sg.rotation[3];
    const len = Math.sqrt(w * w + x * x + y * y + z * z) || 1;
    out[b + 28] = clampByte((w / len) * 128 + 128);
    out[b + 29] = clampByte((x / len) * 128 + 128);
    out[b + 30] = clampByte((y / len) * 128 + 128);
    out[b + 31] = clampByte((z / len) * 128 + 128);
  }
  return out;
}

export function readSplat(bytes: Uint8Array, options: { axes?: FileAxes } = {}): GaussianCloud {
  if (bytes.length % SPLAT_BYTES_PER_GAUSSIAN !== 0)
    throw new SplatFormatError('.splat', `size ${bytes.length} is not a multiple of 32 bytes (truncated or not a .splat file)`);
  const n = bytes.length / SPLAT_BYTES_PER_GAUSSIAN;
  checkCount('.splat', n, SPLAT_BYTES_PER_GAUSSIAN, bytes.length);
  const cloud = allocateCloud(n, 0);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sg = axisSigns(options.axes ?? 'rdf');
  for (let i = 0; i < n; i++) {
    const b = i * 32;
    for (let a = 0; a < 3; a++) cloud.positions[i * 3 + a] = dv.getFloat32(b + a * 4, true) * sg.position[a];
    for (let a = 0; a < 3; a++) {
      const s = dv.getFloat32(b + 12 + a * 4, true);
      if (!(s > 0) || s === Infinity)
        throw new SplatFormatError('.splat', `scale_${a} of Gaussian ${i} is ${s}; scales must be positive and finite`);
      cloud.scales[i * 3 + a] = Math.log(s);
    }
    for (let c = 0; c < 3; c++) cloud.shDC[i * 3 + c] = colorToShDc(bytes[b + 24 + c] / 255);
    cloud.opacities[i] = logit(bytes[b + 27] / 255);
    for (let a = 0; a < 4; a++) cloud.rotations[i * 4 + a] = ((bytes[b + 28 + a] - 128) / 128) * sg.rotation[a];
  }
  const k = firstNonFinite(cloud.positions);
  if (k >= 0)
    throw new SplatFormatError('.splat', `non-finite value ${cloud.positions[k]} in position ${'xyz'[k % 3]} of Gaussian ${Math.floor(k / 3)}`);
  return cloud;
}
