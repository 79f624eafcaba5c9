/**
 * The PLY codec's row readers (ply.ts reads the header and calls these): which vertex property goes to
 * which cloud column, and the binary (fast float32 path, or per-value DataView) and ASCII row loops
 * that scatter values into the cloud.
 */
import { shCoeffsRest, type GaussianCloud, type ShDegree } from '../gaussians/cloud';
import { firstNonFinite } from '../gaussians/validate';
import { axisSigns } from './axes';
import { checkCount, SplatFormatError } from './errors';
import { PLY_TYPE_SIZE, type PlyElement, type PlyHeader, type PlyScalarType } from './ply-header';

export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Rows converted per chunk: bounds scratch memory to a few MB whatever the file size. */
export const CHUNK_ROWS = 16384;

/** Where each cloud value comes from: a column index in the vertex row. */
export interface ScatterPlan {
  shDegree: ShDegree;
  pos: number[];
  scale: number[];
  rot: number[];
  opacity: number;
  dc: number[];
  /** rest[k * 3 + c] = column of f_rest_{c*K + k}. */
  rest: Int32Array;
  /** Column name for error messages, by buffer and component. */
  restNames: string[];
}

const KNOWN_IGNORED = new Set(['nx', 'ny', 'nz']);

export function planScatter(vertex: PlyElement, warnings: string[]): ScatterPlan {
  const col = new Map<string, number>();
  vertex.properties.forEach((p, i) => {
    if (p.listCountType)
      throw new SplatFormatError('PLY', `list property '${p.name}' in element 'vertex' is not supported`);
    if (col.has(p.name)) throw new SplatFormatError('PLY', `duplicate vertex property '${p.name}'`);
    col.set(p.name, i);
  });
  const need = (name: string): number => {
    const c = col.get(name);
    if (c === undefined)
      throw new SplatFormatError('PLY', `missing vertex property '${name}' (not a 3DGS Gaussian PLY?)`);
    return c;
  };
  const pos = ['x', 'y', 'z'].map(need);
  const dc = ['f_dc_0', 'f_dc_1', 'f_dc_2'].map(need);
  const opacity = need('opacity');
  const scale = ['scale_0', 'scale_1', 'scale_2'].map(need);
  const rot = ['rot_0', 'rot_1', 'rot_2', 'rot_3'].map(need);
  let restCount = 0;
  while (col.has(`f_rest_${restCount}`)) restCount++;
  const degree = [0, 9, 24, 45].indexOf(restCount);
  if (degree < 0)
    throw new SplatFormatError(
      'PLY',
      `found f_rest_0..f_rest_${restCount - 1} (${restCount}); SH needs 0, 9, 24 or 45`,
    );
  const K = shCoeffsRest(degree);
  const rest = new Int32Array(K * 3);
  const restNames: string[] = new Array(K * 3);
  for (let c = 0; c < 3; c++)
    for (let k = 0; k < K; k++) {
      rest[k * 3 + c] = need(`f_rest_${c * K + k}`);
      restNames[k * 3 + c] = `f_rest_${c * K + k}`;
    }
  const used = new Set<number>([...pos, ...dc, opacity, ...scale, ...rot, ...rest]);
  const unknown = vertex.properties
    .filter((p, i) => !used.has(i) && !KNOWN_IGNORED.has(p.name))
    .map((p) => p.name);
  if (unknown.length) warnings.push(`ignored unknown vertex properties: ${unknown.join(', ')}`);
  return { shDegree: degree as ShDegree, pos, scale, rot, opacity, dc, rest, restNames };
}

/** One column copy: cloud buffer `dst` at dst[i * stride + offset] = row[column] * sign. */
interface ColumnCopy {
  dst: Float32Array;
  stride: number;
  offset: number;
  column: number;
  sign: number;
}

