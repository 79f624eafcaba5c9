/**
 * `headforge animate HEAD OUT`: a camera path (and optionally an expression) rendered from a head to
 * MP4 (H.264) / WebM (VP9) through headless Chromium, GIF, or a transparent PNG sequence.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { exportAnimation, type AnimationFormat } from '../../engine/animation';
import { loadRunHead } from '../../engine/frontal';
import { runFaceAnchors } from '../../engine/host/applications/run-anchors';
import { readSplatFile } from '../../engine/splat-io/files';
import { loadBoundHead } from '../../engine/animation/load-bound-head';
import { describeTake, takeFrameCloud } from '../../engine/animation/take-frames';
import { PRESET_BLENDS, scaledBlend } from '../../shared/animation/arkit-presets';
import {
  ArkitCsvError,
  arkitTakeDuration,
  parseArkitCsv,
  type ArkitTake,
} from '../../shared/animation/arkit-csv';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import {
  anchorsFromMesh478,
  EXPRESSION_NAMES,
  type CameraPathSpec,
  type ExpressionName,
  type FaceAnchors,
} from '../../shared/animation';
import { z } from 'zod';
import { describeZodError } from '../../shared/contracts/studio-requests';
import {
  describeError,
  EXIT,
  intFlag,
  parseCommandArgs,
  UsageError,
  writeLine,
  type CliCommand,
} from '../command';
import { colourFlag, numberFlag, tenthsReporter } from './animation-cli-flags';

function formatFor(out: string, explicit: string | undefined): AnimationFormat {
  const f =
    explicit ??
    { '.mp4': 'mp4', '.webm': 'webm', '.gif': 'gif' }[path.extname(out).toLowerCase()] ??
    (path.extname(out) === '' ? 'png' : undefined);
  if (f === 'mp4' || f === 'webm' || f === 'gif' || f === 'png') return f;
  throw new UsageError(
    `cannot tell the format of ${JSON.stringify(out)}: use .mp4, .webm, .gif, a folder (PNG sequence) or --format`,
  );
}

async function pathSpec(name: string, elevation: number | undefined): Promise<CameraPathSpec> {
  switch (name) {
    case 'turntable':
      return { kind: 'turntable', elevationDeg: elevation ?? 0 };
    case 'orbit':
      return { kind: 'orbit' };
    case 'nod':
      return { kind: 'nod', elevationDeg: elevation ?? 0 };
    case 'front':
      // A still camera in front of the head (the input camera's side).
      return { kind: 'keyframes', keyframes: [{ timeS: 0, azimuthDeg: 0, elevationDeg: elevation ?? 0 }] };
    default: {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await fs.readFile(name, 'utf8'));
      } catch (err) {
        throw new UsageError(
          `--path must be turntable, orbit, nod or a JSON file of keyframes (${(err as Error).message})`,
        );
      }
      const checked = checkPathFile(parsed);
      if (!checked.success) throw new UsageError(`--path ${name}: ${fileZodError(checked.error)}`);
      if (Array.isArray(checked.data)) return { kind: 'keyframes', keyframes: checked.data };
      return checked.data as CameraPathSpec;
    }
  }
}

// The JSON files the CLI reads are user input: checked here, so a wrong file is a sentence and exit 2,
// not a TypeError deep in the renderer (issue 20).
const finite = z.number().finite();
const vec3 = z.tuple([finite, finite, finite]);
const keyframeSchema = z.looseObject({
  timeS: finite.min(0),
  azimuthDeg: finite,
  elevationDeg: finite.min(-89).max(89),
  radius: finite.positive().optional(),
  fovyDeg: finite.min(1).max(170).optional(),
});
const keyframesSchema = z
  .array(keyframeSchema)
  .min(1)
  .max(10_000)
  .refine((k) => k.every((x, i) => i === 0 || x.timeS > k[i - 1].timeS), 'keyframe times must increase');
const pathKindSchema = z.looseObject({ kind: z.enum(['turntable', 'orbit', 'nod', 'keyframes']) });
const pathObjectSchemas = [
  z.looseObject({
    kind: z.enum(['turntable', 'orbit', 'nod']),
    elevationDeg: finite.min(-89).max(89).optional(),
    elevationMinDeg: finite.min(-89).max(89).optional(),
    elevationMaxDeg: finite.min(-89).max(89).optional(),
    azimuthDeg: finite.optional(),
    startAzimuthDeg: finite.optional(),
    amplitudeDeg: finite.optional(),
    turns: finite.optional(),
    sweeps: finite.optional(),
    cycles: finite.optional(),
    radius: finite.positive().optional(),
    fovyDeg: finite.min(1).max(170).optional(),
    target: vec3.optional(),
  }),
  z.looseObject({
    kind: z.literal('keyframes'),
    keyframes: keyframesSchema,
    interpolation: z.enum(['linear', 'smooth']).optional(),
    radius: finite.positive().optional(),
    fovyDeg: finite.min(1).max(170).optional(),
    target: vec3.optional(),
  }),
] as const;
/** A keyframe array, or a path object checked against the schema its `kind` names (so errors name fields). */
function checkPathFile(v: unknown): z.ZodSafeParseResult<unknown> {
  if (Array.isArray(v)) return keyframesSchema.safeParse(v);
  const kind = pathKindSchema.safeParse(v);
  if (!kind.success) return kind;
  return pathObjectSchemas[kind.data.kind === 'keyframes' ? 1 : 0].safeParse(v);
}
const eyeSchema = z.object({ upperLid: vec3, lowerLid: vec3, inner: vec3, outer: vec3 });
const mesh478Schema = z.object({ mesh478: z.array(finite).length(478 * 3) });
const faceAnchorsSchema = z.object({
  leftEye: eyeSchema,
  rightEye: eyeSchema,
  leftBrow: vec3,
  rightBrow: vec3,
  mouthLeft: vec3,
  mouthRight: vec3,
  upperLip: vec3,
  lowerLip: vec3,
  chin: vec3,
});
/** describeZodError names fields from `args`; here the root is the file. */
const fileZodError = (err: z.ZodError): string =>
  describeZodError(err)
    .replace(/(^|; )args\./g, '$1')
    .replace(/(^|; )args\[/g, '$1[');

async function readAnchors(file: string): Promise<FaceAnchors> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--anchors ${file} is not a readable JSON file (${(err as Error).message})`);
  }
  const isMesh = typeof parsed === 'object' && parsed !== null && 'mesh478' in parsed;
  const checked = isMesh ? mesh478Schema.safeParse(parsed) : faceAnchorsSchema.safeParse(parsed);
  if (!checked.success)
    throw new UsageError(
      `--anchors ${file} must hold FaceAnchors or {"mesh478": [1434 numbers]}: ${fileZodError(checked.error)}`,
    );
  return 'mesh478' in checked.data ? anchorsFromMesh478(checked.data.mesh478) : checked.data;
}

/** An ARKit take from a CSV file; a bad file is a usage error naming what is wrong. */
async function readTake(file: string, fpsFlag: string | boolean | undefined): Promise<ArkitTake> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--arkit ${file}: ${describeError(err)}`);
  }
  try {
    return parseArkitCsv(text, { fps: numberFlag(fpsFlag, 'arkit-fps', 1, 240) });
  } catch (err) {
    if (err instanceof ArkitCsvError) throw new UsageError(`--arkit ${file}: ${err.message}`);
    throw err;
  }
}

