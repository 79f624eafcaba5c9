/**
 * The installed head-model asset: a manifest (head-model.json: name, version, licence, source, sha256,
 * counts, the binary's layout) and one binary file (head-model.bin: little-endian arrays, 4-byte
 * aligned). The loader checks the format, the byte length, the sha256, every count and every float
 * (no NaN/Infinity) before handing the model out, and names what is wrong otherwise.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FACE_MESH_LANDMARKS, type HeadModel, type HeadModelPart } from './types';

export const HEAD_MODEL_MANIFEST = 'head-model.json';
export const HEAD_MODEL_BIN = 'head-model.bin';
export const HEAD_MODEL_FORMAT = 'headforge-head-model';
export const HEAD_MODEL_FORMAT_VERSION = 1;

type DType = 'float32' | 'uint32' | 'int32' | 'uint8';

interface ArrayEntry {
  name: string;
  dtype: DType;
  /** Byte offset into the binary. */
  offset: number;
  /** Element count. */
  length: number;
}

/** Why a landmark has no correspondence (HeadModel.landmarkTriangles = -1), see landmarks.ts. */
export const LANDMARK_STATUS = { ok: 0, contour: 1, unstable: 2, undetected: 3 } as const;

export interface HeadModelManifest {
  format: typeof HEAD_MODEL_FORMAT;
  formatVersion: number;
  name: string;
  version: number;
  licence: string;
  source: string;
  /** sha256 (hex) of the binary file. */
  sha256: string;
  binFile: string;
  byteLength: number;
  vertexCount: number;
  triangleCount: number;
  identityCount: number;
  expressionNames: string[];
  parts: HeadModelPart[];
  arrays: ArrayEntry[];
  /** Free-form import details (source files, landmark statistics); not needed to load. */
  importInfo?: Record<string, unknown>;
  createdAt?: string;
}

/** Everything of a HeadModel except `info` (which the manifest carries), plus per-landmark status. */
export type HeadModelData = Omit<HeadModel, 'info'>;

const ARRAYS: Array<{ name: string; dtype: DType }> = [
  { name: 'neutral', dtype: 'float32' },
  { name: 'identity', dtype: 'float32' },
  { name: 'expressions', dtype: 'float32' },
  { name: 'triangles', dtype: 'uint32' },
  { name: 'triangleUvs', dtype: 'float32' },
  { name: 'landmarkTriangles', dtype: 'int32' },
  { name: 'landmarkBarycentrics', dtype: 'float32' },
  { name: 'multiPie68', dtype: 'uint32' },
  { name: 'landmarkStatus', dtype: 'uint8' },
  { name: 'jawlineRight', dtype: 'uint32' },
  { name: 'jawlineLeft', dtype: 'uint32' },
  { name: 'jawlineRightExtended', dtype: 'uint32' },
  { name: 'jawlineLeftExtended', dtype: 'uint32' },
];

const JAWLINE_ARRAYS = {
  right: 'jawlineRight',
  left: 'jawlineLeft',
  rightExtended: 'jawlineRightExtended',
  leftExtended: 'jawlineLeftExtended',
} as const;

const BYTES: Record<DType, number> = { float32: 4, uint32: 4, int32: 4, uint8: 1 };

/** The error every damaged, partial or foreign asset produces (message says what and how to fix). */
export class HeadModelAssetError extends Error {
  constructor(
    readonly dir: string,
    detail: string,
  ) {
    super(
      `head model at ${dir} is unusable: ${detail}. Re-import it: headforge models import-head <path-to-ICT-FaceKit/FaceXModel>`,
    );
    this.name = 'HeadModelAssetError';
  }
}

export interface WriteAssetInfo {
  name: string;
  version: number;
  licence: string;
  source: string;
  importInfo?: Record<string, unknown>;
}

