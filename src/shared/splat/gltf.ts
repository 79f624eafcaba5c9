/**
 * GLB with KHR_gaussian_splatting as the release candidate (and the ratified text) writes it:
 * KhronosGroup/glTF extensions/2.0/Khronos/KHR_gaussian_splatting/README.md, where SCALE moved from log
 * space to linear ("Scale values are linear and MUST NOT be negative", glTF issue #2563;
 * splat-transform followed in its PR #268).
 *
 * One mesh, one primitive, mode 0 (POINTS), one tightly packed float32 bufferView per attribute:
 *   POSITION                                   VEC3  metres, glTF axes (+y up, front +z) = cloud axes
 *   COLOR_0                                    VEC4  fallback point colour, LINEAR as glTF's COLOR_0 is:
 *                                                    srgbToLinear(clamp(0.5 + SH_C0 * dc)), alpha
 *   KHR_gaussian_splatting:ROTATION            VEC4  unit quaternion x y z w
 *   KHR_gaussian_splatting:SCALE               VEC3  linear standard deviations, exp(log scale)
 *   KHR_gaussian_splatting:OPACITY             SCALAR sigmoid(opacity logit), 0..1
 *   KHR_gaussian_splatting:SH_DEGREE_0_COEF_0  VEC3  dc (r g b)
 *   KHR_gaussian_splatting:SH_DEGREE_l_COEF_n  VEC3  shRest coefficient k = l^2 - 1 + n
 * extension object: kernel "ellipse", colorSpace "srgb_rec709_display", projection "perspective",
 * sortingMethod "cameraDistance".
 *
 * The reader takes float and the normalised integer component types glTF allows for vertex attributes
 * (SCALE, ROTATION, OPACITY, SH: signed/unsigned byte and short, normalised), any byteStride, and checks
 * every accessor against its buffer view and the binary chunk before reading. Linear SCALE is read
 * back as log(s); a zero scale (possible with normalised integers) reads as log(1e-30) rather than
 * -Infinity. A SCALE accessor holding negative values cannot be linear: it is a file from the earlier
 * log-space draft (HeadForge before this change, splat-transform before PR #268), read as log with a
 * warning.
 */
import { allocateCloud, SH_C0, shCoeffsRest, type GaussianCloud, type ShDegree } from '../gaussians/cloud';
import { logit, sigmoid } from '../gaussians/activations';
import { assertFiniteCloud, firstNonFinite } from '../gaussians/validate';
import { checkCount, SplatFormatError } from './errors';
import { checkGltfJson } from './gltf-schema';
import { GLTF_COMPONENT_BYTES, readGltfComponent } from '../gltf-components';

const GLB_MAGIC = 0x46546c67; // "glTF"
const CHUNK_JSON = 0x4e4f534a;
const CHUNK_BIN = 0x004e4942;
const EXT = 'KHR_gaussian_splatting';
const FLOAT = 5126;

/** sRGB transfer function inverse (IEC 61966-2-1), for glTF's linear COLOR_0. */
export function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
}

/** Smallest linear scale the reader maps to a finite log scale. */
const MIN_LINEAR_SCALE = 1e-30;

export function hasGlbMagic(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === GLB_MAGIC
  );
}

function shAttributeName(l: number, n: number): string {
  return `${EXT}:SH_DEGREE_${l}_COEF_${n}`;
}

interface AttributeData {
  name: string;
  type: 'SCALAR' | 'VEC3' | 'VEC4';
  data: Float32Array;
  minmax?: boolean;
}

