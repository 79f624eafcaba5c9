/**
 * Execution-provider choice: CUDA when onnxruntime-node can load it (and a GPU is present), else CPU.
 * The choice and its reason are always returned to the caller, who reports them (job log, `doctor`,
 * `models check`); nothing falls back silently.
 *
 * How CUDA is detected: by trying. onnxruntime-node installed with ONNXRUNTIME_NODE_INSTALL=skip has
 * no CUDA provider library, and asking for 'cuda' throws "Failed to load shared library"; a machine
 * without a GPU throws a CUDA error. The first failure is remembered for the process so every network
 * does not retry (each retry also logs an error line from onnxruntime). Before trying, 'auto' looks
 * for the CUDA provider library next to onnxruntime's binding: when it is not there (the default
 * install here), trying would only print onnxruntime's red "Failed to load" line on every launch.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { packageDir } from '../face/tf-runtime';

export type ProviderPreference = 'auto' | 'cuda' | 'cpu';
export type ExecutionProvider = 'cuda' | 'cpu';

export interface ProviderChoice {
  provider: ExecutionProvider;
  /** One line for the job log, e.g. "CPU: CUDA unavailable (Failed to load shared library ...)". */
  reason: string;
}

let cudaFailure: string | null = null;

/** Preference from HEADFORGE_EP (auto|cuda|cpu), default auto. */
export function providerPreferenceFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderPreference {
  const v = (env.HEADFORGE_EP ?? 'auto').toLowerCase();
  if (v === 'auto' || v === 'cuda' || v === 'cpu') return v;
  throw new Error(`HEADFORGE_EP must be auto, cuda or cpu, got '${env.HEADFORGE_EP}'`);
}

/** Session options that never load native code from a pack (no custom-op libraries, no external initializers from elsewhere). */
export function baseSessionOptions(provider: ExecutionProvider): ort.InferenceSession.SessionOptions {
  return { executionProviders: [provider], graphOptimizationLevel: 'all', logSeverityLevel: 3 };
}

/** File name of onnxruntime's CUDA provider library on this platform. */
function cudaProviderLibrary(): string {
  if (process.platform === 'win32') return 'onnxruntime_providers_cuda.dll';
  if (process.platform === 'darwin') return 'libonnxruntime_providers_cuda.dylib';
  return 'libonnxruntime_providers_cuda.so';
}

/**
 * Why CUDA cannot be used without trying it, or null when it might work: the provider library is
 * missing from onnxruntime-node's binary folder (bin/napi-v6/<platform>/<arch>).
 */
export function cudaLibraryProblem(): string | null {
  let binDir: string;
  try {
    binDir = path.join(packageDir('onnxruntime-node'), 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return null; // An unusual layout: let the attempt decide.
  }
  const lib = cudaProviderLibrary();
  if (fs.existsSync(path.join(binDir, lib))) return null;
  return `onnxruntime-node was installed without its CUDA provider (${lib} not found); reinstall with ONNXRUNTIME_NODE_INSTALL=cuda12 npm install`;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 200);
}

/**
 * Create a session on the preferred provider. 'auto' tries CUDA once per process and falls back to
 * CPU with the reason; 'cuda' fails loudly if CUDA cannot be used; 'cpu' never touches CUDA.
 * `load` abstracts path vs bytes so tests can create sessions from memory.
 */
export async function createSessionWithFallback(
  source: string | Uint8Array,
  preference: ProviderPreference,
  options: ort.InferenceSession.SessionOptions = {},
): Promise<{ session: ort.InferenceSession; choice: ProviderChoice }> {
  const create = (p: ExecutionProvider) => {
    const opts = { ...options, ...baseSessionOptions(p) };
    return typeof source === 'string' ? ort.InferenceSession.create(source, opts) : ort.InferenceSession.create(source, opts);
  };
  if (preference === 'cpu') return { session: await create('cpu'), choice: { provider: 'cpu', reason: 'CPU (requested)' } };
  if (preference === 'auto' && cudaFailure === null) cudaFailure = cudaLibraryProblem();
  if (preference === 'auto' && cudaFailure !== null) {
    return { session: await create('cpu'), choice: { provider: 'cpu', reason: `CPU: CUDA unavailable (${cudaFailure})` } };
  }
  try {
    const session = await create('cuda');
    return { session, choice: { provider: 'cuda', reason: 'CUDA execution provider' } };
  } catch (err) {
    const why = firstLine(err);
    if (preference === 'cuda') {
      throw new Error(`CUDA execution provider requested but unavailable: ${why}. Install with ONNXRUNTIME_NODE_INSTALL=cuda12 npm install, or use the CPU.`, { cause: err });
    }
    cudaFailure = why;
    return { session: await create('cpu'), choice: { provider: 'cpu', reason: `CPU: CUDA unavailable (${why})` } };
  }
}

/** What onnxruntime-node reports about its backends (for `doctor`). */
export function describeRuntime(): { version: string; backends: { name: string; bundled: boolean }[]; cudaFailure: string | null } {
  return { version: ort.env.versions.common, backends: ort.listSupportedBackends(), cudaFailure };
}

/** Test hook: forget a remembered CUDA failure. */
export function resetProviderProbe(): void {
  cudaFailure = null;
}
