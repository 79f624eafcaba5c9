/**
 * Multi-view backend over a model pack (BackendId 'pack:<name>'): runs ID-TS stage 1 + 2 and the
 * reconstructor, and returns the MultiViewResult contract (16 views at the pack's azimuths and the
 * chosen elevation; the reconstructor's Gaussians as `initialCloud`).
 *
 * Pipelines (and their onnxruntime sessions) are cached per pack folder across runs. Every network's
 * execution provider and the reason for it go to the log once per pipeline; nothing is silent.
 */
import { VIEW_AZIMUTHS_DEG } from '../../../shared/camera';
import type { MultiViewRequest, MultiViewResult } from '../../../shared/contracts/multiview';
import type { PreprocessResult } from '../../../shared/contracts/preprocess';
import type { RgbaImage } from '../../../shared/image';
import { StudioError } from '../../../shared/rpc/errors';
import { IdTsPipeline, type IdTsProgress } from '../../diffusion/pipeline';
import { resizeHwc } from '../../diffusion/image-tensor';
import type { ProviderPreference } from '../../onnx/providers';
import { providerPreferenceFromEnv } from '../../onnx/providers';
import { findPackByName, type PackSearchOptions } from '../../packs/discover';

export interface PackViewOptions {
  signal?: AbortSignal;
  log: (message: string) => void;
  /** Called with each final view as soon as its stage is decoded (stage-1 previews first, then final views). */
  onView?: (index: number, view: RgbaImage) => void;
  onProgress?: (p: IdTsProgress) => void;
  provider?: ProviderPreference;
  /** Stop after stage 1 (quick seed previews). */
  stage1Only?: boolean;
}

const pipelines = new Map<string, Promise<IdTsPipeline>>();

async function pipelineFor(dir: string, provider: ProviderPreference): Promise<IdTsPipeline> {
  const key = `${provider}\u0000${dir}`;
  let p = pipelines.get(key);
  if (!p) {
    p = IdTsPipeline.open(dir, { provider });
    p.catch(() => pipelines.delete(key));
    pipelines.set(key, p);
  }
  return p;
}

/** Resize an RGBA image (RGB and alpha) to size x size. */
function resizeView(img: RgbaImage, size: number): RgbaImage {
  if (img.width === size && img.height === size) return img;
  const f = Float32Array.from(img.data);
  const r = resizeHwc(f, img.width, img.height, 4, size, size);
  return { width: size, height: size, data: Uint8ClampedArray.from(r, (v) => Math.round(v)) };
}

/** Run the pack in `dir` for a preprocessed portrait. */
export async function generatePackViews(
  dir: string,
  pre: PreprocessResult,
  req: MultiViewRequest,
  opts: PackViewOptions,
): Promise<MultiViewResult> {
  const provider = opts.provider ?? providerPreferenceFromEnv();
  const pipeline = await pipelineFor(dir, provider);
  const m = pipeline.manifest;
  const logged = new Set<string>();
  const t0 = performance.now();
  const result = await pipeline.run(
    { image: pre.image512, idCrop112: pre.idCrop112 },
    {
      elevationDeg: req.elevationDeg,
      seed: req.seed,
      stage1Only: opts.stage1Only,
      signal: opts.signal,
      onProgress: (p) => {
        opts.onProgress?.(p);
        if (p.phase === 'load' && p.step === 1) {
          for (const [net, choice] of Object.entries(pipeline.providers)) {
            if (!logged.has(net)) opts.log(`${m.name} ${net}: ${choice.reason}`);
            logged.add(net);
          }
        }
        if (p.sampler)
          opts.log(
            `${p.phase} step ${p.step}/${p.steps}: ${p.sampler.stepMs.toFixed(0)} ms (network ${p.sampler.networkMs.toFixed(0)} ms)`,
          );
      },
    },
  );
  for (const [net, choice] of Object.entries(result.providers))
    if (!logged.has(net)) opts.log(`${m.name} ${net}: ${choice.reason}`);
  const views = result.views.map((v) => resizeView(v, req.size));
  views.forEach((v, i) => opts.onView?.(i, v));
  const warnings = [...result.warnings];
  warnings.push('pack views carry no matte: alpha is 255 everywhere (background is white)');
  if (m.views.azimuthsDeg.some((a, i) => Math.abs(a - VIEW_AZIMUTHS_DEG[i]) > 1e-6))
    warnings.push(`pack ${m.name} uses its own azimuths, not HeadForge's standard 16`);
  opts.log(
    `${m.name}: 16 views in ${((performance.now() - t0) / 1000).toFixed(1)} s${result.cloud ? `, ${result.cloud.count} Gaussians from the reconstructor` : ''}`,
  );
  return {
    views,
    azimuthsDeg: [...m.views.azimuthsDeg],
    elevationDeg: req.elevationDeg,
    fovyDeg: m.views.fovyDeg,
    ...(result.cloud ? { initialCloud: result.cloud } : {}),
    warnings,
  };
}

/** The folder of model pack `name`, or BACKEND_UNAVAILABLE saying it is not installed. */
export function installedPackDir(name: string, search?: PackSearchOptions): string {
  const found = findPackByName(name, search);
  if (!found)
    throw new StudioError(
      'BACKEND_UNAVAILABLE',
      `model pack '${name}' is not installed (see 'headforge models list')`,
    );
  return found.dir;
}

/** Resolve BackendId 'pack:<name>' to a folder and run it; throws with a clear message when not installed. */
export async function generatePackViewsByName(
  name: string,
  pre: PreprocessResult,
  req: MultiViewRequest,
  opts: PackViewOptions & { search?: PackSearchOptions },
): Promise<MultiViewResult> {
  return generatePackViews(installedPackDir(name, opts.search), pre, req, opts);
}

/** Drop cached pipelines and their sessions (pack removed or app shutting down). */
export async function releasePackPipelines(): Promise<void> {
  const all = [...pipelines.values()];
  pipelines.clear();
  for (const p of all) await p.then((x) => x.release()).catch(() => undefined);
}
