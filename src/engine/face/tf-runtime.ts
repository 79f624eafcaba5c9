/**
 * One tfjs runtime per engine process: the WASM backend (tfjs-node downloads libtensorflow at install
 * and fails offline; the pure-JS CPU backend is ~25x slower) and a file:// model loader (pure tfjs has
 * none). Everything is loaded through CommonJS `require` on purpose: @vladmandic/human's Node build
 * requires @tensorflow/tfjs-core itself, and an ESM import of the same package would load a second
 * copy (the ESM build) whose IO router registry and backend registry are not the ones human uses.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

type TfCore = typeof import('@tensorflow/tfjs-core');
type TfConverter = typeof import('@tensorflow/tfjs-converter');
type TfWasm = typeof import('@tensorflow/tfjs-backend-wasm');

const nodeRequire = createRequire(import.meta.url);

export interface TfRuntime {
  tf: TfCore;
  converter: TfConverter;
  /** Folder of tfjs-backend-wasm's .wasm binaries, with a trailing slash (human's `wasmPath`). */
  wasmDir: string;
}

let runtime: Promise<TfRuntime> | null = null;

/** The process-wide tfjs runtime (lazy, initialised once; later calls share the same promise). */
export function getTfRuntime(): Promise<TfRuntime> {
  runtime ??= initRuntime().catch((err: unknown) => {
    runtime = null; // let a later call retry instead of caching the failure forever
    throw err;
  });
  return runtime;
}

/** Absolute folder of an installed package, found from its main entry (its "exports" hide package.json). */
export function packageDir(name: string, marker = 'package.json'): string {
  let dir = path.dirname(nodeRequire.resolve(name));
  while (!fs.existsSync(path.join(dir, marker))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot locate the folder of package ${name}`);
    dir = up;
  }
  return dir;
}

/** `require` an absolute file (human's subpath exports lack "./", so package subpaths cannot be required). */
export function requireAbsolute<T>(file: string): T {
  return nodeRequire(file) as T;
}

async function initRuntime(): Promise<TfRuntime> {
  const tf = nodeRequire('@tensorflow/tfjs-core') as TfCore;
  const converter = nodeRequire('@tensorflow/tfjs-converter') as TfConverter;
  const wasm = nodeRequire('@tensorflow/tfjs-backend-wasm') as TfWasm;
  const wasmDir = path.join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist') + path.sep;
  wasm.setWasmPaths(wasmDir);
  registerFileLoader(tf);
  await tf.setBackend('wasm');
  await tf.ready();
  return { tf, converter, wasmDir };
}

let fileLoaderRegistered = false;

/** Teach tf.io to load `file:///abs/model.json` (+ the .bin shards listed in its weightsManifest). */
function registerFileLoader(tf: TfCore): void {
  if (fileLoaderRegistered) return;
  fileLoaderRegistered = true;
  // tfjs types the router as always returning a handler, but returning null ("not mine") is how the
  // registry is meant to be used (it filters null handlers).
  const router = (url: string | string[]): import('@tensorflow/tfjs-core').io.IOHandler | null => {
    const u = Array.isArray(url) ? url[0] : url;
    if (typeof u !== 'string' || !u.startsWith('file://')) return null;
    const file = decodeURIComponent(u.slice('file://'.length));
    return { load: async () => loadModelArtifacts(file) };
  };
  tf.io.registerLoadRouter(router as Parameters<TfCore['io']['registerLoadRouter']>[0]);
}

interface ModelJson {
  modelTopology: object;
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  signature?: object;
  userDefinedMetadata?: Record<string, object>;
  modelInitializer?: object;
  weightsManifest: Array<{ paths: string[]; weights: import('@tensorflow/tfjs-core').io.WeightsManifestEntry[] }>;
}

/**
 * Read a tfjs graph model from disk. `signature` MUST be passed through: without it tfjs takes the
 * graph's leaf nodes as outputs, and e.g. human's faceres then silently returns no 1024-d descriptor
 * (its descriptor node feeds other nodes, so it is not a leaf).
 */
async function loadModelArtifacts(file: string): Promise<import('@tensorflow/tfjs-core').io.ModelArtifacts> {
  const json = JSON.parse(await fs.promises.readFile(file, 'utf8')) as ModelJson;
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  const shards = await Promise.all(
    json.weightsManifest.flatMap((group) => group.paths.map((p) => fs.promises.readFile(path.join(path.dirname(file), p)))),
  );
  const joined = Buffer.concat(shards);
  const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength) as ArrayBuffer;
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
    userDefinedMetadata: json.userDefinedMetadata,
    modelInitializer: json.modelInitializer,
    weightSpecs,
    weightData,
  };
}

/** Load a tfjs graph model from an absolute model.json path. */
export async function loadGraphModelFile(file: string): Promise<import('@tensorflow/tfjs-converter').GraphModel> {
  if (!fs.existsSync(file)) throw new Error(`model file missing: ${file}`);
  const { converter } = await getTfRuntime();
  return converter.loadGraphModel(`file://${file}`);
}
