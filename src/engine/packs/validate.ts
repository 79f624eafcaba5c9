/**
 * Validate a model pack folder before anything is loaded: manifest schema, files present and inside
 * the pack, sha256 of every file, each ONNX graph's inputs/outputs against the manifest, op domains
 * (custom-op libraries are refused, never loaded), and cross-network consistency (latent channels,
 * embedding widths, frame count). Every problem is reported with the file and tensor it concerns.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NotOnnxError, readOnnxGraphInfo, type OnnxGraphInfo, type TensorSignature } from '../onnx/graph-info';
import { sha256File } from './hash';
import {
  formatManifestIssues,
  listNetworks,
  NETWORK_ROLES,
  PACK_MANIFEST_FILE,
  packManifestSchema,
  type NetworkKey,
  type NetworkSpec,
  type PackManifest,
  type TensorSpec,
} from './manifest';

/** Op domains built into onnxruntime itself; anything else needs a custom-op library, which we never load. */
export const ALLOWED_OP_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml', 'com.microsoft']);

export interface PackValidation {
  dir: string;
  ok: boolean;
  manifest: PackManifest | null;
  errors: string[];
  warnings: string[];
}

export interface ValidateOptions {
  /** Hash every file (default true). `models list` turns it off for speed; loading a pack never does. */
  verifyHashes?: boolean;
}

export class PackInvalidError extends Error {
  constructor(readonly validation: PackValidation) {
    super(`model pack ${validation.dir} is invalid:\n  - ${validation.errors.join('\n  - ')}`);
  }
}

