/** `headforge info FILE [--json] [--axes rdf|rub]` — count, SH degree, bounds and size of a splat file. */
import { readSplatFile } from '../../engine/splat-io/files';
import { sigmoid } from '../../shared/gaussians/activations';
import { computeBounds } from '../../shared/gaussians/bounds';
import { SplatFormatError } from '../../shared/splat/index';
import { EXIT, parseCommandArgs, UsageError, writeLine, type CliCommand } from '../command';

const fmt = (v: number[]) => `(${v.map((x) => x.toFixed(4)).join(', ')})`;

export const command: CliCommand = {
  name: 'info',
  usage: `headforge info FILE [--json] [--axes rdf|rub]

  FILE    .ply .splat .spz .glb
  --json  one JSON object instead of text
  --axes  axes of a PLY/.splat input (default rdf); bounds are reported in HeadForge axes (+y up)`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' }, axes: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('expected one file');
    const axes = values.axes;
    if (axes !== undefined && axes !== 'rdf' && axes !== 'rub') throw new UsageError('--axes must be rdf or rub');
    let info;
    try {
      info = await readSplatFile(positionals[0], { axes });
    } catch (err) {
      if (err instanceof SplatFormatError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
        writeLine(io.stderr, `headforge info: cannot read ${positionals[0]}: ${(err as Error).message}`);
        return EXIT.usage;
      }
      throw err;
    }
    const { cloud } = info;
    const bounds = computeBounds(cloud);
    let alphaSum = 0;
    for (let i = 0; i < cloud.count; i++) alphaSum += sigmoid(cloud.opacities[i]);
    const summary = {
      file: info.path,
      format: info.format,
      bytes: info.fileBytes,
      count: cloud.count,
      shDegree: cloud.shDegree,
      boundsMin: bounds.min,
      boundsMax: bounds.max,
      boundsSize: bounds.size,
      meanOpacity: cloud.count ? alphaSum / cloud.count : 0,
      warnings: info.warnings,
    };
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(summary));
      return EXIT.ok;
    }
    writeLine(io.stdout, `${info.path}`);
    writeLine(io.stdout, `  format       ${info.format}`);
    writeLine(io.stdout, `  size         ${(info.fileBytes / 1e6).toFixed(2)} MB (${info.fileBytes} bytes)`);
    writeLine(io.stdout, `  Gaussians    ${cloud.count}`);
    writeLine(io.stdout, `  SH degree    ${cloud.shDegree}`);
    writeLine(io.stdout, `  bounds min   ${fmt(bounds.min)}   (HeadForge axes: +y up, +z front)`);
    writeLine(io.stdout, `  bounds max   ${fmt(bounds.max)}`);
    writeLine(io.stdout, `  extent       ${fmt(bounds.size)}`);
    writeLine(io.stdout, `  mean alpha   ${summary.meanOpacity.toFixed(3)}`);
    for (const w of info.warnings) writeLine(io.stdout, `  warning      ${w}`);
    return EXIT.ok;
  },
};
