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
import { assertFiniteCloud } from '../gaussians/validate';
import { axisSigns, type FileAxes } from './axes';
import { checkCount, SplatFormatError } from './errors';
import {
  formatPlyHeader,
  hasPlyMagic,
  parsePlyHeader,
  PLY_TYPE_SIZE,
  type PlyHeader,
} from './ply-header';
import {
  assertFiniteWithPlyNames,
  binaryVertexOffset,
  CHUNK_ROWS,
  columnCopies,
  LITTLE_ENDIAN_HOST,
  planScatter,
  readAsciiVertices,
  readBinaryVertices,
  rowByteSize,
} from './ply-rows';

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