/** The elevation of a run's input camera (record.json), 0 when it has none. */
async function runElevation(runDir: string): Promise<number> {
  try {
    const record = JSON.parse(await fs.readFile(path.join(runDir, 'record.json'), 'utf8')) as {
      resolved?: { inputCamera?: { elevationDeg?: number } };
    };
    return record.resolved?.inputCamera?.elevationDeg ?? 0;
  } catch {
    return 0;
  }
}

/** Prove `out` can be written before any frame is rendered (a PNG sequence is a folder). */
async function checkWritable(out: string, isFolder: boolean): Promise<void> {
  const dir = isFolder ? out : path.dirname(path.resolve(out));
  // A PNG sequence replaces its folder as a whole: only an earlier sequence may be in it.
  const existing = isFolder ? await fs.readdir(dir).catch(() => [] as string[]) : [];
  const foreign = existing.filter((f) => !/^frame_\d{5}\.png$/.test(f));
  if (foreign.length)
    throw new UsageError(
      `${out} holds other files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}); a PNG sequence replaces its folder, so pick an empty or new one`,
    );
  const probe = path.join(dir, `.headforge-write-test-${process.pid}`);
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(probe, '');
    await fs.rm(probe);
  } catch (err) {
    throw new UsageError(`cannot write ${out}: ${describeError(err)}`);
  }
}

