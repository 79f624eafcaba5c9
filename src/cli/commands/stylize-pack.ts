/**
 * The `--style pack:NAME[/STYLE]` half of `headforge stylize`: run a style pack's ONNX network on a
 * portrait. Packs are searched like diffusion packs: --models DIR, $HEADFORGE_MODELS (or
 * ~/.headforge/models), the app resources.
 */
import type { RgbaImage } from '../../shared/image';
import { PackInvalidError } from '../../engine/packs/validate';
import { defaultUserModelDir } from '../../engine/packs/discover';
import { providerPreferenceFromEnv } from '../../engine/onnx/providers';
import { sessionCache } from '../../engine/onnx/session-cache';
import { resolvePackStyle, runStyleNetwork, type StylePackRef, type StyleRunResult } from '../../engine/stylize/style-pack';
import type { CliIo } from '../command';

export interface PackStyleRun extends StyleRunResult {
  label: string;
}

/** Resolve, validate and run; PackInvalidError / StudioError escape with their messages (exit 2 / 3). */
export async function stylizeWithPack(
  img: RgbaImage,
  ref: StylePackRef,
  strength: number,
  extraDirs: string[],
  io: CliIo,
): Promise<PackStyleRun> {
  const style = await resolvePackStyle(ref, {
    extraDirs,
    userDir: io.env.HEADFORGE_MODELS ?? defaultUserModelDir(),
    resourcesDir: io.env.HEADFORGE_RESOURCES,
  });
  try {
    const res = await runStyleNetwork(style, img, { strength, provider: providerPreferenceFromEnv(io.env) });
    return { ...res, label: `pack ${style.manifest.name} style ${style.styleId}` };
  } finally {
    // A CLI run uses the network once: free it so the process exits promptly.
    await sessionCache.releaseUnder(style.dir);
  }
}

export { PackInvalidError };