/** The plan as one copy per column, so the hot loop is a tight strided copy (no per-value lookups). */
export function columnCopies(
  cloud: GaussianCloud,
  plan: ScatterPlan,
  sg: ReturnType<typeof axisSigns>,
): ColumnCopy[] {
  const copies: ColumnCopy[] = [];
  const add = (dst: Float32Array, stride: number, offset: number, column: number, sign = 1) =>
    copies.push({ dst, stride, offset, column, sign });
  plan.pos.forEach((col, a) => add(cloud.positions, 3, a, col, sg.position[a]));
  plan.scale.forEach((col, a) => add(cloud.scales, 3, a, col));
  plan.rot.forEach((col, a) => add(cloud.rotations, 4, a, col, sg.rotation[a]));
  add(cloud.opacities, 1, 0, plan.opacity);
  plan.dc.forEach((col, c) => add(cloud.shDC, 3, c, col));
  const K3 = plan.rest.length;
  for (let j = 0; j < K3; j++) add(cloud.shRest, K3, j, plan.rest[j], sg.shRest[(j / 3) | 0]);
  return copies;
}

/** Copy `rows` (P float32 columns each) into Gaussians first..first+rowCount-1 of the cloud. */
function scatterRows(
  copies: ColumnCopy[],
  rows: Float32Array,
  P: number,
  first: number,
  rowCount: number,
): void {
  for (const { dst, stride, offset, column, sign } of copies) {
    let d = first * stride + offset;
    let s = column;
    if (sign === 1) for (let r = 0; r < rowCount; r++, s += P, d += stride) dst[d] = rows[s];
    else for (let r = 0; r < rowCount; r++, s += P, d += stride) dst[d] = -rows[s];
  }
}

export function rowByteSize(el: PlyElement): number {
  let size = 0;
  for (const p of el.properties) {
    if (p.listCountType)
      throw new SplatFormatError(
        'PLY',
        `element '${el.name}' has list property '${p.name}' before the vertices; unsupported`,
      );
    size += PLY_TYPE_SIZE[p.type];
  }
  return size;
}

type Reader = (dv: DataView, offset: number) => number;
function scalarReader(type: PlyScalarType, little: boolean): Reader {
  switch (type) {
    case 'int8':
      return (dv, o) => dv.getInt8(o);
    case 'uint8':
      return (dv, o) => dv.getUint8(o);
    case 'int16':
      return (dv, o) => dv.getInt16(o, little);
    case 'uint16':
      return (dv, o) => dv.getUint16(o, little);
    case 'int32':
      return (dv, o) => dv.getInt32(o, little);
    case 'uint32':
      return (dv, o) => dv.getUint32(o, little);
    case 'float32':
      return (dv, o) => dv.getFloat32(o, little);
    case 'float64':
      return (dv, o) => dv.getFloat64(o, little);
  }
}

/** Byte offset of the first vertex row in a binary file, checking that preceding elements fit. */
export function binaryVertexOffset(bytes: Uint8Array, header: PlyHeader, vertexIndex: number): number {
  let offset = header.dataOffset;
  for (let e = 0; e < vertexIndex; e++) {
    const el = header.elements[e];
    const size = rowByteSize(el);
    checkCount('PLY', el.count, size, bytes.length - offset);
    offset += el.count * size;
  }
  return offset;
}

export function readBinaryVertices(
  bytes: Uint8Array,
  header: PlyHeader,
  vertexIndex: number,
  offset: number,
  copies: ColumnCopy[],
): void {
  const vertex = header.elements[vertexIndex];
  const P = vertex.properties.length;
  const n = vertex.count;
  const little = header.encoding === 'binary_little_endian';
  const allFloat = vertex.properties.every((p) => p.type === 'float32');
  if (allFloat && little && LITTLE_ENDIAN_HOST) {
    const abs = bytes.byteOffset + offset;
    const scratch = abs % 4 === 0 ? null : new Float32Array(CHUNK_ROWS * P);
    for (let start = 0; start < n; start += CHUNK_ROWS) {
      const count = Math.min(CHUNK_ROWS, n - start);
      let rows: Float32Array;
      if (scratch) {
        const from = offset + start * P * 4;
        new Uint8Array(scratch.buffer).set(bytes.subarray(from, from + count * P * 4));
        rows = scratch;
      } else rows = new Float32Array(bytes.buffer, abs + start * P * 4, count * P);
      scatterRows(copies, rows, P, start, count);
    }
    return;
  }
  const readers = vertex.properties.map((p) => scalarReader(p.type, little));
  const colOffsets: number[] = [];
  let rowSize = 0;
  for (const p of vertex.properties) {
    colOffsets.push(rowSize);
    rowSize += PLY_TYPE_SIZE[p.type];
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rows = new Float32Array(CHUNK_ROWS * P);
  for (let start = 0; start < n; start += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, n - start);
    for (let r = 0; r < count; r++) {
      const base = offset + (start + r) * rowSize;
      for (let p = 0; p < P; p++) rows[r * P + p] = readers[p](dv, base + colOffsets[p]);
    }
    scatterRows(copies, rows, P, start, count);
  }
}

