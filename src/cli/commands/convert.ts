/**
 * `headforge convert in out [--preset P] [--sh 0..3] [--max-splats N] [--compact] [--in-axes A] [--out-axes A]`
 * Converts between splat formats (format chosen by the output extension), optionally for an engine.
 */
import { readSplatFile, writeFileAtomic } from '../../engine/splat-io/files';
import { encodeSplatNode } from '../../engine/splat-io/node-encode';
import type { ShDegree } from '../../shared/gaussians/cloud';
import { keepMostImportant } from '../../shared/gaussians/filter';
import { withShDegree } from '../../shared/gaussians/transforms';
import { formatFromName, SplatFormatError, type EncodeOptions, type FileAxes, type SplatFormat } from '../../shared/splat/index';
import { applyPreset, ENGINE_PRESETS, isEnginePresetName } from '../../shared/splat/presets';
import { EXIT, intFlag, parseCommandArgs, UsageError, writeLine, type CliCommand } from '../command';

function axesFlag(v: string | boolean | undefined, name: string): FileAxes | undefined {
  if (v === undefined) return undefined;
  if (v === 'rdf' || v === 'rub') return v;
  throw new UsageError(`--${name} must be rdf or rub, got ${JSON.stringify(v)}`);
}

export const command: CliCommand = {
  name: 'convert',
  summary: 'convert Gaussian splats between PLY, .splat, SPZ and GLB, optionally for an engine preset',
  usage: `headforge convert IN OUT [--preset unity|unreal|blender|godot|web] [--sh 0..3] [--max-splats N]
                  [--compact] [--in-axes rdf|rub] [--out-axes rdf|rub]

  IN            .ply (binary or ASCII), .splat, .spz (v1-v3) or .glb (KHR_gaussian_splatting)
  OUT           format from the extension: .ply .splat .spz .glb
  --preset      engine preset: axes, units, SH degree and splat budget (see docs/formats.md)
  --sh          highest SH degree to keep (default: the preset's, else the input's)
  --max-splats  keep at most N Gaussians, the most important (opacity x volume) first
  --compact     with .ply: the 14-property variant (no normals, no higher SH)
  --in-axes     axes of an input PLY/.splat (default rdf, the 3DGS convention)
  --out-axes    axes of an output PLY/.splat without --preset (default rdf)`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      preset: { type: 'string' },
      sh: { type: 'string' },
      'max-splats': { type: 'string' },
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
      throw new UsageError(`unknown preset ${JSON.stringify(presetName)} (unity, unreal, blender, godot, web)`);
    let format: SplatFormat | undefined = formatFromName(output);
    if (!format) throw new UsageError(`cannot tell the output format from ${JSON.stringify(output)} (use .ply .splat .spz .glb)`);
    if (values.compact) {
      if (format !== 'ply') throw new UsageError('--compact only applies to .ply output');
      format = 'ply-compact';
    }
    const inAxes = axesFlag(values['in-axes'], 'in-axes');
    const outAxes = axesFlag(values['out-axes'], 'out-axes');
    if (presetName && outAxes) throw new UsageError('--out-axes cannot be combined with --preset (the preset sets the axes)');

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
    let cloud = info.cloud;
    let encodeOptions: EncodeOptions = { axes: outAxes };
    if (presetName && isEnginePresetName(presetName)) {
      const preset = ENGINE_PRESETS[presetName];
      if (preset.format !== format && !(preset.format === 'ply' && format === 'ply-compact'))
        writeLine(io.stderr, `note: the ${presetName} preset normally writes ${preset.format}; writing ${format} as asked`);
      const r = applyPreset(cloud, preset, { shDegree: sh as ShDegree | undefined, maxSplats });
      cloud = r.cloud;
      encodeOptions = r.encodeOptions;
    } else {
      if (maxSplats !== undefined) cloud = keepMostImportant(cloud, maxSplats);
      if (sh !== undefined && sh < cloud.shDegree) cloud = withShDegree(cloud, sh as ShDegree);
    }
    const bytes = encodeSplatNode(cloud, format, encodeOptions);
    await writeFileAtomic(output, bytes);
    writeLine(
      io.stdout,
      `${input} (${info.format}, ${info.cloud.count} Gaussians, SH ${info.cloud.shDegree}) -> ${output} (${format}, ${cloud.count} Gaussians, SH ${format === 'splat' || format === 'ply-compact' ? 0 : cloud.shDegree}, ${bytes.length} bytes)`,
    );
    return EXIT.ok;
  },
};
