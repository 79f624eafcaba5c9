/**
 * Validate a model pack folder before anything is loaded: manifest schema, files present and inside
 * the pack, sha256 of every file, each ONNX graph's inputs/outputs against the manifest, op domains
 * (custom-op libraries are refused, never loaded), and cross-network consistency (latent channels,
 * embedding widths, frame count). Every problem is reported with the file and tensor it concerns.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { OnnxGraphInfo } from '../onnx/graph-info';
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
import {
  checkEveryInputFed,
  checkTensor,
  findCustomOpKey,
  formatShape,
  readNetworkFile,
  type PackValidation,
} from './pack-checks';
import { isStylePackJson, type StylePackManifest } from './style-manifest';
import { validateStylePackJson } from './style-validate';

export { ALLOWED_OP_DOMAINS, packIdentity, type PackKind, type PackValidation } from './pack-checks';

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
  const v: PackValidation = { dir: path.resolve(dir), ok: false, kind: 'diffusion', manifest: null, styleManifest: null, errors: [], warnings: [] };
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
  if (isStylePackJson(raw)) {
    v.kind = 'style';
    await validateStylePackJson(v, raw, verifyHashes);
    v.ok = v.errors.length === 0;
    return v;
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
  if (v.ok && v.kind === 'style') v.errors.push(`${v.dir} is a style pack: it stylizes portraits and cannot generate views (use it with 'headforge stylize --style pack:NAME')`);
  if (!v.ok || !v.manifest || v.errors.length) throw new PackInvalidError(v);
  return { dir: v.dir, manifest: v.manifest, warnings: v.warnings };
}

/** Validate a style pack (hashes included) and throw PackInvalidError listing every problem. */
export async function loadValidatedStylePack(dir: string): Promise<{ dir: string; manifest: StylePackManifest; warnings: string[] }> {
  const v = await validatePack(dir, { verifyHashes: true });
  if (v.ok && v.kind !== 'style') v.errors.push(`${v.dir} is a diffusion pack, not a style pack (pack.json has no "kind": "style")`);
  if (!v.ok || !v.styleManifest || v.errors.length) throw new PackInvalidError(v);
  return { dir: v.dir, manifest: v.styleManifest, warnings: v.warnings };
}

async function checkNetwork(v: PackValidation, key: NetworkKey, net: NetworkSpec, verifyHashes: boolean): Promise<OnnxGraphInfo | null> {
  const variants: { label: string; file: string; sha256: string; externalData: { file: string; sha256: string }[] }[] = [
    { label: key, file: net.file, sha256: net.sha256, externalData: net.externalData }];
  if (net.fp16) variants.push({ label: `${key} (fp16)`, ...net.fp16 });
  let first: OnnxGraphInfo | null = null;
  for (const variant of variants) {
    const info = await readNetworkFile(v, variant.label, variant, verifyHashes);
    if (!info) continue;
    checkInterface(v, variant.label, net, info);
    first ??= info;
  }
  return first;
}

function checkInterface(v: PackValidation, label: string, net: NetworkSpec, info: OnnxGraphInfo): void {
  const inputs = net.inputs as Record<string, TensorSpec | undefined>;
  const outputs = net.outputs as Record<string, TensorSpec>;
  for (const [role, spec] of Object.entries(inputs)) if (spec) checkTensor(v, label, 'input', role, spec, info.inputs);
  for (const [role, spec] of Object.entries(outputs)) checkTensor(v, label, 'output', role, spec, info.outputs);
  checkEveryInputFed(v, label, new Set(Object.values(inputs).map((s) => s?.name)), info);
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