/** One ASCII value. nan/inf spellings are kept (the finite check names them); anything else non-numeric throws. */
function parseAsciiValue(token: string, vertex: number, property: string): number {
  const v = Number(token);
  if (!Number.isNaN(v)) return v;
  if (/^[-+]?nan$/i.test(token)) return NaN;
  if (/^[-+]?inf$/i.test(token)) return token.startsWith('-') ? -Infinity : Infinity;
  throw new SplatFormatError(
    'PLY',
    `ASCII vertex ${vertex}: '${token}' is not a number (property '${property}')`,
  );
}

export function readAsciiVertices(
  bytes: Uint8Array,
  header: PlyHeader,
  vertexIndex: number,
  copies: ColumnCopy[],
): void {
  const text = new TextDecoder('latin1').decode(bytes.subarray(header.dataOffset));
  // Lines are taken one at a time (not text.split): an array of every line costs ~8-30 bytes per line,
  // so a file of empty lines would take ~10x its size (issue 20).
  let pos = 0;
  const nextLine = (): string | undefined => {
    if (pos > text.length) return undefined;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    pos = end + 1;
    return line;
  };
  for (let e = 0; e < vertexIndex; e++)
    for (let k = 0; k < header.elements[e].count && pos <= text.length; k++) nextLine();
  const vertex = header.elements[vertexIndex];
  const P = vertex.properties.length;
  const rows = new Float32Array(CHUNK_ROWS * P);
  for (let start = 0; start < vertex.count; start += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, vertex.count - start);
    for (let r = 0; r < count; r++) {
      const src = nextLine();
      const tokens = src === undefined ? [] : src.trim().split(/\s+/);
      if (tokens.length < P || tokens[0] === '')
        throw new SplatFormatError(
          'PLY',
          `ASCII vertex ${start + r} has ${tokens[0] === '' ? 0 : tokens.length} values, expected ${P} (truncated file?)`,
        );
      for (let p = 0; p < P; p++)
        rows[r * P + p] = parseAsciiValue(tokens[p], start + r, vertex.properties[p].name);
    }
    scatterRows(copies, rows, P, start, count);
  }
}

/** First NaN/Inf in the cloud, reported with the PLY property it came from. */
export function assertFiniteWithPlyNames(cloud: GaussianCloud, plan: ScatterPlan): void {
  const named: [Float32Array, string[]][] = [
    [cloud.positions, ['x', 'y', 'z']],
    [cloud.scales, ['scale_0', 'scale_1', 'scale_2']],
    [cloud.rotations, ['rot_0', 'rot_1', 'rot_2', 'rot_3']],
    [cloud.opacities, ['opacity']],
    [cloud.shDC, ['f_dc_0', 'f_dc_1', 'f_dc_2']],
    [cloud.shRest, plan.restNames],
  ];
  for (const [buf, names] of named) {
    if (names.length === 0) continue;
    const k = firstNonFinite(buf);
    if (k >= 0)
      throw new SplatFormatError(
        'PLY',
        `non-finite value ${buf[k]} in property '${names[k % names.length]}' of vertex ${Math.floor(k / names.length)}`,
      );
  }
}
