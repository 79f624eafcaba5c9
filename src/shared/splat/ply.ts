/**
 * INRIA 3DGS PLY codec.
 *
 * Vertex row (binary little endian float32, in this order for the 'full' variant, exactly as
 * graphdeco-inria/gaussian-splatting's construct_list_of_attributes + plyfile write it):
 *   x y z  nx ny nz (zeros)  f_dc_0..2  f_rest_0..(3K-1)  opacity  scale_0..2  rot_0..3
 * f_rest is channel-major: f_rest_{c*K + k} = coefficient k (k = 0..K-1) of channel c (r, g, b);
 * the cloud stores it coefficient-major (k * 3 + c), so the codec transposes.
 * opacity = logit, scale = log, rot = w x y z unnormalised: the cloud's own parameterisation.
 * The 'compact' variant (what LGM and HQ-Head write, what Unity's importer needs at minimum) has the
 * 14 properties x y z f_dc_0..2 opacity scale_0..2 rot_0..3.
 *
 * Axes: 3DGS PLY files are RDF (OpenCV); by default the codec converts RUB <-> RDF on write and read
 * (see axes.ts). Pass axes: 'rub' to write/read the cloud's coordinates verbatim.
 *
 * Reading accepts binary LE/BE and ASCII, any scalar property types, properties in any order, unknown
 * properties and extra elements (reported in `warnings`). Float32 little-endian files take a fast path
 * that copies rows out of one Float32Array view (>= 200 MB/s target); everything else goes through a
 * per-value DataView/text path into the same scatter loop.
 */
import { allocateCloud, shCoeffsRest, type GaussianCloud, type ShDegree } from '../gaussians/cloud';
import { assertFiniteCloud, firstNonFinite } from '../gaussians/validate';
import { axisSigns, type FileAxes } from './axes';
import { checkCount, SplatFormatError } from './errors';
import {
  formatPlyHeader,
  hasPlyMagic,
  parsePlyHeader,
  PLY_TYPE_SIZE,
  type PlyElement,
  type PlyHeader,
  type PlyScalarType,
} from './ply-header';

export type PlyVariant = 'full' | 'compact';

export interface PlyWriteOptions {
  variant?: PlyVariant;
  /** Axes of the written file. Default 'rdf' (3DGS convention). */
  axes?: FileAxes;
}

export interface PlyReadOptions {
  /** Axes the file is in. Default 'rdf'. */
  axes?: FileAxes;
}

