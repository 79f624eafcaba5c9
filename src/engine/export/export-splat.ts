/**
 * The one export path: the studio's Export (exportRunHead) and `headforge convert` both call
 * exportSplat, so a preset gives the same bytes whichever wrote it (tests/splat/export-paths.test.ts).
 * applyPreset (src/shared/splat/presets.ts) decides format, SH degree, budget and orientation;
 * encodeSplatFile writes it with the same compressor for both.
 */
import type { GaussianCloud, ShDegree } from '../../shared/gaussians/cloud';
import type { FileAxes } from '../../shared/splat/axes';
import type { ExportFileFormat } from '../../shared/splat/index';
import { SplatFormatError } from '../../shared/splat/errors';
import { applyPreset, type ExportCleanup, type PresetChoice } from '../../shared/splat/presets';
import { encodeSplatFile } from '../splat-io/encode-file';

export interface ExportSplatOptions {
  preset: PresetChoice;
  /** Default: the preset's format ('none' requires one). */
  format?: ExportFileFormat;
  shDegree?: ShDegree;
  maxSplats?: number;
  spzVersion?: 2 | 3 | 4;
  /** 'none' only: axes of a PLY-family file (default rdf). */
  axes?: FileAxes;
  /** Opacity threshold and crop box / sphere, before the budget. */
  cleanup?: ExportCleanup;
}

export interface ExportedSplat {
  bytes: Uint8Array;
  format: ExportFileFormat;
  /** The cloud as written (after budget, SH and axes): counts for the caller's summary. */
  cloud: GaussianCloud;
}

export async function exportSplat(cloud: GaussianCloud, opts: ExportSplatOptions): Promise<ExportedSplat> {
  const r = applyPreset(cloud, opts.preset, {
    ...(opts.format !== undefined ? { format: opts.format } : {}),
    ...(opts.shDegree !== undefined ? { shDegree: opts.shDegree } : {}),
    ...(opts.maxSplats !== undefined ? { maxSplats: opts.maxSplats } : {}),
    ...(opts.spzVersion !== undefined ? { spzVersion: opts.spzVersion } : {}),
    ...(opts.axes !== undefined ? { axes: opts.axes } : {}),
    ...(opts.cleanup !== undefined ? { cleanup: opts.cleanup } : {}),
  });
  if (r.cloud.count === 0 && cloud.count > 0)
    throw new SplatFormatError(
      'export',
      `the clean-up (opacity threshold / crop) removed all ${cloud.count} Gaussians`,
    );
  return {
    bytes: await encodeSplatFile(r.cloud, r.format, r.encodeOptions),
    format: r.format,
    cloud: r.cloud,
  };
}
