/**
 * `headforge models [list] [--models DIR]... [--json]`
 * `headforge models check DIR [--load] [--provider auto|cuda|cpu] [--json]`
 * `headforge models import-head DIR [--models DEST] [--json]`
 *
 * list: every pack found under --models, the user model folder and the app resources, with a quick
 * check (manifest, files, graph interfaces; no hashing). check: full validation of one pack —
 * sha256 of every file, each graph's inputs/outputs against the manifest, custom-op refusal — and
 * with --load also creates each onnxruntime session and reports the execution provider chosen.
 * Head models (the ICT Face Model imported into a checksummed asset, src/engine/head-model) are listed
 * alongside the packs; `check` on a head-model folder verifies its checksum and counts; `import-head`
 * imports the ICT-FaceKit FaceXModel folder into <models>/head-models/ict-facekit.
 * Exit: 0 valid, 2 invalid pack or bad usage, 3 pack folder not found.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  HEAD_MODEL_INSTALL_HINT,
  HEAD_MODEL_MANIFEST,
  defaultHeadModelInstallDir,
  discoverHeadModels,
  importHeadModel,
  loadHeadModel,
  resolveKitModelDir,
  type HeadModelCandidate,
} from '../../engine/head-model';
import { SessionCache } from '../../engine/onnx/session-cache';
import type { ProviderPreference } from '../../engine/onnx/providers';
import { defaultUserModelDir, discoverPacks } from '../../engine/packs/discover';
import { listNetworks } from '../../engine/packs/manifest';
import { defaultStyleId } from '../../engine/packs/style-manifest';
import { packIdentity, validatePack, type PackValidation } from '../../engine/packs/validate';
import { EXIT, parseCommandArgs, UsageError, writeLine, type CliCommand, type CliIo } from '../command';

const USAGE = `headforge models [list] [--models DIR]... [--json]
headforge models check DIR [--load] [--provider auto|cuda|cpu] [--json]
headforge models import-head DIR [--models DEST] [--json]

  list        packs (diffusion and style; a style pack's styles are listed with their --style value) and head models found under --models DIR, $HEADFORGE_MODELS (or ~/.headforge/models) and the app resources
  check DIR   validate one pack: files, sha256, each ONNX graph's inputs/outputs, no custom-op libraries (a head-model folder: checksum, counts, values)
  import-head DIR  import the ICT Face Model (MIT) from an ICT-FaceKit checkout's FaceXModel folder (github.com/ICT-VGL/ICT-FaceKit) into DEST/head-models/ict-facekit; DEST defaults to $HEADFORGE_MODELS or ~/.headforge/models (takes ~30 s: it also finds the 478 face-mesh landmarks on the model)
  --load      (check) also create every onnxruntime session and report the execution provider used
  --provider  (check --load) auto (CUDA, else CPU with the reason), cuda, or cpu; default auto
  --json      machine-readable output`;

/** A style pack's styles as `--style` values with their labels (empty for diffusion packs). */
function styleRows(v: PackValidation): { id: string; use: string; label: string; isDefault: boolean }[] {
  const m = v.styleManifest;
  if (!m) return [];
  const def = defaultStyleId(m);
  return Object.entries(m.styles).map(([id, s]) => ({
    id,
    use: `pack:${m.name}/${id}`,
    label: s.label,
    isDefault: id === def,
  }));
}

