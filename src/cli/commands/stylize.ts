/**
 * `headforge stylize IN OUT ...`: a built-in 2D style on a portrait (before generating, the paper's
 * way), or a colour restyle of a generated head (PLY/.splat/SPZ/GLB in, same formats out).
 */
import path from 'node:path';
import { readRgba, writePng } from '../../engine/image-io';
import { readSplatFile, writeFileAtomic } from '../../engine/splat-io/files';
import { encodeSplatNode } from '../../engine/splat-io/node-encode';
import { formatFromName } from '../../shared/splat/index';
import {
  isStyleName,
  restyleCloud,
  STYLE_NAMES,
  stylizeImage,
  type CloudRestyle,
} from '../../shared/stylize';
import { parsePackStyle } from '../../engine/stylize/style-pack';
import { EXIT, intFlag, parseCommandArgs, UsageError, writeLine, type CliCommand } from '../command';
import { colourFlag, IMAGE_EXTENSIONS, numberFlag } from './animation-cli-flags';
import { PackInvalidError, stylizeWithPack } from './stylize-pack';

export const command: CliCommand = {
  name: 'stylize',
  usage: `headforge stylize IN OUT [options]

  Portrait (IN is .png/.jpg/.webp, OUT is .png):
    --style S          ${STYLE_NAMES.join(' | ')} | pack:NAME[/STYLE] (required)
                       pack:NAME runs a style model pack's ONNX network (its default style, or STYLE);
                       'headforge models list' shows the installed packs and their styles
    --strength X       0..1 (default 0.7 for built-in styles, 1 for pack styles); 0 leaves the image unchanged
    --models DIR       (pack styles) also look for packs in DIR (repeatable)
  Head (IN/OUT are .ply/.splat/.spz/.glb), one or more of, applied in this order:
    --hue DEG          rotate hue by DEG degrees
    --saturation X     0 = grey, 1 = unchanged, up to 4
    --tint #RRGGBB     multiply colours by a tint
    --posterize N      snap colours to N levels per channel (2..16)
    --palette LIST     map colours to the nearest of "#hex,#hex,..." (CIELAB distance)
    --strength X       blend for tint/posterize/palette, 0..1 (default 1)`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      style: { type: 'string' },
      strength: { type: 'string' },
      hue: { type: 'string' },
      saturation: { type: 'string' },
      tint: { type: 'string' },
      posterize: { type: 'string' },
      palette: { type: 'string' },
      models: { type: 'string', multiple: true },
    });
    if (positionals.length !== 2) throw new UsageError('expected an input and an output file');
    const [input, output] = positionals;
    const ext = path.extname(input).toLowerCase();
    if (IMAGE_EXTENSIONS.includes(ext)) {
      const style = values.style;
      const packRef = typeof style === 'string' ? parsePackStyle(style) : null;
      if (typeof style !== 'string' || (!packRef && !isStyleName(style)))
        throw new UsageError(`--style must be one of ${STYLE_NAMES.join(', ')}, or pack:NAME[/STYLE]`);
      if (path.extname(output).toLowerCase() !== '.png')
        throw new UsageError('a stylized portrait is written as .png');
      const strength = numberFlag(values.strength, 'strength', 0, 1) ?? (packRef ? 1 : 0.7);
      let img;
      try {
        img = await readRgba(input);
      } catch (err) {
        writeLine(io.stderr, `headforge stylize: cannot read ${input}: ${(err as Error).message}`);
        return EXIT.usage;
      }
      const t0 = performance.now();
      if (packRef) {
        let res;
        try {
          res = await stylizeWithPack(img, packRef, strength, (values.models as unknown as string[] | undefined) ?? [], io);
        } catch (err) {
          if (!(err instanceof PackInvalidError)) throw err;
          writeLine(io.stderr, `headforge stylize: ${err.message}`);
          return EXIT.usage;
        }
        await writePng(output, res.image);
        writeLine(
          io.stdout,
          `${input} -> ${output} (${res.label}, strength ${strength}, ${img.width}x${img.height}, network at ${res.width}x${res.height} on ${res.provider.reason}, ${(performance.now() - t0).toFixed(0)} ms)`,
        );
        return EXIT.ok;
      }
      if (!isStyleName(style)) throw new UsageError(`unknown style ${style}`);
      const out = stylizeImage(img, { style, strength });
      await writePng(output, out);
      writeLine(
        io.stdout,
        `${input} -> ${output} (${style}, strength ${strength}, ${img.width}x${img.height}, ${(performance.now() - t0).toFixed(0)} ms)`,
      );
      return EXIT.ok;
    }
    const outFormat = formatFromName(output);
    if (!formatFromName(input) || !outFormat)
      throw new UsageError('IN/OUT must both be images or both be splat files (.ply .splat .spz .glb)');
    if (values.style !== undefined)
      throw new UsageError(
        '--style applies to portraits; for a head use --hue/--saturation/--tint/--posterize/--palette',
      );
    const strength = numberFlag(values.strength, 'strength', 0, 1);
    const ops: CloudRestyle[] = [];
    const hue = numberFlag(values.hue, 'hue', -360, 360);
    const saturation = numberFlag(values.saturation, 'saturation', 0, 4);
    if (hue !== undefined || saturation !== undefined)
      ops.push({ kind: 'hueSaturation', hueDeg: hue, saturation });
    const tint = colourFlag(values.tint, 'tint');
    if (tint) ops.push({ kind: 'tint', color: tint, strength });
    const levels = intFlag(values.posterize, 'posterize');
    if (levels !== undefined) {
      if (levels < 2 || levels > 16) throw new UsageError('--posterize must be 2..16');
      ops.push({ kind: 'posterize', levels, strength });
    }
    if (values.palette !== undefined) {
      const palette = String(values.palette)
        .split(',')
        .map((s, i) => colourFlag(s.trim(), `palette[${i}]`)!);
      ops.push({ kind: 'palette', palette, strength });
    }
    if (ops.length === 0)
      throw new UsageError('nothing to do: give --hue, --saturation, --tint, --posterize or --palette');
    let info;
    try {
      info = await readSplatFile(input);
    } catch (err) {
      writeLine(io.stderr, `headforge stylize: cannot read ${input}: ${(err as Error).message}`);
      return EXIT.usage;
    }
    const cloud = restyleCloud(info.cloud, ops);
    await writeFileAtomic(output, encodeSplatNode(cloud, outFormat));
    writeLine(
      io.stdout,
      `${input} -> ${output} (${cloud.count} Gaussians, ${ops.map((o) => o.kind).join(' + ')})`,
    );
    return EXIT.ok;
  },
};
