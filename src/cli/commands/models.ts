/**
 * `headforge models list [--models DIR]... [--json]`
 * `headforge models check DIR [--load] [--provider auto|cuda|cpu] [--json]`
 *
 * list: every pack found under --models, the user model folder and the app resources, with a quick
 * check (manifest, files, graph interfaces; no hashing). check: full validation of one pack —
 * sha256 of every file, each graph's inputs/outputs against the manifest, custom-op refusal — and
 * with --load also creates each onnxruntime session and reports the execution provider chosen.
 * Exit: 0 valid, 2 invalid pack or bad usage, 3 pack folder not found.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SessionCache } from '../../engine/onnx/session-cache';
import type { ProviderPreference } from '../../engine/onnx/providers';
import { defaultUserModelDir, discoverPacks } from '../../engine/packs/discover';
import { listNetworks } from '../../engine/packs/manifest';
import { defaultStyleId } from '../../engine/packs/style-manifest';
import { packIdentity, validatePack, type PackValidation } from '../../engine/packs/validate';
import { EXIT, parseCommandArgs, UsageError, writeLine, type CliCommand, type CliIo } from '../command';

const USAGE = `headforge models list [--models DIR]... [--json]
headforge models check DIR [--load] [--provider auto|cuda|cpu] [--json]

  list        packs (diffusion and style; a style pack's styles are listed with their --style value) found under --models DIR, $HEADFORGE_MODELS (or ~/.headforge/models) and the app resources
  check DIR   validate one pack: files, sha256, each ONNX graph's inputs/outputs, no custom-op libraries
  --load      (check) also create every onnxruntime session and report the execution provider used
  --provider  (check --load) auto (CUDA, else CPU with the reason), cuda, or cpu; default auto
  --json      machine-readable output`;

/** A style pack's styles as `--style` values with their labels (empty for diffusion packs). */
function styleRows(v: PackValidation): { id: string; use: string; label: string; isDefault: boolean }[] {
  const m = v.styleManifest;
  if (!m) return [];
  const def = defaultStyleId(m);
  return Object.entries(m.styles).map(([id, s]) => ({ id, use: `pack:${m.name}/${id}`, label: s.label, isDefault: id === def }));
}

function printValidation(io: CliIo, v: PackValidation): void {
  const m = packIdentity(v);
  const kind = v.kind === 'style' ? ' [style]' : '';
  writeLine(io.stdout, `${v.ok ? 'ok     ' : 'INVALID'} ${m ? `${m.name} ${m.version} (${m.license})${kind}` : '(no readable manifest)'}  ${v.dir}`);
  for (const s of styleRows(v)) writeLine(io.stdout, `          style ${s.id}: ${s.label}  (--style ${s.use}${s.isDefault ? ', or pack:' + v.styleManifest!.name : ''})`);
  for (const e of v.errors) writeLine(io.stdout, `          error: ${e}`);
  for (const w of v.warnings) writeLine(io.stdout, `          warning: ${w}`);
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { models: { type: 'string', multiple: true }, json: { type: 'boolean' } });
  if (positionals.length) throw new UsageError(`models list takes no positional arguments (got ${positionals.join(' ')})`);
  const extraDirs = (values.models as unknown as string[] | undefined) ?? [];
  const userDir = io.env.HEADFORGE_MODELS ?? defaultUserModelDir();
  const candidates = discoverPacks({ extraDirs, userDir, resourcesDir: io.env.HEADFORGE_RESOURCES });
  const results = [];
  for (const c of candidates) results.push({ origin: c.origin, validation: await validatePack(c.dir, { verifyHashes: false }) });
  if (values.json) {
    const rows = results.map(({ origin, validation: v }) => ({
      dir: v.dir,
      origin,
      ok: v.ok,
      kind: v.kind,
      name: packIdentity(v)?.name ?? null,
      version: packIdentity(v)?.version ?? null,
      license: packIdentity(v)?.license ?? null,
      ...(v.kind === 'style' ? { styles: styleRows(v) } : {}),
      errors: v.errors,
    }));
    writeLine(io.stdout, JSON.stringify(rows, null, 2));
    return EXIT.ok;
  }
  if (!results.length) {
    writeLine(io.stdout, 'no model packs found (the weight-free default backend needs none); searched --models, $HEADFORGE_MODELS or ~/.headforge/models, resources/models');
    return EXIT.ok;
  }
  for (const r of results) printValidation(io, r.validation);
  writeLine(io.stdout, '(hashes not verified by list; run `headforge models check DIR`)');
  return EXIT.ok;
}

/** Every ONNX file `check --load` opens: the diffusion networks, or one per style. */
function networksToLoad(v: PackValidation): [string, { file: string }][] {
  if (v.manifest) return listNetworks(v.manifest);
  if (v.styleManifest) return Object.entries(v.styleManifest.styles).map(([id, s]) => [`style ${id}`, s]);
  return [];
}

async function check(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { load: { type: 'boolean' }, provider: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('models check takes exactly one pack folder');
  const provider = (values.provider as string | undefined) ?? 'auto';
  if (!['auto', 'cuda', 'cpu'].includes(provider)) throw new UsageError(`--provider must be auto, cuda or cpu, got ${provider}`);
  const dir = path.resolve(positionals[0]);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    writeLine(io.stderr, `headforge models: no pack folder at ${dir}`);
    return EXIT.missing;
  }
  const v = await validatePack(dir, { verifyHashes: true });
  const sessions: { network: string; provider: string; reason: string; error?: string }[] = [];
  if (v.ok && values.load) {
    const cache = new SessionCache();
    try {
      for (const [key, net] of networksToLoad(v)) {
        try {
          const s = await cache.get(path.join(dir, net.file), provider as ProviderPreference);
          sessions.push({ network: key, provider: s.choice.provider, reason: s.choice.reason });
        } catch (err) {
          const msg = (err as Error).message.split('\n')[0];
          sessions.push({ network: key, provider: '-', reason: 'onnxruntime could not load it', error: msg });
          v.errors.push(`${key}: onnxruntime cannot load ${net.file}: ${msg}`);
          v.ok = false;
        }
      }
    } finally {
      await cache.releaseAll();
    }
  }
  if (values.json) {
    const id = packIdentity(v);
    writeLine(io.stdout, JSON.stringify({ dir: v.dir, ok: v.ok, kind: v.kind, name: id?.name ?? null, version: id?.version ?? null, ...(v.kind === 'style' ? { styles: styleRows(v) } : {}), errors: v.errors, warnings: v.warnings, sessions }, null, 2));
  } else {
    printValidation(io, v);
    for (const s of sessions) writeLine(io.stdout, `          ${s.network}: ${s.error ? `load failed: ${s.error}` : s.reason}`);
  }
  return v.ok ? EXIT.ok : EXIT.usage;
}

export const command: CliCommand = {
  name: 'models',
  summary: 'list installed model packs, or validate one (files, hashes, graph inputs/outputs)',
  usage: USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'list') return list(rest, io);
    if (sub === 'check') return check(rest, io);
    throw new UsageError(sub ? `unknown subcommand "${sub}" (list, check)` : 'missing subcommand (list, check)');
  },
};