export async function validatePack(dir: string, options: ValidateOptions = {}): Promise<PackValidation> {
  const verifyHashes = options.verifyHashes ?? true;
  const v: PackValidation = { dir: path.resolve(dir), ok: false, manifest: null, errors: [], warnings: [] };
  const manifestPath = path.join(v.dir, PACK_MANIFEST_FILE);
  if (!fs.existsSync(manifestPath)) {
    v.errors.push(`${PACK_MANIFEST_FILE} not found in ${v.dir}`);
    return v;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (err) {
    v.errors.push(`${PACK_MANIFEST_FILE} is not valid JSON: ${(err as Error).message}`);
    return v;
  }
  const customOpKey = findCustomOpKey(raw);
  if (customOpKey) {
    v.errors.push(`${PACK_MANIFEST_FILE}: '${customOpKey}' asks for a custom-op library; HeadForge never loads native code from a pack`);
  }
  const parsed = packManifestSchema.safeParse(raw);
  if (!parsed.success) {
    v.errors.push(...formatManifestIssues(parsed.error).map((e) => `${PACK_MANIFEST_FILE}: ${e}`));
    return v;
  }
  const m = parsed.data;
  v.manifest = m;

  const graphs = new Map<NetworkKey, OnnxGraphInfo>();
  for (const [key, net] of listNetworks(m)) {
    const info = await checkNetwork(v, key, net, verifyHashes);
    if (info) graphs.set(key, info);
  }
  checkConsistency(v, m);
  v.ok = v.errors.length === 0;
  return v;
}

/** Validate and throw PackInvalidError listing every problem. */
export async function loadValidatedPack(dir: string): Promise<{ dir: string; manifest: PackManifest; warnings: string[] }> {
  const v = await validatePack(dir, { verifyHashes: true });
  if (!v.ok || !v.manifest) throw new PackInvalidError(v);
  return { dir: v.dir, manifest: v.manifest, warnings: v.warnings };
}

function findCustomOpKey(value: unknown, prefix = ''): string | null {
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
async function checkFile(v: PackValidation, rel: string, expected: string, verifyHashes: boolean, what: string): Promise<string | null> {
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

async function checkNetwork(v: PackValidation, key: NetworkKey, net: NetworkSpec, verifyHashes: boolean): Promise<OnnxGraphInfo | null> {
  const variants: { label: string; file: string; sha256: string; externalData: { file: string; sha256: string }[] }[] = [
    { label: key, file: net.file, sha256: net.sha256, externalData: net.externalData }];
  if (net.fp16) variants.push({ label: `${key} (fp16)`, ...net.fp16 });
  let first: OnnxGraphInfo | null = null;
  for (const variant of variants) {
    for (const ext of variant.externalData) await checkFile(v, ext.file, ext.sha256, verifyHashes, `${variant.label} external data`);
    const abs = await checkFile(v, variant.file, variant.sha256, verifyHashes, variant.label);
    if (!abs) continue;
    let info: OnnxGraphInfo;
    try {
      info = readOnnxGraphInfo(abs);
    } catch (err) {
      if (err instanceof NotOnnxError) {
        v.errors.push(`${variant.label}: ${variant.file} is not an ONNX model (${err.message})`);
        continue;
      }
      throw err;
    }
    checkOps(v, variant.label, variant.file, info);
    const listed = new Set(variant.externalData.map((e) => path.posix.normalize(e.file.replace(/\\/g, '/'))));
    const fileDir = path.posix.dirname(variant.file.replace(/\\/g, '/'));
    for (const ext of info.externalDataFiles) {
      const rel = path.posix.normalize(path.posix.join(fileDir, ext));
      if (!listed.has(rel)) v.errors.push(`${variant.label}: graph uses external data ${rel} that the manifest does not list (with its sha256)`);
    }
    checkInterface(v, variant.label, net, info);
    first ??= info;
  }
  return first;
}

function checkOps(v: PackValidation, label: string, file: string, info: OnnxGraphInfo): void {
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

function formatShape(shape: (number | string)[]): string {
  return `[${shape.join(', ')}]`;
}

function checkTensor(v: PackValidation, label: string, kind: 'input' | 'output', role: string, spec: TensorSpec, graph: TensorSignature[]): void {
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

function checkInterface(v: PackValidation, label: string, net: NetworkSpec, info: OnnxGraphInfo): void {
  const inputs = net.inputs as Record<string, TensorSpec | undefined>;
  const outputs = net.outputs as Record<string, TensorSpec>;
  for (const [role, spec] of Object.entries(inputs)) if (spec) checkTensor(v, label, 'input', role, spec, info.inputs);
  for (const [role, spec] of Object.entries(outputs)) checkTensor(v, label, 'output', role, spec, info.outputs);
  const fed = new Set(Object.values(inputs).map((s) => s?.name));
  for (const gi of info.inputs) {
    if (!fed.has(gi.name)) v.errors.push(`${label}: the graph has input '${gi.name}' that the manifest does not map to any role, so it could never be fed`);
  }
}

/** Shapes that must agree across networks and settings for the pipeline to run at all. */
function checkConsistency(v: PackValidation, m: PackManifest): void {
  const n = m.networks;
  const need = (cond: boolean, msg: string) => {
    if (!cond) v.errors.push(msg);
  };
  const last = (s: TensorSpec) => s.shape[s.shape.length - 1];
  const C = m.vae.latentChannels;
  need(n.vaeEncoder.outputs.latent.shape[1] === C, `vaeEncoder: latent output must have ${C} channels (vae.latentChannels)`);
  need(n.vaeDecoder.inputs.latent.shape[1] === C, `vaeDecoder: latent input must have ${C} channels (vae.latentChannels)`);
  const stages = [
    ['unetStage1', n.unetStage1, m.stage1.resolution],
    ['unetStage2', n.unetStage2, m.stage2?.resolution],
  ] as const;
  for (const [key, u, res] of stages) {
    if (!u || res === undefined) continue;
    const s = u.inputs.sample.shape;
    need(s.length === 5, `${key}: sample must be 5-D [batch, frames, channels, h, w], got ${formatShape(s)}`);
    need(s[1] === 16, `${key}: sample frame axis must be 16 (one frame per view), got ${s[1]}`);
    need(s[2] === 2 * C, `${key}: sample channels must be ${2 * C} (noisy latent + conditioning latent), got ${s[2]}`);
    const h = res / m.vae.downsample;
    need(s[3] === h && s[4] === h, `${key}: sample spatial size must be ${h}x${h} for resolution ${res}, got ${s[3]}x${s[4]}`);
    const p = u.outputs.prediction.shape;
    need(p.length === 5 && p[2] === C && p[3] === h && p[4] === h, `${key}: prediction must be [batch, 16, ${C}, ${h}, ${h}], got ${formatShape(p)}`);
    need(last(u.inputs.imageEmbedding) === last(n.clipImage.outputs.embedding), `${key}: imageEmbedding width must equal the CLIP embedding width`);
    need(last(u.inputs.identityEmbedding) === last(n.arcface.outputs.embedding), `${key}: identityEmbedding width must equal the ArcFace embedding width`);
    for (const role of NETWORK_ROLES[key].inputs) {
      const spec = (u.inputs as Record<string, TensorSpec>)[role];
      need(spec.shape[0] === s[0], `${key}: input ${role} must share the batch axis of sample (${s[0]}), got ${spec.shape[0]}`);
    }
  }
  if (m.reconstructor && n.reconstructor) {
    const r = n.reconstructor;
    const vs = r.inputs.views.shape;
    const size = m.reconstructor.inputSize;
    need(vs.length === 5 && vs[1] === 4 && vs[2] === 9 && vs[3] === size && vs[4] === size, `reconstructor: views must be [1, 4, 9, ${size}, ${size}] (RGB + Plücker), got ${formatShape(vs)}`);
    const g = r.outputs.gaussians.shape;
    const count = 4 * m.reconstructor.splatSize ** 2;
    const total = g.reduce<number>((a, d) => a * (typeof d === 'number' ? d : NaN), 1);
    need(last(r.outputs.gaussians) === 14, `reconstructor: gaussians last axis must be 14 (pos3 opacity1 scale3 rot4 rgb3), got ${formatShape(g)}`);
    need(total === count * 14, `reconstructor: gaussians must hold 4*${m.reconstructor.splatSize}^2 = ${count} Gaussians, got ${formatShape(g)}`);
  }
  for (const i of m.views.reconViewIndices) need(i < m.views.azimuthsDeg.length, `views.reconViewIndices: ${i} out of range`);
}