/** Write the asset into `destDir` (created; existing asset files replaced atomically). Returns the manifest. */
export function writeHeadModelAsset(
  destDir: string,
  data: HeadModelData,
  info: WriteAssetInfo,
): HeadModelManifest {
  const arrays: ArrayEntry[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  const flat: Record<string, unknown> = { ...data };
  if (data.jawline)
    for (const [k, name] of Object.entries(JAWLINE_ARRAYS))
      flat[name] = data.jawline[k as keyof typeof JAWLINE_ARRAYS];
  for (const { name, dtype } of ARRAYS) {
    const arr = flat[name] as (ArrayLike<number> & ArrayBufferView) | undefined;
    if (!arr) continue;
    const bytes = Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength);
    const pad = (4 - (offset % 4)) % 4;
    if (pad) {
      chunks.push(Buffer.alloc(pad));
      offset += pad;
    }
    arrays.push({ name, dtype, offset, length: arr.length });
    chunks.push(bytes);
    offset += bytes.length;
  }
  const bin = Buffer.concat(chunks);
  const manifest: HeadModelManifest = {
    format: HEAD_MODEL_FORMAT,
    formatVersion: HEAD_MODEL_FORMAT_VERSION,
    name: info.name,
    version: info.version,
    licence: info.licence,
    source: info.source,
    sha256: crypto.createHash('sha256').update(bin).digest('hex'),
    binFile: HEAD_MODEL_BIN,
    byteLength: bin.length,
    vertexCount: data.vertexCount,
    triangleCount: data.triangles.length / 3,
    identityCount: data.identityCount,
    expressionNames: data.expressionNames,
    parts: data.parts,
    arrays,
    importInfo: info.importInfo,
    createdAt: new Date().toISOString(),
  };
  fs.mkdirSync(destDir, { recursive: true });
  const tmpBin = path.join(destDir, `.${HEAD_MODEL_BIN}.${process.pid}.tmp`);
  const tmpMan = path.join(destDir, `.${HEAD_MODEL_MANIFEST}.${process.pid}.tmp`);
  fs.writeFileSync(tmpBin, bin);
  fs.writeFileSync(tmpMan, JSON.stringify(manifest, null, 2) + '\n');
  // The binary first: a manifest never points at a binary it does not describe for long, and the
  // loader's checksum catches the window in between.
  fs.renameSync(tmpBin, path.join(destDir, HEAD_MODEL_BIN));
  fs.renameSync(tmpMan, path.join(destDir, HEAD_MODEL_MANIFEST));
  return manifest;
}

/** Read and check the manifest only (no binary); throws HeadModelAssetError. */
export function readHeadModelManifest(dir: string): HeadModelManifest {
  const file = path.join(dir, HEAD_MODEL_MANIFEST);
  if (!fs.existsSync(file)) throw new HeadModelAssetError(dir, `${HEAD_MODEL_MANIFEST} is missing`);
  let m: HeadModelManifest;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as HeadModelManifest;
  } catch (err) {
    throw new HeadModelAssetError(
      dir,
      `${HEAD_MODEL_MANIFEST} is not valid JSON (${(err as Error).message})`,
    );
  }
  if (m?.format !== HEAD_MODEL_FORMAT)
    throw new HeadModelAssetError(
      dir,
      `${HEAD_MODEL_MANIFEST} is not a head-model manifest (format ${JSON.stringify(m?.format)})`,
    );
  if (m.formatVersion !== HEAD_MODEL_FORMAT_VERSION) {
    throw new HeadModelAssetError(
      dir,
      `asset format version ${m.formatVersion}, this HeadForge reads ${HEAD_MODEL_FORMAT_VERSION}`,
    );
  }
  for (const key of ['name', 'sha256', 'binFile', 'licence', 'source'] as const) {
    if (typeof m[key] !== 'string' || !m[key])
      throw new HeadModelAssetError(dir, `manifest field "${key}" is missing`);
  }
  for (const key of ['byteLength', 'vertexCount', 'triangleCount', 'identityCount', 'version'] as const) {
    if (!Number.isInteger(m[key]) || m[key] < 0)
      throw new HeadModelAssetError(dir, `manifest field "${key}" is not a count`);
  }
  if (!Array.isArray(m.expressionNames) || !Array.isArray(m.parts) || !Array.isArray(m.arrays)) {
    throw new HeadModelAssetError(dir, 'manifest lacks expressionNames, parts or arrays');
  }
  if (path.basename(m.binFile) !== m.binFile)
    throw new HeadModelAssetError(dir, `binFile "${m.binFile}" must be a plain file name`);
  return m;
}

function view(dir: string, bytes: Uint8Array, e: ArrayEntry): ArrayLike<number> {
  const size = BYTES[e.dtype];
  if (!size) throw new HeadModelAssetError(dir, `array ${e.name} has unknown dtype ${e.dtype}`);
  if (
    !Number.isInteger(e.offset) ||
    !Number.isInteger(e.length) ||
    e.offset < 0 ||
    e.length < 0 ||
    e.offset + e.length * size > bytes.length
  ) {
    throw new HeadModelAssetError(dir, `array ${e.name} lies outside the binary (truncated?)`);
  }
  // Copy into its own buffer: aligned, and independent of the file buffer.
  const copy = new Uint8Array(bytes.subarray(e.offset, e.offset + e.length * size)); // (Buffer#slice would not copy)
  switch (e.dtype) {
    case 'float32':
      return new Float32Array(copy.buffer, 0, e.length);
    case 'uint32':
      return new Uint32Array(copy.buffer, 0, e.length);
    case 'int32':
      return new Int32Array(copy.buffer, 0, e.length);
    default:
      return new Uint8Array(copy.buffer, 0, e.length);
  }
}

