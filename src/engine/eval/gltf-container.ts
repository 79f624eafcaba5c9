/**
 * The glTF 2.0 container (gltf-loader.ts turns it into a mesh): the JSON's typings, the GLB chunks,
 * buffer URIs, and accessors read as float64 arrays.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { GLTF_COMPONENT_BYTES, readGltfComponent } from '../../shared/gltf-components';
import { GltfError } from './gltf-errors';

/* Minimal typings of the glTF JSON we read (fields we do not use are left out). */
export interface GltfAccessor {
  bufferView?: number;
  byteOffset?: number;
  componentType: number;
  normalized?: boolean;
  count: number;
  type: string;
  sparse?: unknown;
}
export interface GltfBufferView {
  buffer: number;
  byteOffset?: number;
  byteLength: number;
  byteStride?: number;
}
export interface GltfPrimitive {
  attributes: Record<string, number>;
  indices?: number;
  material?: number;
  mode?: number;
  extensions?: Record<string, unknown>;
}
export interface GltfNode {
  mesh?: number;
  children?: number[];
  matrix?: number[];
  translation?: number[];
  rotation?: number[];
  scale?: number[];
}
export interface GltfTextureInfo {
  index: number;
  texCoord?: number;
  extensions?: Record<string, unknown>;
}
export interface GltfMaterial {
  name?: string;
  pbrMetallicRoughness?: { baseColorFactor?: number[]; baseColorTexture?: GltfTextureInfo };
}
export interface GltfJson {
  asset?: { version?: string };
  extensionsRequired?: string[];
  buffers?: { uri?: string; byteLength: number }[];
  bufferViews?: GltfBufferView[];
  accessors?: GltfAccessor[];
  meshes?: { primitives: GltfPrimitive[] }[];
  nodes?: GltfNode[];
  scenes?: { nodes?: number[] }[];
  scene?: number;
  materials?: GltfMaterial[];
  textures?: { source?: number; sampler?: number }[];
  images?: { uri?: string; bufferView?: number; mimeType?: string }[];
  samplers?: { wrapS?: number; wrapT?: number }[];
}

const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4, MAT4: 16 };
/** Extensions whose data this loader cannot read: a file that requires one is refused. */
export const UNSUPPORTED_REQUIRED = new Set([
  'KHR_draco_mesh_compression',
  'EXT_meshopt_compression',
  'KHR_meshopt_compression',
  'EXT_texture_webp',
  'KHR_texture_basisu',
]);

/** The JSON and binary chunk of a .glb, or the JSON of a .gltf (bin null). */
export function parseContainer(file: string, bytes: Uint8Array): { json: GltfJson; bin: Uint8Array | null } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isGlb = bytes.length >= 12 && dv.getUint32(0, true) === 0x46546c67;
  if (!isGlb) {
    try {
      return { json: JSON.parse(new TextDecoder().decode(bytes)) as GltfJson, bin: null };
    } catch (err) {
      throw new GltfError(file, `neither a GLB (no 'glTF' magic) nor glTF JSON (${(err as Error).message})`);
    }
  }
  const version = dv.getUint32(4, true);
  if (version !== 2) throw new GltfError(file, `GLB version ${version} (only 2 is supported)`);
  const declared = dv.getUint32(8, true);
  if (declared > bytes.length)
    throw new GltfError(file, `truncated GLB: header declares ${declared} bytes, file has ${bytes.length}`);
  const total = Math.min(declared, bytes.length);
  let json: GltfJson | null = null;
  let bin: Uint8Array | null = null;
  for (let off = 12; off + 8 <= total;) {
    const len = dv.getUint32(off, true);
    const type = dv.getUint32(off + 4, true);
    if (off + 8 + len > total)
      throw new GltfError(
        file,
        `truncated GLB chunk at byte ${off} (${len} bytes declared, file has ${total - off - 8})`,
      );
    const chunk = bytes.subarray(off + 8, off + 8 + len);
    if (type === 0x4e4f534a) {
      try {
        json = JSON.parse(new TextDecoder().decode(chunk)) as GltfJson;
      } catch (err) {
        throw new GltfError(file, `the GLB's JSON chunk is not valid JSON (${(err as Error).message})`);
      }
    } else if (type === 0x004e4942 && !bin) bin = chunk;
    off += 8 + len;
  }
  if (!json) throw new GltfError(file, 'GLB has no JSON chunk');
  return { json, bin };
}