function printValidation(io: CliIo, v: PackValidation): void {
  const m = packIdentity(v);
  const kind = v.kind === 'style' ? ' [style]' : '';
  writeLine(
    io.stdout,
    `${v.ok ? 'ok     ' : 'INVALID'} ${m ? `${m.name} ${m.version} (${m.license})${kind}` : '(no readable manifest)'}  ${v.dir}`,
  );
  for (const s of styleRows(v))
    writeLine(
      io.stdout,
      `          style ${s.id}: ${s.label}  (--style ${s.use}${s.isDefault ? ', or pack:' + v.styleManifest!.name : ''})`,
    );
  for (const e of v.errors) writeLine(io.stdout, `          error: ${e}`);
  for (const w of v.warnings) writeLine(io.stdout, `          warning: ${w}`);
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    models: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  if (positionals.length)
    throw new UsageError(`models list takes no positional arguments (got ${positionals.join(' ')})`);
  const extraDirs = (values.models as unknown as string[] | undefined) ?? [];
  const userDir = io.env.HEADFORGE_MODELS ?? defaultUserModelDir();
  const candidates = discoverPacks({ extraDirs, userDir, resourcesDir: io.env.HEADFORGE_RESOURCES });
  const results = [];
  for (const c of candidates)
    results.push({ origin: c.origin, validation: await validatePack(c.dir, { verifyHashes: false }) });
  const heads = discoverHeadModels({ extraDirs, userDir, resourcesDir: io.env.HEADFORGE_RESOURCES }).map(
    quickHeadCheck,
  );
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
    const headRows = heads.map((h) => ({
      dir: h.dir,
      origin: h.origin,
      ok: h.errors.length === 0,
      kind: 'head-model' as const,
      name: h.manifest?.name ?? null,
      version: h.manifest?.version ?? null,
      license: h.manifest?.licence ?? null,
      errors: h.errors,
    }));
    writeLine(io.stdout, JSON.stringify([...rows, ...headRows], null, 2));
    return EXIT.ok;
  }
  if (!results.length) {
    writeLine(
      io.stdout,
      'no model packs found (the weight-free default backend needs none); searched --models, $HEADFORGE_MODELS or ~/.headforge/models, resources/models',
    );
  }
  for (const r of results) printValidation(io, r.validation);
  if (results.length) writeLine(io.stdout, '(hashes not verified by list; run `headforge models check DIR`)');
  if (!heads.length)
    writeLine(
      io.stdout,
      `no head model installed (generate then uses its built-in head proxy); ${HEAD_MODEL_INSTALL_HINT}`,
    );
  for (const h of heads) printHeadModel(io, h);
  return EXIT.ok;
}

interface HeadCheck extends HeadModelCandidate {
  errors: string[];
}

/** List-time check of a head model: manifest readable and binary of the right size (no hashing). */
function quickHeadCheck(c: HeadModelCandidate): HeadCheck {
  const errors: string[] = [];
  if (!c.manifest) errors.push(c.error ?? 'unreadable manifest');
  else {
    const bin = path.join(c.dir, c.manifest.binFile);
    if (!fs.existsSync(bin)) errors.push(`${c.manifest.binFile} is missing`);
    else if (fs.statSync(bin).size !== c.manifest.byteLength)
      errors.push(`${c.manifest.binFile} has the wrong size (partial copy?)`);
  }
  return { ...c, errors };
}

function landmarkCount(m: HeadModelCandidate['manifest']): string {
  const lm = (m?.importInfo?.landmarks ?? {}) as { ok?: number };
  return typeof lm.ok === 'number' ? `, ${lm.ok}/478 landmarks` : '';
}

function printHeadModel(io: CliIo, h: HeadCheck): void {
  const m = h.manifest;
  const desc = m
    ? `${m.name} ${m.version} [head model: ${m.vertexCount} vertices, ${m.identityCount} identity modes, ${m.expressionNames.length} expressions${landmarkCount(m)}] (${m.licence.split(' ')[0]})`
    : '(no readable head-model manifest)';
  writeLine(io.stdout, `${h.errors.length ? 'INVALID' : 'ok     '} ${desc}  ${h.dir}`);
  for (const e of h.errors) writeLine(io.stdout, `          error: ${e}`);
}

async function checkHeadModel(dir: string, json: boolean, io: CliIo): Promise<number> {
  let error: string | null = null;
  let model: ReturnType<typeof loadHeadModel> | null = null;
  try {
    model = loadHeadModel(dir);
  } catch (err) {
    error = (err as Error).message;
  }
  if (json) {
    writeLine(
      io.stdout,
      JSON.stringify(
        {
          dir,
          ok: !error,
          kind: 'head-model',
          name: model?.info.name ?? null,
          version: model?.info.version ?? null,
          errors: error ? [error] : [],
          ...(model
            ? {
                vertexCount: model.vertexCount,
                identityCount: model.identityCount,
                expressions: model.expressionNames.length,
                landmarks: model.landmarkTriangles.filter((t) => t >= 0).length,
              }
            : {}),
        },
        null,
        2,
      ),
    );
  } else if (model) {
    writeLine(
      io.stdout,
      `ok      ${model.info.name} ${model.info.version} [head model: ${model.vertexCount} vertices, ${model.identityCount} identity modes, ${model.expressionNames.length} expressions, ${model.landmarkTriangles.filter((t) => t >= 0).length}/478 landmarks] sha256 verified  ${dir}`,
    );
  } else {
    writeLine(io.stdout, `INVALID ${dir}`);
    writeLine(io.stdout, `          error: ${error}`);
  }
  return error ? EXIT.usage : EXIT.ok;
}

