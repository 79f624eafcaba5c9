/**
 * Shape check for the parts of a glTF JSON chunk the GLB Gaussian reader uses (issue 20): any JSON
 * value may arrive, and every deviation must become a SplatFormatError naming the field, never a
 * TypeError or RangeError from deep inside the reader. Also enforces what makes reading allocate in
 * proportion to the file: integer, non-negative offsets and counts, known component types (own keys,
 * not prototype names), and a byteStride that is either absent or at least the element size
 * (glTF 2.0: 4..252, a multiple of 4), so a 14 KB file cannot declare 10 M Gaussians through
 * byteStride 0. Bounds against the binary chunk are checked by the reader (readAccessor) itself.
 */
import { SplatFormatError } from './errors';

const COMPONENT_COUNT: ReadonlyMap<string, number> = new Map([
  ['SCALAR', 1],
  ['VEC2', 2],
  ['VEC3', 3],
  ['VEC4', 4],
  ['MAT2', 4],
  ['MAT3', 9],
  ['MAT4', 16],
]);
const COMPONENT_SIZE: ReadonlyMap<number, number> = new Map([
  [5120, 1],
  [5121, 1],
  [5122, 2],
  [5123, 2],
  [5125, 4],
  [5126, 4],
]);

function fail(field: string, message: string): never {
  throw new SplatFormatError('GLB', `JSON ${field} ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function object(v: unknown, field: string): Record<string, unknown> {
  if (!isObject(v)) fail(field, 'must be an object');
  return v;
}

function optionalArray(v: unknown, field: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(field, 'must be an array');
  return v;
}

function index(v: unknown, field: string): number {
  if (!Number.isSafeInteger(v) || (v as number) < 0)
    fail(field, `must be a non-negative integer, not ${show(v)}`);
  return v as number;
}

function optionalIndex(v: unknown, field: string): number | undefined {
  return v === undefined ? undefined : index(v, field);
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** Throw a SplatFormatError naming the first field of `json` that is not the shape the reader relies on. */
export function checkGltfJson(json: unknown): void {
  const root = object(json, 'root');
  const views = optionalArray(root.bufferViews, 'bufferViews');
  views.forEach((raw, i) => {
    const v = object(raw, `bufferViews[${i}]`);
    index(v.buffer, `bufferViews[${i}].buffer`);
    optionalIndex(v.byteOffset, `bufferViews[${i}].byteOffset`);
    index(v.byteLength, `bufferViews[${i}].byteLength`);
    const stride = optionalIndex(v.byteStride, `bufferViews[${i}].byteStride`);
    if (stride !== undefined && (stride < 4 || stride > 252 || stride % 4 !== 0))
      fail(`bufferViews[${i}].byteStride`, `must be a multiple of 4 in 4..252, not ${stride}`);
  });
  const accessors = optionalArray(root.accessors, 'accessors');
  accessors.forEach((raw, i) => {
    const a = object(raw, `accessors[${i}]`);
    const f = `accessors[${i}]`;
    const view = optionalIndex(a.bufferView, `${f}.bufferView`);
    optionalIndex(a.byteOffset, `${f}.byteOffset`);
    index(a.count, `${f}.count`);
    const comps = typeof a.type === 'string' ? COMPONENT_COUNT.get(a.type) : undefined;
    if (comps === undefined) fail(`${f}.type`, `is not a glTF accessor type: ${show(a.type)}`);
    const size = typeof a.componentType === 'number' ? COMPONENT_SIZE.get(a.componentType) : undefined;
    if (size === undefined)
      fail(`${f}.componentType`, `is not a glTF component type: ${show(a.componentType)}`);
    if (a.normalized !== undefined && typeof a.normalized !== 'boolean')
      fail(`${f}.normalized`, 'must be a boolean');
    if (view !== undefined && view < views.length) {
      const stride = (views[view] as Record<string, unknown>).byteStride as number | undefined;
      if (stride !== undefined && stride < comps * size)
        fail(
          `bufferViews[${view}].byteStride`,
          `(${stride}) is smaller than the ${comps * size}-byte elements of ${f}`,
        );
    }
  });
  optionalArray(root.meshes, 'meshes').forEach((raw, m) => {
    const mesh = object(raw, `meshes[${m}]`);
    optionalArray(mesh.primitives, `meshes[${m}].primitives`).forEach((rawPrim, p) => {
      const f = `meshes[${m}].primitives[${p}]`;
      const prim = object(rawPrim, f);
      const attributes = object(prim.attributes, `${f}.attributes`);
      for (const [name, value] of Object.entries(attributes)) index(value, `${f}.attributes[${show(name)}]`);
      optionalIndex(prim.mode, `${f}.mode`);
      if (prim.extensions !== undefined) object(prim.extensions, `${f}.extensions`);
    });
  });
}
