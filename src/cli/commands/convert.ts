/**
 * `headforge convert in out [--preset P] [--sh 0..3] [--max-splats N] [--spz-version 2|3|4] [--compact] [--in-axes A] [--out-axes A]`
 * Converts between splat formats (format chosen by the output extension), optionally for an engine.
 * Writing goes through exportSplat, the function the studio's Export calls, so a preset's file is
 * byte-identical from either.
 */
import { exportSplat } from '../../engine/export/export-splat';
import { readSplatFile, writeFileAtomic } from '../../engine/splat-io/files';
import type { ShDegree } from '../../shared/gaussians/cloud';
import {
  exportFormatFromName,
  SplatFormatError,
  type ExportFileFormat,
  type FileAxes,
} from '../../shared/splat/index';
import { ENGINE_PRESETS, isEnginePresetName } from '../../shared/splat/presets';
import { EXIT, intFlag, parseCommandArgs, UsageError, writeLine, type CliCommand } from '../command';

/** Comma-separated finite numbers, exactly `count` of them. */
function numbersFlag(v: string | boolean | undefined, name: string, count: number): number[] | undefined {
  if (v === undefined) return undefined;
  const parts = typeof v === 'string' ? v.split(',').map((x) => Number(x.trim())) : [];
  if (parts.length !== count || parts.some((x) => !Number.isFinite(x)))
    throw new UsageError(`--${name} takes ${count} comma-separated numbers, got ${JSON.stringify(v)}`);
  return parts;
}

function axesFlag(v: string | boolean | undefined, name: string): FileAxes | undefined {
  if (v === undefined) return undefined;
  if (v === 'rdf' || v === 'rub') return v;
  throw new UsageError(`--${name} must be rdf or rub, got ${JSON.stringify(v)}`);
}