export const command: CliCommand = {
  name: 'animate',
  usage: `headforge animate HEAD OUT [options]

  HEAD               a splat file (.ply .splat .spz .glb) or a run folder (head.ply)
  OUT                .mp4 (H.264), .webm (VP9), .gif, or a folder for a PNG sequence
  --path P           turntable | orbit | nod | front | FILE.json (keyframes [{timeS, azimuthDeg, elevationDeg}]
                     or a full path spec) (default turntable)
  --elevation DEG    elevation for turntable / nod (default 0)
  --duration S       seconds (default 4)
  --fps N            frames per second (default 30)
  --size N           square frame size (default 512); or --width/--height
  --background #HEX  background colour (default #ffffff)
  --transparent      transparent background (PNG sequence default; GIF optional; not for video)
  --expression LIST  e.g. blink,smile: each pulses 0 -> 1 -> 0 over the clip (${EXPRESSION_NAMES.join(', ')})
  --anchors FILE     face anchors in world space for --expression: JSON FaceAnchors or {"mesh478": [...]}.
                     A run folder needs none: its landmarks.json (the fitted face) is used, or, for runs
                     without one, the face is found on a frontal render of the head
  --format F         mp4 | webm | gif | png (default: from OUT)
  --arkit TAKE.csv   drive the face with an ARKit blend-shape capture (Live Link Face's CSV: Timecode,
                     BlendShapeCount and the 52 coefficients): the run's splats bound to its fitted head
                     model follow the 52 shapes. Needs a run folder with head-fit.json. Defaults become
                     the take's: duration, fps (60), --path front at the run's camera elevation
  --arkit-fps N      frame rate of the take's timecode frames (default 60)
  --arkit-mode M     relative (default: the capture moves the face from the portrait's own expression)
                     | absolute (the capture's weights replace it)

Video encoding runs in headless Chromium (WebCodecs + mediabunny): set HEADFORGE_CHROMIUM if it is not
at /usr/bin/chromium.`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      path: { type: 'string' },
      elevation: { type: 'string' },
      duration: { type: 'string' },
      fps: { type: 'string' },
      size: { type: 'string' },
      width: { type: 'string' },
      height: { type: 'string' },
      background: { type: 'string' },
      transparent: { type: 'boolean' },
      expression: { type: 'string' },
      anchors: { type: 'string' },
      format: { type: 'string' },
      arkit: { type: 'string' },
      'arkit-fps': { type: 'string' },
      'arkit-mode': { type: 'string' },
    });
    if (positionals.length !== 2) throw new UsageError('expected a head and an output');
    const [head, out] = positionals;
    const format = formatFor(out, values.format as string | undefined);
    const size = intFlag(values.size, 'size') ?? 512;
    const width = intFlag(values.width, 'width') ?? size;
    const height = intFlag(values.height, 'height') ?? size;
    const take =
      values.arkit !== undefined ? await readTake(String(values.arkit), values['arkit-fps']) : null;
    const arkitMode = values['arkit-mode'] ?? 'relative';
    if (arkitMode !== 'relative' && arkitMode !== 'absolute')
      throw new UsageError(`--arkit-mode must be relative or absolute, got ${JSON.stringify(arkitMode)}`);
    if (take && values.expression !== undefined)
      throw new UsageError('--arkit and --expression both drive the face: pick one');
    let expression;
    if (values.expression !== undefined) {
      const names = String(values.expression)
        .split(',')
        .map((s) => s.trim());
      for (const n of names) {
        if (!(EXPRESSION_NAMES as readonly string[]).includes(n))
          throw new UsageError(`unknown expression ${JSON.stringify(n)} (${EXPRESSION_NAMES.join(', ')})`);
      }
      expression = { names: names as ExpressionName[] };
    }
    const stat = await fs.stat(head).catch(() => null);
    if (!stat) {
      writeLine(io.stderr, `headforge animate: ${head} does not exist`);
      return EXIT.usage;
    }
    if (expression && values.anchors === undefined && !stat.isDirectory())
      throw new UsageError(
        '--expression on a splat file needs --anchors FILE (face landmarks in world space); a run folder has its own',
      );
    if (take && !stat.isDirectory())
      throw new UsageError(
        '--arkit needs a run folder (its head-fit.json binds the splats to the fitted face); a splat file has no face model',
      );
    const run = stat.isDirectory() ? await loadRunHead(head) : null;
    const cloud = run ? run.cloud : (await readSplatFile(head)).cloud;
    const spec = await pathSpec(
      String(values.path ?? (take ? 'front' : 'turntable')),
      numberFlag(values.elevation, 'elevation', -89, 89) ?? (take ? await runElevation(head) : undefined),
    );
    let frameCloud: ((frame: number, timeS: number) => GaussianCloud) | undefined;
    if (take) {
      const bound = await loadBoundHead(head, cloud);
      writeLine(
        io.stderr,
        `ARKit take: ${take.frameCount} frames, ${arkitTakeDuration(take).toFixed(2)} s; splats bound to the fitted head: ${bound.stats.bound} of ${bound.stats.gaussians} (the rest, hair and torso, stay rigid)`,
      );
      if (take.clamped)
        writeLine(io.stderr, `ARKit take: ${take.clamped} values outside [0, 1] were clamped`);
      writeLine(io.stderr, `ARKit take drives: ${describeTake(take)}`);
      frameCloud = takeFrameCloud(bound, take, arkitMode);
    }
    let rig;
    // A run with a fitted head model poses its bound splats with the model's shapes (teeth, closing
    // lids); --anchors or a run without a fit uses the landmark rig.
    const boundForPresets =
      expression && run && values.anchors === undefined
        ? await loadBoundHead(head, cloud).catch(() => null)
        : null;
    if (expression && boundForPresets) {
      writeLine(
        io.stderr,
        `expression: splats bound to the fitted head (${boundForPresets.stats.bound} of ${boundForPresets.stats.gaussians})`,
      );
      const durationS = numberFlag(values.duration, 'duration', 0.05, 600) ?? 4;
      const names = expression.names;
      frameCloud = (_f, t) => {
        const w = Math.sin((Math.PI * t) / durationS) ** 2;
        const blend: Record<string, number> = {};
        for (const n of names)
          for (const [k, v] of Object.entries(scaledBlend(PRESET_BLENDS[n], w)))
            blend[k] = Math.max(blend[k] ?? 0, v ?? 0);
        return boundForPresets.frame(blend).cloud;
      };
    } else if (expression) {
      let anchors: FaceAnchors;
      if (values.anchors !== undefined) anchors = await readAnchors(String(values.anchors));
      else {
        const found = await runFaceAnchors(head, cloud, run!.fovyDeg);
        writeLine(io.stderr, `expression anchors: ${found.source}`);
        anchors = found.anchors;
      }
      rig = { anchors, track: { kind: 'pulse' as const, expressions: expression.names } };
    }
    await checkWritable(out, format === 'png');
    const ac = new AbortController();
    void io.interrupted.then(() => ac.abort());
    let res;
    try {
      res = await exportAnimation(cloud, {
        format,
        out,
        path: spec,
        durationS: numberFlag(values.duration, 'duration', 0.05, 600) ?? (take ? arkitTakeDuration(take) : 4),
        fps: numberFlag(values.fps, 'fps', 1, 120) ?? (take ? take.fps : 30),
        width,
        height,
        background: colourFlag(values.background, 'background'),
        transparent: values.transparent as boolean | undefined,
        expression: rig,
        frameCloud,
        onProgress: tenthsReporter((l) => writeLine(io.stderr, l), 'frames'),
        signal: ac.signal,
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError' || ac.signal.aborted) {
        writeLine(io.stderr, 'headforge animate: cancelled');
        return EXIT.cancelled;
      }
      if (err instanceof RangeError) throw new UsageError(err.message);
      throw err;
    }
    writeLine(
      io.stdout,
      `${head} -> ${out} (${format}, ${res.frameCount} frames ${width}x${height}, ${(res.bytes / 1024).toFixed(0)} KiB, ` +
        `${(res.wallMs / 1000).toFixed(1)} s of which rendering ${(res.renderMs / 1000).toFixed(1)} s)`,
    );
    return EXIT.ok;
  },
};
