/**
 * `headforge frontal IN OUT.png`: the frontal portrait of a head. IN is a portrait (the full pipeline
 * runs first), a finished run folder, or a splat file (.ply/.splat/.spz/.glb).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { writePng } from '../../engine/image-io';
import { frontalFromCloud, loadRunHead, predictFrontal, faceYawDetector } from '../../engine/frontal';
import { readSplatFile } from '../../engine/splat-io/files';
import { formatFromName } from '../../shared/splat/index';
import { EXIT, intFlag, parseCommandArgs, UsageError, writeLine, type CliCommand } from '../command';
import { IMAGE_EXTENSIONS, numberFlag } from './animation-cli-flags';

export const command: CliCommand = {
  name: 'frontal',
  usage: `headforge frontal IN OUT.png [options]

  IN               a portrait (.png/.jpg/.webp: the generate pipeline runs first), a run folder
                   (holding head.ply), or a splat file (.ply .splat .spz .glb)
  --size N         output size in pixels (default 512)
  --no-search      render at azimuth 0 as is, without looking for the face with the landmark model
  --fovy DEG       field of view for splat-file input (default: the pipeline's 10)
  --quality Q      for a portrait: draft | standard | high (default standard)
  --seed N         for a portrait: the run's seed (default 0)
  --keep-run DIR   for a portrait: keep the generated run in DIR`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      size: { type: 'string' },
      'no-search': { type: 'boolean' },
      fovy: { type: 'string' },
      quality: { type: 'string' },
      seed: { type: 'string' },
      'keep-run': { type: 'string' },
    });
    if (positionals.length !== 2) throw new UsageError('expected an input and an output .png');
    const [input, output] = positionals;
    if (path.extname(output).toLowerCase() !== '.png')
      throw new UsageError('the frontal portrait is written as .png');
    const size = intFlag(values.size, 'size') ?? 512;
    if (size < 16 || size > 4096) throw new UsageError('--size must be 16..4096');
    const detect = values['no-search'] ? null : faceYawDetector;
    const quality = values.quality ?? 'standard';
    if (!['draft', 'standard', 'high'].includes(String(quality)))
      throw new UsageError('--quality must be draft, standard or high');
    const stat = await fs.stat(input).catch(() => null);
    if (!stat) {
      writeLine(io.stderr, `headforge frontal: ${input} does not exist`);
      return EXIT.usage;
    }
    let result;
    if (stat.isDirectory()) {
      const { cloud, fovyDeg } = await loadRunHead(input);
      result = await frontalFromCloud(cloud, detect, { size, fovyDeg });
    } else if (formatFromName(input)) {
      const info = await readSplatFile(input);
      result = await frontalFromCloud(info.cloud, detect, {
        size,
        fovyDeg: numberFlag(values.fovy, 'fovy', 1, 120),
      });
    } else if (IMAGE_EXTENSIONS.includes(path.extname(input).toLowerCase())) {
      const ac = new AbortController();
      void io.interrupted.then(() => ac.abort());
      let lastStage = '';
      result = await predictFrontal(input, {
        settings: {
          quality: quality as 'draft' | 'standard' | 'high',
          seed: intFlag(values.seed, 'seed') ?? 0,
        },
        workDir: values['keep-run'] as string | undefined,
        size,
        detectYaw: detect,
        signal: ac.signal,
        progress: (stage, f) => {
          if (stage !== lastStage) writeLine(io.stderr, `generate: ${stage} (${Math.round(f * 100)}%)`);
          lastStage = stage;
        },
      });
    } else {
      throw new UsageError(`cannot tell what ${input} is (portrait image, run folder or splat file)`);
    }
    await writePng(output, result.image);
    const yaw =
      result.residualYawDeg === null
        ? 'no face found by the landmark model'
        : `|yaw| ${result.residualYawDeg.toFixed(1)} deg`;
    writeLine(
      io.stdout,
      `${input} -> ${output} (front at azimuth ${result.frontAzimuthDeg.toFixed(1)}, ${yaw})`,
    );
    return EXIT.ok;
  },
};