export const command: CliCommand = {
  name: 'convert',
  usage: `headforge convert IN OUT [--preset unity|unreal|blender|godot|web] [--sh 0..3] [--max-splats N]
                  [--spz-version 2|3|4] [--compact] [--in-axes rdf|rub] [--out-axes rdf|rub]

  IN            .ply (binary or ASCII; PlayCanvas compressed PLY too), .splat, .spz (v1-v4), .sog (bundled)
                or .glb (KHR_gaussian_splatting)
  OUT           format from the extension: .ply .splat .spz .glb .compressed.ply .sog .html (viewer)
  --preset      engine preset: axes, units, SH degree and splat budget (see docs/formats.md)
  --sh          highest SH degree to keep (default: the preset's, else the input's)
  --max-splats  keep at most N Gaussians, the most important (opacity x volume) first
  --spz-version SPZ container: 2 (default, widest support), 3, or 4 (zstd)
  --min-opacity A        clean-up: drop Gaussians whose opacity is below A (0..1)
  --crop-box x,y,z,X,Y,Z clean-up: keep Gaussians whose centre is inside the box (input's axes, metres)
  --crop-sphere x,y,z,r  clean-up: keep Gaussians within r of the point
                         (clean-up runs before --max-splats and the preset's budget;
                         write --crop-box=-1,... when the first number is negative)
  --compact     with .ply: the 14-property variant (no normals, no higher SH)
  --in-axes     axes of an input PLY/.splat (default rdf, the 3DGS convention)
  --out-axes    axes of an output PLY/.splat without --preset (default rdf)`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      preset: { type: 'string' },
      sh: { type: 'string' },
      'max-splats': { type: 'string' },
      'spz-version': { type: 'string' },
      'min-opacity': { type: 'string' },
      'crop-box': { type: 'string' },
      'crop-sphere': { type: 'string' },
      compact: { type: 'boolean' },
      'in-axes': { type: 'string' },
      'out-axes': { type: 'string' },
    });
    if (positionals.length !== 2) throw new UsageError('expected an input and an output file');
    const [input, output] = positionals;
    const sh = intFlag(values.sh, 'sh');
    if (sh !== undefined && (sh < 0 || sh > 3)) throw new UsageError('--sh must be 0, 1, 2 or 3');
    const maxSplats = intFlag(values['max-splats'], 'max-splats');
    if (maxSplats !== undefined && maxSplats < 1) throw new UsageError('--max-splats must be at least 1');
    const presetName = values.preset as string | undefined;
    if (presetName !== undefined && !isEnginePresetName(presetName))
      throw new UsageError(
        `unknown preset ${JSON.stringify(presetName)} (unity, unreal, blender, godot, web)`,
      );
    let format: ExportFileFormat | undefined = exportFormatFromName(output);
    if (!format)
      throw new UsageError(
        `cannot tell the output format from ${JSON.stringify(output)} (use .ply .splat .spz .glb .compressed.ply .sog .html)`,
      );
    const spzVersion = intFlag(values['spz-version'], 'spz-version');
    if (spzVersion !== undefined && (spzVersion < 2 || spzVersion > 4))
      throw new UsageError('--spz-version must be 2, 3 or 4');
    if (spzVersion !== undefined && format !== 'spz')
      throw new UsageError('--spz-version only applies to .spz output');
    if (values.compact) {
      if (format !== 'ply') throw new UsageError('--compact only applies to .ply output');
      format = 'ply-compact';
    }
    const minOpacity = numbersFlag(values['min-opacity'], 'min-opacity', 1)?.[0];
    if (minOpacity !== undefined && (minOpacity < 0 || minOpacity > 1))
      throw new UsageError('--min-opacity must be between 0 and 1');
    const box = numbersFlag(values['crop-box'], 'crop-box', 6);
    if (box && (box[0] > box[3] || box[1] > box[4] || box[2] > box[5]))
      throw new UsageError('--crop-box min corner must not exceed the max corner');
    const sphere = numbersFlag(values['crop-sphere'], 'crop-sphere', 4);
    if (sphere && !(sphere[3] > 0)) throw new UsageError('--crop-sphere radius must be positive');
    const cleanup = {
      ...(minOpacity !== undefined ? { minOpacity } : {}),
      ...(box
        ? { cropBox: { min: [box[0], box[1], box[2]] as const, max: [box[3], box[4], box[5]] as const } }
        : {}),
      ...(sphere
        ? { cropSphere: { center: [sphere[0], sphere[1], sphere[2]] as const, radius: sphere[3] } }
        : {}),
    };
    const inAxes = axesFlag(values['in-axes'], 'in-axes');
    const outAxes = axesFlag(values['out-axes'], 'out-axes');
    if (presetName && outAxes)
      throw new UsageError('--out-axes cannot be combined with --preset (the preset sets the axes)');

    let info;
    try {
      info = await readSplatFile(input, { axes: inAxes });
    } catch (err) {
      if (err instanceof SplatFormatError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
        writeLine(io.stderr, `headforge convert: cannot read ${input}: ${(err as Error).message}`);
        return EXIT.usage;
      }
      throw err;
    }
    for (const w of info.warnings) writeLine(io.stderr, `warning: ${input}: ${w}`);
    const preset = presetName && isEnginePresetName(presetName) ? presetName : 'none';
    if (preset !== 'none') {
      const wants = ENGINE_PRESETS[preset].format;
      if (wants !== format && !(wants === 'ply' && format === 'ply-compact'))
        writeLine(
          io.stderr,
          `note: the ${preset} preset normally writes ${wants}; writing ${format} as asked`,
        );
    }
    let exported;
    try {
      exported = await exportSplat(info.cloud, {
        preset,
        format,
        ...(sh !== undefined ? { shDegree: sh as ShDegree } : {}),
        ...(maxSplats !== undefined ? { maxSplats } : {}),
        ...(spzVersion !== undefined ? { spzVersion: spzVersion as 2 | 3 | 4 } : {}),
        ...(outAxes !== undefined ? { axes: outAxes } : {}),
        cleanup,
      });
    } catch (err) {
      if (!(err instanceof SplatFormatError)) throw err;
      writeLine(io.stderr, `headforge convert: cannot write ${output}: ${err.message}`);
      return EXIT.usage;
    }
    const { bytes, cloud } = exported;
    await writeFileAtomic(output, bytes);
    writeLine(
      io.stdout,
      `${input} (${info.format}, ${info.cloud.count} Gaussians, SH ${info.cloud.shDegree}) -> ${output} (${format}, ${cloud.count} Gaussians, SH ${format === 'splat' || format === 'ply-compact' ? 0 : cloud.shDegree}, ${bytes.length} bytes)`,
    );
    return EXIT.ok;
  },
};
