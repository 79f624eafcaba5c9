/**
 * Checks shared by every pack kind (diffusion and style): the validation record, files inside the
 * pack with their sha256, ONNX graphs read without loading weights, op domains (custom-op libraries
 * are refused, never loaded), and one tensor's name/dtype/shape against the graph.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NotOnnxError, readOnnxGraphInfo, type OnnxGraphInfo, type TensorSignature } from '../onnx/graph-info';
import { sha256File } from './hash';
import type { PackManifest, TensorSpec } from './manifest';
import type { StylePackManifest } from './style-manifest';

/** Op domains built into onnxruntime itself; anything else needs a custom-op library, which we never load. */
export const ALLOWED_OP_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml', 'com.microsoft']);

export type PackKind = 'diffusion' | 'style';

export interface PackValidation {
  dir: string;
  ok: boolean;
  /** From pack.json's `kind` (absent = diffusion), known as soon as the JSON parses. */
  kind: PackKind;
  /** The diffusion manifest when the pack is a valid-schema diffusion pack, else null. */
  manifest: PackManifest | null;
  /** The style manifest when the pack is a valid-schema style pack, else null. */
  styleManifest: StylePackManifest | null;
  errors: string[];
  warnings: string[];
}

/** Name, version and license of either kind of manifest (for listings). */
export function packIdentity(v: PackValidation): { name: string; version: string; license: string } | null {
  const m = v.manifest ?? v.styleManifest;
  return m ? { name: m.name, version: m.version, license: m.license } : null;
}

export function findCustomOpKey(value: unknown, prefix = ''): string | null {
  if (!value || typeof value !== 'object') return null;
  for (const [k, child] of Object.entries(value)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (/custom.?op|ops.?librar/i.test(k)) return p;
    const inner = findCustomOpKey(child, p);
    if (inner) return inner;
  }
  return null;
}

/** File exists, is a regular file that resolves inside the pack, and (optionally) has the stated hash. */
export async function checkFile(v: PackValidation, rel: string, expected: string, verifyHashes: boolean, what: string): Promise<string | null> {
  const abs = path.join(v.dir, rel);
  if (!fs.existsSync(abs)) {
    v.errors.push(`${what}: file ${rel} is missing`);
    return null;
  }
  const real = fs.realpathSync(abs);
  const realDir = fs.realpathSync(v.dir);
  if (!real.startsWith(realDir + path.sep)) {
    v.errors.push(`${what}: ${rel} resolves outside the pack folder (${real})`);
    return null;
  }
  if (!fs.statSync(real).isFile()) {
    v.errors.push(`${what}: ${rel} is not a regular file`);
    return null;
  }
  if (verifyHashes) {
    const actual = await sha256File(real);
    if (actual !== expected) {
      v.errors.push(`${what}: sha256 mismatch for ${rel}: manifest says ${expected}, file has ${actual}`);
      return null;
    }
  }
  return real;
}

export function checkOps(v: PackValidation, label: string, file: string, info: OnnxGraphInfo): void {
  for (const [domain, ops] of info.opDomains) {
    if (!ALLOWED_OP_DOMAINS.has(domain)) {
      v.errors.push(
        `${label}: ${file} uses custom-op domain '${domain}' (ops: ${[...ops].join(', ')}); custom-op libraries are never loaded`,
      );
    }
  }
  for (const o of info.opsets) {
    if (!ALLOWED_OP_DOMAINS.has(o.domain)) v.errors.push(`${label}: ${file} imports opset domain '${o.domain}', which needs a custom-op library`);
  }
}

export function formatShape(shape: (number | string)[]): string {
  return `[${shape.join(', ')}]`;
}

/** One tensor the manifest names, checked against the graph's inputs or outputs (name, dtype, fixed vs dynamic dims). */
export function checkTensor(v: PackValidation, label: string, kind: 'input' | 'output', role: string, spec: TensorSpec, graph: TensorSignature[]): void {
  const actual = graph.find((t) => t.name === spec.name);
  if (!actual) {
    v.errors.push(
      `${label}: ${kind} '${spec.name}' (${role}) not in the graph; the graph's ${kind}s are ${graph.map((t) => `'${t.name}'`).join(', ') || '(none)'}`,
    );
    return;
  }
  if (actual.dtype !== spec.dtype) v.errors.push(`${label}: ${kind} '${spec.name}' is ${actual.dtype} in the graph, manifest says ${spec.dtype}`);
  const same =
    actual.shape.length === spec.shape.length &&
    actual.shape.every((d, i) => (typeof d === 'number' ? d === spec.shape[i] : typeof spec.shape[i] === 'string'));
  if (!same) {
    v.errors.push(`${label}: ${kind} '${spec.name}' has shape ${formatShape(actual.shape)} in the graph, manifest says ${formatShape(spec.shape)}`);
  }
}

/** A graph input nobody feeds makes the network unrunnable. */
export function checkEveryInputFed(v: PackValidation, label: string, fed: Set<string | undefined>, info: OnnxGraphInfo): void {
  for (const gi of info.inputs) {
    if (!fed.has(gi.name)) v.errors.push(`${label}: the graph has input '${gi.name}' that the manifest does not map to any role, so it could never be fed`);
  }
}

/**
 * One ONNX file of a network (with its external-data files): present, hashed, really ONNX, no custom
 * ops, every external-data file listed. Returns the graph's interface, or null after recording why not.
 */
export async function readNetworkFile(
  v: PackValidation,
  label: string,
  variant: { file: string; sha256: string; externalData: { file: string; sha256: string }[] },
  verifyHashes: boolean,
): Promise<OnnxGraphInfo | null> {
  for (const ext of variant.externalData) await checkFile(v, ext.file, ext.sha256, verifyHashes, `${label} external data`);
  const abs = await checkFile(v, variant.file, variant.sha256, verifyHashes, label);
  if (!abs) return null;
  let info: OnnxGraphInfo;
  try {
    info = readOnnxGraphInfo(abs);
  } catch (err) {
    if (err instanceof NotOnnxError) {
      v.errors.push(`${label}: ${variant.file} is not an ONNX model (${err.message})`);
      return null;
    }
    throw err;
  }
  checkOps(v, label, variant.file, info);
  const listed = new Set(variant.externalData.map((e) => path.posix.normalize(e.file.replace(/\\/g, '/'))));
  const fileDir = path.posix.dirname(variant.file.replace(/\\/g, '/'));
  for (const ext of info.externalDataFiles) {
    const rel = path.posix.normalize(path.posix.join(fileDir, ext));
    if (!listed.has(rel)) v.errors.push(`${label}: graph uses external data ${rel} that the manifest does not list (with its sha256)`);
  }
  return info;
}
