/**
 * Minimal GLB writer for test ground truths: one mesh, one material with an embedded PNG base-colour
 * texture, an optional node transform (TRS). Only what the tests need; the loader is the product.
 */
import sharp from 'sharp';
import type { RgbaImage } from '../../../src/shared/image';

export interface GlbInput {
  positions: Float32Array;
  uvs: Float32Array;
  indices: Uint32Array;
  texture: RgbaImage | null;
  baseColorFactor?: [number, number, number, number];
  node?: { translation?: number[]; rotation?: number[]; scale?: number[] };
  /** Store indices as uint16 (needs < 65536 vertices). */
  shortIndices?: boolean;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

export async function writeGlb(input: GlbInput): Promise<Uint8Array> {
  const png = input.texture
    ? new Uint8Array(await sharp(Buffer.from(input.texture.data), { raw: { width: input.texture.width, height: input.texture.height, channels: 4 } }).png().toBuffer())
    : new Uint8Array(0);
  const idx = input.shortIndices ? Uint16Array.from(input.indices) : input.indices;
  const parts = [new Uint8Array(input.positions.buffer, input.positions.byteOffset, input.positions.byteLength), new Uint8Array(input.uvs.buffer, input.uvs.byteOffset, input.uvs.byteLength), new Uint8Array(idx.buffer, idx.byteOffset, idx.byteLength), png];
  const offsets: number[] = [];
  let total = 0;
  for (const p of parts) {
    offsets.push(total);
    total = pad4(total + p.length);
  }
  const bin = new Uint8Array(total);
  parts.forEach((p, i) => bin.set(p, offsets[i]));
  const nv = input.positions.length / 3;
  const min = [Infinity, Infinity, Infinity], max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < input.positions.length; i++) {
    min[i % 3] = Math.min(min[i % 3], input.positions[i]);
    max[i % 3] = Math.max(max[i % 3], input.positions[i]);
  }
  const json = {
    asset: { version: '2.0', generator: 'headforge tests' },
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0, ...(input.node ?? {}) }],
    meshes: [{ primitives: [{ attributes: { POSITION: 0, TEXCOORD_0: 1 }, indices: 2, material: 0, mode: 4 }] }],
    materials: [{ pbrMetallicRoughness: { baseColorFactor: input.baseColorFactor ?? [1, 1, 1, 1], ...(input.texture ? { baseColorTexture: { index: 0 } } : {}) } }],
    ...(input.texture ? { textures: [{ source: 0, sampler: 0 }], samplers: [{}], images: [{ bufferView: 3, mimeType: 'image/png' }] } : {}),
    buffers: [{ byteLength: total }],
    bufferViews: parts.map((p, i) => ({ buffer: 0, byteOffset: offsets[i], byteLength: p.length })),
    accessors: [
      { bufferView: 0, componentType: 5126, count: nv, type: 'VEC3', min, max },
      { bufferView: 1, componentType: 5126, count: nv, type: 'VEC2' },
      { bufferView: 2, componentType: input.shortIndices ? 5123 : 5125, count: input.indices.length, type: 'SCALAR' },
    ],
  };
  let jsonBytes = new TextEncoder().encode(JSON.stringify(json));
  const jsonLen = pad4(jsonBytes.length);
  const padded = new Uint8Array(jsonLen).fill(0x20);
  padded.set(jsonBytes);
  jsonBytes = padded;
  const out = new Uint8Array(12 + 8 + jsonLen + 8 + total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0x46546c67, true);
  dv.setUint32(4, 2, true);
  dv.setUint32(8, out.length, true);
  dv.setUint32(12, jsonLen, true);
  dv.setUint32(16, 0x4e4f534a, true);
  out.set(jsonBytes, 20);
  dv.setUint32(20 + jsonLen, total, true);
  dv.setUint32(24 + jsonLen, 0x004e4942, true);
  out.set(bin, 28 + jsonLen);
  return out;
}