export interface PlyReadResult {
  cloud: GaussianCloud;
  /** Ignored properties/elements, one human-readable line each. */
  warnings: string[];
  encoding: PlyHeader['encoding'];
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Rows converted per chunk: bounds scratch memory to a few MB whatever the file size. */
const CHUNK_ROWS = 16384;

/** Vertex property names in 3DGS writer order. */
export function plyPropertyNames(shDegree: ShDegree, variant: PlyVariant = 'full'): string[] {
  const names = ['x', 'y', 'z'];
  if (variant === 'full') names.push('nx', 'ny', 'nz');
  names.push('f_dc_0', 'f_dc_1', 'f_dc_2');
  if (variant === 'full') for (let j = 0; j < shCoeffsRest(shDegree) * 3; j++) names.push(`f_rest_${j}`);
  names.push('opacity', 'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3');
  return names;
}

// ---------------------------------------------------------------------------------------------- write

export function writePly(cloud: GaussianCloud, options: PlyWriteOptions = {}): Uint8Array {
  const variant = options.variant ?? 'full';
  assertFiniteCloud(cloud);
  const names = plyPropertyNames(cloud.shDegree, variant);
  const P = names.length;
  const header = new TextEncoder().encode(formatPlyHeader(cloud.count, names));
  const n = cloud.count;
  const out = new Uint8Array(header.length + n * P * 4);
  out.set(header, 0);
  const sg = axisSigns(options.axes ?? 'rdf');
  const K = variant === 'full' ? shCoeffsRest(cloud.shDegree) : 0;
  const Kc = shCoeffsRest(cloud.shDegree);
  const aligned = LITTLE_ENDIAN_HOST && header.length % 4 === 0;
  // Rows are written into `rows` (a Float32Array either directly over `out` or over a scratch chunk
  // that is then byte-copied), P floats per row.
  const scratch = aligned ? null : new Float32Array(CHUNK_ROWS * P);
  const { positions: Pp, scales: S, rotations: Q, opacities: O, shDC: D, shRest: R } = cloud;
  const [px, py, pz] = sg.position;
  const [rw, rx, ry, rz] = sg.rotation;
  const restSign = sg.shRest;
  for (let start = 0; start < n; start += CHUNK_ROWS) {
    const end = Math.min(n, start + CHUNK_ROWS);
    const rows =
      scratch ??
      new Float32Array(out.buffer, out.byteOffset + header.length + start * P * 4, (end - start) * P);
    let o = 0;
    for (let i = start; i < end; i++) {
      rows[o++] = Pp[i * 3] * px;
      rows[o++] = Pp[i * 3 + 1] * py;
      rows[o++] = Pp[i * 3 + 2] * pz;
      if (variant === 'full') {
        rows[o++] = 0;
        rows[o++] = 0;
        rows[o++] = 0;
      }
      rows[o++] = D[i * 3];
      rows[o++] = D[i * 3 + 1];
      rows[o++] = D[i * 3 + 2];
      const rb = i * Kc * 3;
      for (let c = 0; c < 3 && K > 0; c++)
        for (let k = 0; k < K; k++) rows[o++] = R[rb + k * 3 + c] * restSign[k];
      rows[o++] = O[i];
      rows[o++] = S[i * 3];
      rows[o++] = S[i * 3 + 1];
      rows[o++] = S[i * 3 + 2];
      rows[o++] = Q[i * 4] * rw;
      rows[o++] = Q[i * 4 + 1] * rx;
      rows[o++] = Q[i * 4 + 2] * ry;
      rows[o++] = Q[i * 4 + 3] * rz;
    }
    if (scratch) {
      const bytes = new Uint8Array(scratch.buffer, 0, (end - start) * P * 4);
      if (LITTLE_ENDIAN_HOST) out.set(bytes, header.length + start * P * 4);
      else writeLittleEndianFloats(out, header.length + start * P * 4, scratch, (end - start) * P);
    }
  }
  return out;
}

function writeLittleEndianFloats(out: Uint8Array, offset: number, src: Float32Array, count: number): void {
  const dv = new DataView(out.buffer, out.byteOffset);
  for (let k = 0; k < count; k++) dv.setFloat32(offset + k * 4, src[k], true);
}

// ----------------------------------------------------------------------------------------------- read

/** Where each cloud value comes from: a column index in the vertex row. */
interface ScatterPlan {
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

function planScatter(vertex: PlyElement, warnings: string[]): ScatterPlan {
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
function columnCopies(
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

function rowByteSize(el: PlyElement): number {
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
function binaryVertexOffset(bytes: Uint8Array, header: PlyHeader, vertexIndex: number): number {
  let offset = header.dataOffset;
  for (let e = 0; e < vertexIndex; e++) {
    const el = header.elements[e];
    const size = rowByteSize(el);
    checkCount('PLY', el.count, size, bytes.length - offset);
    offset += el.count * size;
  }
  return offset;
}

function readBinaryVertices(
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

function readAsciiVertices(
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
function assertFiniteWithPlyNames(cloud: GaussianCloud, plan: ScatterPlan): void {
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

/** A PlayCanvas compressed PLY: a PLY whose header has a 'chunk' element (per-256 bounds) before 'vertex'. */
export function isCompressedPly(bytes: Uint8Array): boolean {
  return hasPlyMagic(bytes) && parsePlyHeader(bytes).elements.some((e) => e.name === 'chunk');
}

/**
 * Before a compressed PLY goes to splat-transform (which allocates for the declared counts first):
 * binary little endian, no list properties, and every element's rows fit in the bytes present.
 * Returns its vertex count.
 */
export function checkCompressedPlySize(bytes: Uint8Array): number {
  const header = parsePlyHeader(bytes);
  if (header.encoding !== 'binary_little_endian')
    throw new SplatFormatError('PLY', `compressed PLY must be binary_little_endian, not ${header.encoding}`);
  let need = 0;
  for (const el of header.elements) {
    if (el.properties.some((p) => p.listCountType))
      throw new SplatFormatError('PLY', `compressed PLY element '${el.name}' has a list property`);
    need += el.count * el.properties.reduce((sum, p) => sum + PLY_TYPE_SIZE[p.type], 0);
  }
  const have = bytes.length - header.dataOffset;
  if (need > have)
    throw new SplatFormatError(
      'PLY',
      `compressed PLY declares ${need} bytes of rows but only ${have} bytes are present (truncated file?)`,
    );
  return header.elements.find((e) => e.name === 'vertex')?.count ?? 0;
}

export function readPly(bytes: Uint8Array, options: PlyReadOptions = {}): PlyReadResult {
  const header = parsePlyHeader(bytes);
  const warnings: string[] = [];
  const vertexIndex = header.elements.findIndex((e) => e.name === 'vertex');
  if (vertexIndex < 0) throw new SplatFormatError('PLY', "no 'vertex' element");
  for (const el of header.elements)
    if (el.name !== 'vertex') warnings.push(`ignored element '${el.name}' (${el.count} rows)`);
  if (header.elements.some((e) => e.name === 'chunk'))
    throw new SplatFormatError(
      'PLY',
      'PlayCanvas compressed PLY (element "chunk") is read by the engine only (readSplatFile in src/engine/splat-io)',
    );
  const vertex = header.elements[vertexIndex];
  const plan = planScatter(vertex, warnings);
  const ascii = header.encoding === 'ascii';
  const vertexOffset = ascii ? header.dataOffset : binaryVertexOffset(bytes, header, vertexIndex);
  // Binary: exact row size. ASCII: each value needs at least one character and one separator.
  const minRowBytes = ascii ? vertex.properties.length * 2 : rowByteSize(vertex);
  checkCount('PLY', vertex.count, minRowBytes, bytes.length - vertexOffset + (ascii ? 1 : 0));
  const cloud = allocateCloud(vertex.count, plan.shDegree);
  const sg = axisSigns(options.axes ?? 'rdf');
  if (ascii) readAsciiVertices(bytes, header, vertexIndex, columnCopies(cloud, plan, sg));
  else readBinaryVertices(bytes, header, vertexIndex, vertexOffset, columnCopies(cloud, plan, sg));
  assertFiniteWithPlyNames(cloud, plan);
  return { cloud, warnings, encoding: header.encoding };
}