/** The bytes a buffer or image URI names: a data: URI, or a file beside the .gltf (never a download). */
export async function loadUri(file: string, uri: string): Promise<Uint8Array> {
  const m = /^data:[^;,]*(;base64)?,(.*)$/s.exec(uri);
  if (m)
    return m[1]
      ? new Uint8Array(Buffer.from(m[2], 'base64'))
      : new TextEncoder().encode(decodeURIComponent(m[2]));
  if (/^[a-z]+:\/\//i.test(uri))
    throw new GltfError(
      file,
      `external URL '${uri}' (only files beside the .gltf are read; nothing is downloaded)`,
    );
  const target = path.resolve(path.dirname(file), decodeURIComponent(uri));
  try {
    return new Uint8Array(await fs.readFile(target));
  } catch (err) {
    throw new GltfError(file, `cannot read '${uri}': ${(err as Error).message}`);
  }
}

/** Elements an accessor without a bufferView (all zeros) may declare. */
const MAX_UNBACKED_ELEMENTS = 1 << 16;

/** Read an accessor as float64 values [count * components] (normalized integers mapped to [0,1]/[-1,1]). */
export function readAccessor(
  file: string,
  gltf: GltfJson,
  buffers: Uint8Array[],
  index: number,
): { data: Float64Array; components: number; count: number } {
  const acc = gltf.accessors?.[index];
  if (!acc) throw new GltfError(file, `accessor ${index} does not exist`);
  if (acc.sparse) throw new GltfError(file, `accessor ${index} is sparse (not supported)`);
  // COMPONENTS is a plain object: a type named 'constructor' must not find Object's.
  const components = Object.hasOwn(COMPONENTS, acc.type) ? COMPONENTS[acc.type] : undefined;
  if (!components) throw new GltfError(file, `accessor ${index} has unknown type '${acc.type}'`);
  // Every number that sizes or places the read is checked before anything is allocated: a 1 KB file
  // declaring count 10,000,000 with a string byteOffset took 20 s and 2 GB (npm run fuzz).
  const whole = (v: unknown, what: string): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
      throw new GltfError(
        file,
        `accessor ${index}: ${what} must be a whole number, not ${JSON.stringify(v)}`,
      );
    return v;
  };
  const count = whole(acc.count, 'count');
  if (acc.bufferView === undefined) {
    // All zeros (the base of a sparse accessor, which is refused above): nothing in the file backs it.
    if (count > MAX_UNBACKED_ELEMENTS)
      throw new GltfError(file, `accessor ${index} has no bufferView and declares ${count} elements`);
    return { data: new Float64Array(count * components), components, count };
  }
  const view = gltf.bufferViews?.[whole(acc.bufferView, 'bufferView')];
  if (!view) throw new GltfError(file, `bufferView ${acc.bufferView} does not exist`);
  const buf = buffers[whole(view.buffer, "its bufferView's buffer")];
  if (!buf) throw new GltfError(file, `buffer ${view.buffer} does not exist or is empty`);
  const size = Object.hasOwn(GLTF_COMPONENT_BYTES, acc.componentType)
    ? GLTF_COMPONENT_BYTES[acc.componentType]
    : undefined;
  if (!size) throw new GltfError(file, `accessor ${index} has unknown componentType ${acc.componentType}`);
  const viewOffset = whole(view.byteOffset ?? 0, "its bufferView's byteOffset");
  const viewLength = whole(view.byteLength, "its bufferView's byteLength");
  const stride = whole(view.byteStride ?? 0, "its bufferView's byteStride") || size * components;
  if (stride < size * components)
    throw new GltfError(file, `accessor ${index}: byteStride ${stride} is smaller than its elements`);
  const base = viewOffset + whole(acc.byteOffset ?? 0, 'byteOffset');
  const last = base + stride * (count - 1) + size * components;
  if (count > 0 && last > Math.min(buf.length, viewOffset + viewLength)) {
    throw new GltfError(file, `accessor ${index} reads past the end of bufferView ${acc.bufferView}`);
  }
  const data = new Float64Array(count * components);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const norm = acc.normalized === true;
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < components; c++) {
      const o = base + i * stride + c * size;
      data[i * components + c] = readGltfComponent(dv, o, acc.componentType, norm);
    }
  }
  return { data, components, count };
}
