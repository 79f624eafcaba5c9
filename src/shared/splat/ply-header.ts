/**
 * PLY header parsing and writing (the part of the PLY codec that deals in text).
 *
 * The header is ASCII lines ending in "end_header\n" (we also accept "\r\n"). We read only what a
 * Gaussian file needs: the format line, elements with scalar properties, and list properties in
 * elements we skip (they make an element's byte size data-dependent, so a list before "vertex" in a
 * binary file is rejected).
 */
import { SplatFormatError } from './errors';

export type PlyEncoding = 'ascii' | 'binary_little_endian' | 'binary_big_endian';
export type PlyScalarType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

export interface PlyProperty {
  name: string;
  type: PlyScalarType;
  /** Set for list properties: the count type (the item type is `type`). */
  listCountType?: PlyScalarType;
}

export interface PlyElement {
  name: string;
  count: number;
  properties: PlyProperty[];
}

export interface PlyHeader {
  encoding: PlyEncoding;
  elements: PlyElement[];
  /** Byte offset of the first data byte (just after "end_header\n"). */
  dataOffset: number;
}

const TYPE_ALIASES: Readonly<Record<string, PlyScalarType>> = {
  char: 'int8',
  int8: 'int8',
  uchar: 'uint8',
  uint8: 'uint8',
  short: 'int16',
  int16: 'int16',
  ushort: 'uint16',
  uint16: 'uint16',
  int: 'int32',
  int32: 'int32',
  uint: 'uint32',
  uint32: 'uint32',
  float: 'float32',
  float32: 'float32',
  double: 'float64',
  float64: 'float64',
};

export const PLY_TYPE_SIZE: Record<PlyScalarType, number> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  float64: 8,
};

/** A type name read from a file: own keys only ('constructor' or 'toString' are not PLY types). */
function plyType(word: string | undefined): PlyScalarType | undefined {
  return word !== undefined && Object.hasOwn(TYPE_ALIASES, word) ? TYPE_ALIASES[word] : undefined;
}

/** Headers longer than this are rejected rather than scanned (real 3DGS headers are ~1.5 KB). */
const MAX_HEADER_BYTES = 1 << 16;

function findEndHeader(bytes: Uint8Array): number {
  const needle = 'end_header';
  const limit = Math.min(bytes.length, MAX_HEADER_BYTES);
  outer: for (let i = 0; i + needle.length <= limit; i++) {
    for (let k = 0; k < needle.length; k++) if (bytes[i + k] !== needle.charCodeAt(k)) continue outer;
    // Must start a line.
    if (i > 0 && bytes[i - 1] !== 0x0a) continue;
    let j = i + needle.length;
    if (bytes[j] === 0x0d) j++;
    if (bytes[j] !== 0x0a) continue;
    return j + 1;
  }
  return -1;
}

function asciiDecode(bytes: Uint8Array, end: number): string {
  let s = '';
  for (let i = 0; i < end; i += 8192)
    s += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 8192)));
  return s;
}

export function hasPlyMagic(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x70 && // p
    bytes[1] === 0x6c && // l
    bytes[2] === 0x79 && // y
    (bytes[3] === 0x0a || (bytes[3] === 0x0d && bytes[4] === 0x0a))
  );
}

export function parsePlyHeader(bytes: Uint8Array): PlyHeader {
  if (!hasPlyMagic(bytes)) throw new SplatFormatError('PLY', "wrong magic: file does not start with 'ply'");
  const dataOffset = findEndHeader(bytes);
  if (dataOffset < 0)
    throw new SplatFormatError('PLY', `no 'end_header' line in the first ${MAX_HEADER_BYTES} bytes (truncated or not a PLY)`);
  const lines = asciiDecode(bytes, dataOffset).split(/\r?\n/);
  let encoding: PlyEncoding | undefined;
  const elements: PlyElement[] = [];
  for (let ln = 1; ln < lines.length; ln++) {
    const words = lines[ln].trim().split(/\s+/);
    const kw = words[0];
    if (kw === '' || kw === 'comment' || kw === 'obj_info') continue;
    if (kw === 'end_header') break;
    if (kw === 'format') {
      if (words[1] !== 'ascii' && words[1] !== 'binary_little_endian' && words[1] !== 'binary_big_endian')
        throw new SplatFormatError('PLY', `unknown format '${words[1]}' on header line ${ln + 1}`);
      encoding = words[1];
    } else if (kw === 'element') {
      const count = Number(words[2]);
      if (words.length !== 3 || !Number.isSafeInteger(count) || count < 0)
        throw new SplatFormatError('PLY', `bad element line ${ln + 1}: '${lines[ln]}'`);
      elements.push({ name: words[1], count, properties: [] });
    } else if (kw === 'property') {
      const el = elements[elements.length - 1];
      if (!el) throw new SplatFormatError('PLY', `property before any element on header line ${ln + 1}`);
      if (words[1] === 'list') {
        const countType = plyType(words[2]);
        const itemType = plyType(words[3]);
        if (!countType || !itemType || !words[4])
          throw new SplatFormatError('PLY', `bad list property on header line ${ln + 1}: '${lines[ln]}'`);
        el.properties.push({ name: words[4], type: itemType, listCountType: countType });
      } else {
        const type = plyType(words[1]);
        if (!type || !words[2])
          throw new SplatFormatError('PLY', `bad property on header line ${ln + 1}: '${lines[ln]}'`);
        el.properties.push({ name: words[2], type });
      }
    } else {
      throw new SplatFormatError('PLY', `unknown header keyword '${kw}' on line ${ln + 1}`);
    }
  }
  if (!encoding) throw new SplatFormatError('PLY', "header has no 'format' line");
  return { encoding, elements, dataOffset };
}

/**
 * Header text exactly as the original 3DGS code writes it through plyfile: "ply", format line,
 * "element vertex N", one "property float NAME" per attribute, "end_header", each ending in "\n".
 */
export function formatPlyHeader(count: number, propertyNames: readonly string[]): string {
  const lines = ['ply', 'format binary_little_endian 1.0', `element vertex ${count}`];
  for (const name of propertyNames) lines.push(`property float ${name}`);
  lines.push('end_header');
  return lines.join('\n') + '\n';
}
