/**
 * What this machine can run: Node/Electron versions, onnxruntime-node execution providers, GPU,
 * the native rasterizer addon, model packs and the pipeline. Shared by getEngineInfo() and `doctor`.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { discoverPacks } from '../packs/discover';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { EngineInfo } from '../../shared/contracts/studio-api';
import { appRoot } from './app-root';
import { pipelineAvailability } from './pipeline-loader';

const repoRoot = appRoot();

export interface Diagnostics extends EngineInfo {
  onnxruntime: { loaded: boolean; version: string | null; problem?: string };
  /** Only when asked (tryCuda): whether a session could be created on the CUDA provider. */
  cudaSession?: { ok: boolean; problem?: string };
  nativeAddonDetail: { path: string | null; problem?: string };
  modelPackDirs: string[];
  platform: string;
}

export interface DiagnosticsOptions {
  /** Extra model-pack folders (--models). */
  modelDirs?: string[];
  tryCuda?: boolean;
}

export function modelPackDirs(extra: string[] = []): string[] {
  const dirs = [
    ...extra,
    process.env.HEADFORGE_MODELS ?? '',
    path.join(os.homedir(), '.headforge', 'models'),
    path.join(repoRoot, 'resources', 'models'),
  ];
  return [...new Set(dirs.filter(Boolean).map((d) => path.resolve(d)))];
}

export async function collectDiagnostics(options: DiagnosticsOptions = {}): Promise<Diagnostics> {
  const [ort, gpu] = await Promise.all([probeOnnxRuntime(options.tryCuda ?? false), probeGpu()]);
  const addon = probeNativeAddon();
  const dirs = modelPackDirs(options.modelDirs);
  return {
    version: readPackageVersion(),
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    executionProviders: ort.providers,
    gpu,
    nativeAddon: addon.path && !addon.problem ? 'built' : 'missing',
    modelPacks: await scanModelPacks(dirs),
    pipeline: pipelineAvailability(),
    onnxruntime: ort.status,
    ...(ort.cuda ? { cudaSession: ort.cuda } : {}),
    nativeAddonDetail: addon,
    modelPackDirs: dirs,
    platform: `${process.platform} ${process.arch}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
  };
}

/** The contract subset of the diagnostics. */
export function toEngineInfo(d: Diagnostics): EngineInfo {
  return {
    version: d.version,
    node: d.node,
    electron: d.electron,
    executionProviders: d.executionProviders,
    gpu: d.gpu,
    nativeAddon: d.nativeAddon,
    modelPacks: d.modelPacks,
    pipeline: d.pipeline,
  };
}

function readPackageVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

async function probeOnnxRuntime(tryCuda: boolean): Promise<{
  providers: string[];
  status: Diagnostics['onnxruntime'];
  cuda?: { ok: boolean; problem?: string };
}> {
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import('onnxruntime-node');
  } catch (err) {
    return { providers: [], status: { loaded: false, version: null, problem: firstLine(err) } };
  }
  const providers = ort.listSupportedBackends().map((b) => b.name);
  const version = (ort.env as { versions?: { common?: string } }).versions?.common ?? null;
  const result: Awaited<ReturnType<typeof probeOnnxRuntime>> = {
    providers,
    status: { loaded: true, version },
  };
  if (tryCuda) {
    try {
      const { identityModelBytes } = await import('./tiny-onnx'); // protobufjs: only for this probe
      const session = await ort.InferenceSession.create(identityModelBytes(), {
        executionProviders: ['cuda'],
      });
      await session.release();
      result.cuda = { ok: true };
    } catch (err) {
      result.cuda = { ok: false, problem: firstLine(err) };
    }
  }
  return result;
}

/** GPU name(s) from nvidia-smi, or null when it is absent or finds nothing. */
function probeGpu(): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=name,driver_version,memory.total', '--format=csv,noheader'],
      { timeout: 5000 },
      (err, stdout) => {
        if (err) return resolve(null);
        const lines = stdout.trim().split('\n').filter(Boolean);
        resolve(lines.length ? lines.join('; ') : null);
      },
    );
  });
}

function probeNativeAddon(): { path: string | null; problem?: string } {
  const dir = path.join(repoRoot, 'native', 'build', 'Release');
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.node'));
  } catch {
    return {
      path: null,
      problem: `not built (no ${path.relative(repoRoot, dir)}); run npm run build:native`,
    };
  }
  if (files.length === 0)
    return { path: null, problem: 'not built (no .node file); run npm run build:native' };
  const file = path.join(dir, files[0]);
  try {
    createRequire(import.meta.url)(file);
    return { path: file };
  } catch (err) {
    return { path: file, problem: `built but does not load: ${firstLine(err)}` };
  }
}

/**
 * Model packs: folders with a manifest.json. Checked here: the manifest parses, has a name and version,
 * and every file it lists exists. (Full validation — hashes, tensor shapes — belongs to the pack loader.)
 */
/** Model packs found in the search folders, validated structurally (hashes are checked at load). */
export async function scanModelPacks(dirs: string[]): Promise<EngineInfo['modelPacks']> {
  const packs: EngineInfo['modelPacks'] = [];
  const candidates = discoverPacks({ extraDirs: dirs });
  // The validator (zod schemas, ONNX graph reading) loads only when there is a pack to check.
  if (!candidates.length) return packs;
  const { validatePack } = await import('../packs/validate');
  for (const candidate of candidates) {
    const v = await validatePack(candidate.dir, { verifyHashes: false });
    // Style packs stylize portraits; they are not multi-view backends, so the backend list skips them.
    if (v.kind === 'style') continue;
    const name = v.manifest?.name ?? path.basename(candidate.dir);
    const version = v.manifest?.version ?? '?';
    packs.push({ name, version, valid: v.ok, ...(v.ok ? {} : { problem: v.errors.join('; ') }) });
  }
  return packs;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