export function writeGlb(cloud: GaussianCloud): Uint8Array {
  assertFiniteCloud(cloud);
  const n = cloud.count;
  const K = shCoeffsRest(cloud.shDegree);
  const color = new Float32Array(n * 4);
  const rotation = new Float32Array(n * 4);
  const opacity = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++)
      color[i * 4 + c] = srgbToLinear(Math.min(1, Math.max(0, 0.5 + SH_C0 * cloud.shDC[i * 3 + c])));
    opacity[i] = sigmoid(cloud.opacities[i]);
    color[i * 4 + 3] = opacity[i];
    const [w, x, y, z] = cloud.rotations.subarray(i * 4, i * 4 + 4);
    const len = Math.sqrt(w * w + x * x + y * y + z * z) || 1;
    rotation.set([x / len, y / len, z / len, w / len], i * 4);
  }
  const scale = new Float32Array(n * 3);
  for (let k = 0; k < n * 3; k++) scale[k] = Math.exp(cloud.scales[k]);
  const attributes: AttributeData[] = [
    { name: 'POSITION', type: 'VEC3', data: cloud.positions, minmax: true },
    { name: 'COLOR_0', type: 'VEC4', data: color },
    { name: `${EXT}:ROTATION`, type: 'VEC4', data: rotation },
    { name: `${EXT}:SCALE`, type: 'VEC3', data: scale },
    { name: `${EXT}:OPACITY`, type: 'SCALAR', data: opacity },
    { name: shAttributeName(0, 0), type: 'VEC3', data: cloud.shDC },
  ];
  for (let l = 1; l <= cloud.shDegree; l++)
    for (let m = 0; m < 2 * l + 1; m++) {
      const k = l * l - 1 + m;
      const data = new Float32Array(n * 3);
      for (let i = 0; i < n; i++)
        for (let c = 0; c < 3; c++) data[i * 3 + c] = cloud.shRest[(i * K + k) * 3 + c];
      attributes.push({ name: shAttributeName(l, m), type: 'VEC3', data });
    }
  const bufferViews: object[] = [];
  const accessors: object[] = [];
  const primitiveAttributes: Record<string, number> = {};
  let binLength = 0;
  for (const a of attributes) {
    const comps = a.type === 'SCALAR' ? 1 : a.type === 'VEC3' ? 3 : 4;
    bufferViews.push({ buffer: 0, byteOffset: binLength, byteLength: a.data.byteLength });
    const acc: Record<string, unknown> = {
      bufferView: bufferViews.length - 1,
      componentType: FLOAT,
      count: n,
      type: a.type,
    };
    if (a.minmax) {
      const min = [Infinity, Infinity, Infinity],
        max = [-Infinity, -Infinity, -Infinity];
      for (let i = 0; i < n; i++)
        for (let c = 0; c < comps; c++) {
          min[c] = Math.min(min[c], a.data[i * comps + c]);
          max[c] = Math.max(max[c], a.data[i * comps + c]);
        }
      acc.min = n ? min : [0, 0, 0];
      acc.max = n ? max : [0, 0, 0];
    }
    accessors.push(acc);
    primitiveAttributes[a.name] = accessors.length - 1;
    binLength += a.data.byteLength; // float data: every view stays 4-byte aligned
  }
  const json = {
    asset: { version: '2.0', generator: 'HeadForge' },
    extensionsUsed: [EXT],
    scene: 0,
    scenes: [{ nodes: [0] }],
    nodes: [{ mesh: 0, name: 'head' }],
    meshes: [
      {
        primitives: [
          {
            attributes: primitiveAttributes,
            mode: 0,
            extensions: {
              [EXT]: {
                kernel: 'ellipse',
                colorSpace: 'srgb_rec709_display',
                projection: 'perspective',
                sortingMethod: 'cameraDistance',
              },
            },
          },
        ],
      },
    ],
    buffers: [{ byteLength: binLength }],
    bufferViews,
    accessors,
  };
  let jsonBytes = new TextEncoder().encode(JSON.stringify(json));
  const jsonPadded = (jsonBytes.length + 3) & ~3;
  const padded = new Uint8Array(jsonPadded).fill(0x20);
  padded.set(jsonBytes);
  jsonBytes = padded;
  const total = 12 + 8 + jsonBytes.length + 8 + binLength;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, GLB_MAGIC, true);
  dv.setUint32(4, 2, true);
  dv.setUint32(8, total, true);
  dv.setUint32(12, jsonBytes.length, true);
  dv.setUint32(16, CHUNK_JSON, true);
  out.set(jsonBytes, 20);
  let o = 20 + jsonBytes.length;
  dv.setUint32(o, binLength, true);
  dv.setUint32(o + 4, CHUNK_BIN, true);
  o += 8;
  for (const a of attributes) {
    out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), o);
    o += a.data.byteLength;
  }
  return out;
}

// ----------------------------------------------------------------------------------------------- read