/** Load and validate an installed head model; throws HeadModelAssetError naming what is wrong. */
export function loadHeadModel(dir: string): HeadModel {
  const m = readHeadModelManifest(dir);
  const binPath = path.join(dir, m.binFile);
  if (!fs.existsSync(binPath)) throw new HeadModelAssetError(dir, `${m.binFile} is missing`);
  const bytes = fs.readFileSync(binPath);
  if (bytes.length !== m.byteLength) {
    throw new HeadModelAssetError(
      dir,
      `${m.binFile} has ${bytes.length} bytes, the manifest says ${m.byteLength} (partial copy?)`,
    );
  }
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  if (sha !== m.sha256)
    throw new HeadModelAssetError(
      dir,
      `checksum mismatch: ${m.binFile} has sha256 ${sha.slice(0, 12)}..., the manifest says ${m.sha256.slice(0, 12)}... (damaged file)`,
    );
  const got: Record<string, ArrayLike<number>> = {};
  for (const e of m.arrays) got[e.name] = view(dir, bytes, e);
  const V = m.vertexCount;
  const T = m.triangleCount;
  const E = m.expressionNames.length;
  const expect: Record<string, number> = {
    neutral: V * 3,
    identity: m.identityCount * V * 3,
    expressions: E * V * 3,
    triangles: T * 3,
    triangleUvs: T * 6,
    landmarkTriangles: FACE_MESH_LANDMARKS,
    landmarkBarycentrics: FACE_MESH_LANDMARKS * 3,
    multiPie68: 68,
  };
  for (const [name, n] of Object.entries(expect)) {
    if (!got[name]) throw new HeadModelAssetError(dir, `array ${name} is missing`);
    if (got[name].length !== n)
      throw new HeadModelAssetError(dir, `array ${name} has ${got[name].length} values, expected ${n}`);
  }
  for (const e of m.arrays) {
    if (e.dtype !== 'float32') continue;
    const a = got[e.name];
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i]))
        throw new HeadModelAssetError(dir, `array ${e.name} has a non-finite value at ${i}`);
    }
  }
  const tris = got.triangles as Uint32Array;
  for (let i = 0; i < tris.length; i++)
    if (tris[i] >= V)
      throw new HeadModelAssetError(dir, `triangle corner ${i} refers to vertex ${tris[i]} of ${V}`);
  const lt = got.landmarkTriangles as Int32Array;
  for (let i = 0; i < lt.length; i++)
    if (lt[i] < -1 || lt[i] >= T)
      throw new HeadModelAssetError(dir, `landmark ${i} refers to triangle ${lt[i]} of ${T}`);
  const mp = got.multiPie68 as Uint32Array;
  for (let i = 0; i < mp.length; i++)
    if (mp[i] >= V)
      throw new HeadModelAssetError(dir, `Multi-PIE landmark ${i} refers to vertex ${mp[i]} of ${V}`);
  let jawline: HeadModel['jawline'];
  if (Object.values(JAWLINE_ARRAYS).every((n) => got[n])) {
    for (const n of Object.values(JAWLINE_ARRAYS)) {
      const a = got[n];
      for (let i = 0; i < a.length; i++)
        if (a[i] >= V) throw new HeadModelAssetError(dir, `${n}[${i}] refers to vertex ${a[i]} of ${V}`);
    }
    jawline = {
      right: got.jawlineRight as Uint32Array,
      left: got.jawlineLeft as Uint32Array,
      rightExtended: got.jawlineRightExtended as Uint32Array,
      leftExtended: got.jawlineLeftExtended as Uint32Array,
    };
  }
  for (const p of m.parts) {
    if (!(
      p.vertexStart >= 0 &&
      p.vertexStart <= p.vertexEnd &&
      p.vertexEnd <= V &&
      p.triangleStart >= 0 &&
      p.triangleStart <= p.triangleEnd &&
      p.triangleEnd <= T
    )) {
      throw new HeadModelAssetError(dir, `part ${p.name} has ranges outside the mesh`);
    }
  }
  return {
    info: { name: m.name, version: m.version, sha256: m.sha256, source: m.source, licence: m.licence },
    vertexCount: V,
    neutral: got.neutral as Float32Array,
    identityCount: m.identityCount,
    identity: got.identity as Float32Array,
    expressionNames: [...m.expressionNames],
    expressions: got.expressions as Float32Array,
    triangles: tris,
    triangleUvs: got.triangleUvs as Float32Array,
    parts: m.parts.map((p) => ({ ...p })),
    landmarkTriangles: lt,
    landmarkBarycentrics: got.landmarkBarycentrics as Float32Array,
    multiPie68: mp,
    ...(got.landmarkStatus ? { landmarkStatus: got.landmarkStatus as Uint8Array } : {}),
    ...(jawline ? { jawline } : {}),
  };
}