async function importHead(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    models: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1)
    throw new UsageError('models import-head takes exactly one folder: the ICT-FaceKit FaceXModel folder');
  let src: string;
  try {
    src = resolveKitModelDir(positionals[0]);
  } catch (err) {
    writeLine(io.stderr, `headforge models: ${(err as Error).message}`);
    return EXIT.missing;
  }
  const root = (values.models as string | undefined) ?? io.env.HEADFORGE_MODELS ?? defaultUserModelDir();
  const dest = defaultHeadModelInstallDir(root);
  const log = (line: string) => writeLine(values.json ? io.stderr : io.stdout, line);
  let result;
  try {
    result = await importHeadModel(src, dest, { log });
  } catch (err) {
    writeLine(io.stderr, `headforge models: import failed: ${(err as Error).message}`);
    return EXIT.usage;
  }
  const m = result.manifest;
  const landmarks = result.model.landmarkTriangles.filter((t) => t >= 0).length;
  if (values.json) {
    writeLine(
      io.stdout,
      JSON.stringify(
        {
          dir: dest,
          name: m.name,
          version: m.version,
          sha256: m.sha256,
          vertexCount: m.vertexCount,
          identityCount: m.identityCount,
          expressions: m.expressionNames.length,
          landmarks,
        },
        null,
        2,
      ),
    );
  } else {
    writeLine(
      io.stdout,
      `installed ${m.name} ${m.version} at ${dest}: ${m.vertexCount} vertices, ${m.identityCount} identity modes, ${m.expressionNames.length} expressions, ${landmarks}/478 face-mesh landmarks with a correspondence`,
    );
  }
  return EXIT.ok;
}

/** Every ONNX file `check --load` opens: the diffusion networks, or one per style. */
function networksToLoad(v: PackValidation): [string, { file: string }][] {
  if (v.manifest) return listNetworks(v.manifest);
  if (v.styleManifest) return Object.entries(v.styleManifest.styles).map(([id, s]) => [`style ${id}`, s]);
  return [];
}

async function check(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    load: { type: 'boolean' },
    provider: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('models check takes exactly one pack folder');
  const provider = (values.provider as string | undefined) ?? 'auto';
  if (!['auto', 'cuda', 'cpu'].includes(provider))
    throw new UsageError(`--provider must be auto, cuda or cpu, got ${provider}`);
  const dir = path.resolve(positionals[0]);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    writeLine(io.stderr, `headforge models: no pack folder at ${dir}`);
    return EXIT.missing;
  }
  if (fs.existsSync(path.join(dir, HEAD_MODEL_MANIFEST)))
    return checkHeadModel(dir, values.json === true, io);
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
    writeLine(
      io.stdout,
      JSON.stringify(
        {
          dir: v.dir,
          ok: v.ok,
          kind: v.kind,
          name: id?.name ?? null,
          version: id?.version ?? null,
          ...(v.kind === 'style' ? { styles: styleRows(v) } : {}),
          errors: v.errors,
          warnings: v.warnings,
          sessions,
        },
        null,
        2,
      ),
    );
  } else {
    printValidation(io, v);
    for (const s of sessions)
      writeLine(io.stdout, `          ${s.network}: ${s.error ? `load failed: ${s.error}` : s.reason}`);
  }
  return v.ok ? EXIT.ok : EXIT.usage;
}

export const command: CliCommand = {
  name: 'models',
  usage: USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub.startsWith('--')) return list(argv, io);
    if (sub === 'list') return list(rest, io);
    if (sub === 'check') return check(rest, io);
    if (sub === 'import-head') return importHead(rest, io);
    throw new UsageError(`unknown subcommand "${sub}" (list, check, import-head)`);
  },
};