interface GltfAccessor {
  bufferView?: number;
  byteOffset?: number;
  componentType: number;
  normalized?: boolean;
  count: number;
  type: string;
}
interface GltfBufferView {
  buffer: number;
  byteOffset?: number;
  byteLength: number;
  byteStride?: number;
}
interface GltfPrimitive {
  attributes: Record<string, number>;
  mode?: number;
  extensions?: Record<string, unknown>;
}
interface GltfJson {
  accessors?: GltfAccessor[];
  bufferViews?: GltfBufferView[];
  meshes?: { primitives: GltfPrimitive[] }[];
}

const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4 };

/** Read accessor `index` as float32 [count * components], decoding normalised integers per glTF. */
function readAccessor(
  json: GltfJson,
  bin: Uint8Array,
  index: number,
  name: string,
  expectType: string,
): Float32Array {
  const acc = json.accessors?.[index];
  if (!acc) throw new SplatFormatError('GLB', `attribute ${name} points at missing accessor ${index}`);
  if (acc.type !== expectType)
    throw new SplatFormatError('GLB', `attribute ${name} is ${acc.type}, expected ${expectType}`);
  const comps = COMPONENTS[acc.type];
  const cbytes = GLTF_COMPONENT_BYTES[acc.componentType];
  if (!cbytes || acc.componentType === 5125)
    throw new SplatFormatError('GLB', `attribute ${name} has unsupported componentType ${acc.componentType}`);
  if (acc.componentType !== FLOAT && !acc.normalized)
    throw new SplatFormatError('GLB', `attribute ${name}: integer components must be normalized`);
  const view = acc.bufferView !== undefined ? json.bufferViews?.[acc.bufferView] : undefined;
  if (!view)
    throw new SplatFormatError(
      'GLB',
      `attribute ${name} has no buffer view (sparse accessors are not supported)`,
    );
  if (view.buffer !== 0)
    throw new SplatFormatError(
      'GLB',
      `attribute ${name} uses an external buffer; only the GLB binary chunk is read`,
    );
  const elem = comps * cbytes;
  const stride = view.byteStride ?? elem;
  const viewStart = view.byteOffset ?? 0;
  if (viewStart + view.byteLength > bin.length)
    throw new SplatFormatError(
      'GLB',
      `buffer view of ${name} ends at ${viewStart + view.byteLength}, past the ${bin.length}-byte binary chunk`,
    );
  const start = viewStart + (acc.byteOffset ?? 0);
  checkCount('GLB', acc.count, 0, 0);
  if (acc.count > 0 && (acc.byteOffset ?? 0) + stride * (acc.count - 1) + elem > view.byteLength)
    throw new SplatFormatError(
      'GLB',
      `accessor ${name} declares ${acc.count} elements, more than its buffer view holds (truncated?)`,
    );
  const out = new Float32Array(acc.count * comps);
  const dv = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  for (let i = 0; i < acc.count; i++)
    for (let c = 0; c < comps; c++) {
      const o = start + i * stride + c * cbytes;
      // Integer attributes are normalized (checked above).
      out[i * comps + c] = readGltfComponent(dv, o, acc.componentType, true);
    }
  const bad = firstNonFinite(out);
  if (bad >= 0)
    throw new SplatFormatError(
      'GLB',
      `non-finite value ${out[bad]} in ${name} of Gaussian ${Math.floor(bad / comps)}`,
    );
  return out;
}

export function readGlb(bytes: Uint8Array): GaussianCloud {
  return readGlbDetailed(bytes).cloud;
}

