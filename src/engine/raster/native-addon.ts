/**
 * Locates and loads the native rasterizer addon (native/build/Release/headforge_raster.node, built by
 * `npm install` / `npm run build:native`). Loading never throws: callers ask isNativeAvailable() and
 * show nativeLoadError() ("native addon missing: ...") to the user.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import type { RasterCamera } from '../../shared/camera';

const ADDON_FILE = path.join('native', 'build', 'Release', 'headforge_raster.node');

/** Output of the native render: rgb [H*W*3], alpha [H*W], depth [H*W] when asked. */
export interface NativeRenderOutput {
  rgb: Float32Array;
  alpha: Float32Array;
  depth?: Float32Array;
}

export interface NativeRenderOptions {
  background?: [number, number, number];
  shDegree?: number;
  withDepth?: boolean;
  threads?: number;
}

export interface NativeGradients {
  positions: Float32Array;
  scales: Float32Array;
  rotations: Float32Array;
  opacities: Float32Array;
  shDC: Float32Array;
  shRest: Float32Array;
}

/** What the addon's Trainer.step resolves with. */
export interface NativeTrainStats {
  /** Total steps taken so far. */
  step: number;
  /** Steps taken in this call (< n when cancelled). */
  stepsRun: number;
  /** Means over this call's steps. */
  loss: number;
  l1: number;
  ssim: number;
  alphaLoss: number;
  /** Mean squared error against the composited targets. */
  mse: number;
  count: number;
  activeShDegree: number;
  msPerStep: number;
  cancelled: boolean;
  /** Gaussians added / removed by densification in this call. */
  densified: number;
  pruned: number;
}

export interface NativeTrainView {
  width: number;
  height: number;
  /** RGBA8 straight alpha, [H*W*4]. */
  rgba: Uint8Array | Uint8ClampedArray;
  /** Optional target alpha in [0, 1], [H*W]; overrides the image's alpha channel. */
  mask?: Float32Array;
  camera: RasterCamera;
}

export interface NativeTrainer {
  step(n: number): Promise<NativeTrainStats>;
  getCloud(): GaussianCloud;
  /** [count]: each Gaussian's row in the initial cloud (the constructor's or setCloud's). */
  getLineage(): Int32Array;
  setCloud(cloud: GaussianCloud): void;
  cancel(): void;
  dispose(): void;
  readonly busy: boolean;
}

export interface NativeAddon {
  backendInfo(): { backend: string; reason: string; hardwareThreads: number; maxGaussians: number; maxImageSide: number };
  render(cloud: GaussianCloud, camera: RasterCamera, opts?: NativeRenderOptions): NativeRenderOutput;
  renderAsync(cloud: GaussianCloud, camera: RasterCamera, opts?: NativeRenderOptions): Promise<NativeRenderOutput>;
  renderBackward(
    cloud: GaussianCloud,
    camera: RasterCamera,
    opts: NativeRenderOptions,
    dLdRgb: Float32Array,
    dLdAlpha: Float32Array | null,
    /** 'cpu' (default), 'cuda' (throws when unavailable) or 'best' (HEADFORGE_RASTER_BACKEND rules). */
    backend?: 'cpu' | 'cuda' | 'best',
  ): NativeRenderOutput & { grads: NativeGradients; meanGrad2dNorm: Float32Array; radii: Int32Array };
  rgbLoss(
    rendered: Float32Array,
    target: Float32Array,
    width: number,
    height: number,
    ssimWeight: number,
  ): { loss: number; l1: number; ssim: number; grad: Float32Array };
  Trainer: new (init: GaussianCloud, views: NativeTrainView[], opts: Record<string, unknown>) => NativeTrainer;
}

function candidatePaths(): string[] {
  const out: string[] = [];
  if (process.env.HEADFORGE_RASTER_ADDON) out.push(path.resolve(process.env.HEADFORGE_RASTER_ADDON));
  // Walk up from this module (src/engine/raster in dev, out/... when bundled) and from the cwd.
  const starts = [path.dirname(fileURLToPath(import.meta.url)), process.cwd()];
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) starts.push(resources, path.join(resources, 'app.asar.unpacked'));
  for (const start of starts) {
    let dir = start;
    for (let i = 0; i < 6; i++) {
      out.push(path.join(dir, ADDON_FILE));
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return [...new Set(out)];
}

let cached: { addon: NativeAddon | null; error: string | null; path: string | null } | null = null;

function load() {
  if (cached) return cached;
  const tried = candidatePaths();
  const found = tried.find((p) => fs.existsSync(p));
  if (!found) {
    cached = {
      addon: null,
      path: null,
      error: `native addon missing: ${ADDON_FILE} not found (build it with \`npm run build:native\`; needs g++, make, python3)`,
    };
    return cached;
  }
  try {
    const req = createRequire(import.meta.url);
    cached = { addon: req(found) as NativeAddon, error: null, path: found };
  } catch (err) {
    cached = {
      addon: null,
      path: found,
      error: `native addon failed to load from ${found}: ${err instanceof Error ? err.message : String(err)} (rebuild with \`npm run build:native\`)`,
    };
  }
  return cached;
}

export function isNativeAvailable(): boolean {
  return load().addon !== null;
}

/** Why the addon is unavailable, or null when it loaded. */
export function nativeLoadError(): string | null {
  return load().error;
}

export function nativeAddonPath(): string | null {
  return load().path;
}

/** The loaded addon; throws the load error (a clear "native addon missing" message) otherwise. */
export function nativeAddon(): NativeAddon {
  const l = load();
  if (!l.addon) throw new Error(l.error ?? 'native addon missing');
  return l.addon;
}