/** readGlb plus what the reader had to interpret (a log-space SCALE from the earlier draft). */
export function readGlbDetailed(bytes: Uint8Array): { cloud: GaussianCloud; warnings: string[] } {
  const warnings: string[] = [];
  if (bytes.length < 20 || !hasGlbMagic(bytes))
    throw new SplatFormatError('GLB', "wrong magic: not a binary glTF ('glTF')");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== 2) throw new SplatFormatError('GLB', `container version ${version} is not 2`);
  const total = dv.getUint32(8, true);
  if (total > bytes.length)
    throw new SplatFormatError(
      'GLB',
      `header declares ${total} bytes but the file has ${bytes.length} (truncated file?)`,
    );
  let json: GltfJson | undefined;
  let bin: Uint8Array = new Uint8Array(0);
  for (let o = 12; o + 8 <= total;) {
    const len = dv.getUint32(o, true);
    const type = dv.getUint32(o + 4, true);
    if (o + 8 + len > total)
      throw new SplatFormatError('GLB', `chunk at byte ${o} runs past the end of the file (truncated?)`);
    const body = bytes.subarray(o + 8, o + 8 + len);
    if (type === CHUNK_JSON) {
      try {
        json = JSON.parse(new TextDecoder().decode(body)) as GltfJson;
      } catch {
        throw new SplatFormatError('GLB', 'JSON chunk is not valid JSON');
      }
    } else if (type === CHUNK_BIN) bin = body;
    o += 8 + len;
  }
  if (!json) throw new SplatFormatError('GLB', 'no JSON chunk');
  checkGltfJson(json);
  const prim = (json.meshes ?? [])
    .flatMap((m) => m.primitives ?? [])
    .find((p) => p.extensions?.[EXT] !== undefined || p.attributes?.[`${EXT}:ROTATION`] !== undefined);
  if (!prim) throw new SplatFormatError('GLB', `no primitive uses ${EXT} (a mesh, not Gaussian splats?)`);
  if ((prim.mode ?? 4) !== 0)
    throw new SplatFormatError('GLB', `${EXT} primitive has mode ${prim.mode}, must be 0 (POINTS)`);
  const need = (name: string) => {
    const idx = prim.attributes[name];
    if (idx === undefined) throw new SplatFormatError('GLB', `missing attribute ${name}`);
    return idx;
  };
  const positions = readAccessor(json, bin, need('POSITION'), 'POSITION', 'VEC3');
  const n = positions.length / 3;
  let degree = 0;
  while (degree < 3 && prim.attributes[shAttributeName(degree + 1, 0)] !== undefined) degree++;
  const cloud = allocateCloud(n, degree as ShDegree);
  const K = shCoeffsRest(degree);
  const sameCount = (a: Float32Array, comps: number, name: string) => {
    if (a.length !== n * comps)
      throw new SplatFormatError('GLB', `${name} has ${a.length / comps} elements, POSITION has ${n}`);
    return a;
  };
  cloud.positions.set(positions);
  const scale = sameCount(readAccessor(json, bin, need(`${EXT}:SCALE`), 'SCALE', 'VEC3'), 3, 'SCALE');
  let logSpace = false;
  for (let k = 0; k < scale.length && !logSpace; k++) logSpace = scale[k] < 0;
  if (logSpace) {
    warnings.push(
      'SCALE has negative values, so it is in the log space of the earlier KHR_gaussian_splatting draft (the release candidate stores linear scale); read as log scale',
    );
    cloud.scales.set(scale);
  } else
    for (let k = 0; k < scale.length; k++) cloud.scales[k] = Math.log(Math.max(scale[k], MIN_LINEAR_SCALE));
  const rot = sameCount(readAccessor(json, bin, need(`${EXT}:ROTATION`), 'ROTATION', 'VEC4'), 4, 'ROTATION');
  for (let i = 0; i < n; i++)
    cloud.rotations.set([rot[i * 4 + 3], rot[i * 4], rot[i * 4 + 1], rot[i * 4 + 2]], i * 4);
  const op = sameCount(readAccessor(json, bin, need(`${EXT}:OPACITY`), 'OPACITY', 'SCALAR'), 1, 'OPACITY');
  for (let i = 0; i < n; i++) cloud.opacities[i] = logit(op[i]);
  cloud.shDC.set(
    sameCount(readAccessor(json, bin, need(shAttributeName(0, 0)), 'SH_DEGREE_0_COEF_0', 'VEC3'), 3, 'SH0'),
  );
  for (let l = 1; l <= degree; l++)
    for (let m = 0; m < 2 * l + 1; m++) {
      const name = shAttributeName(l, m);
      const a = sameCount(readAccessor(json, bin, need(name), name, 'VEC3'), 3, name);
      const k = l * l - 1 + m;
      for (let i = 0; i < n; i++)
        for (let c = 0; c < 3; c++) cloud.shRest[(i * K + k) * 3 + c] = a[i * 3 + c];
    }
  return { cloud, warnings };
}
