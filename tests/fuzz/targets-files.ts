/**
 * Fuzz targets for the product's own files and the text formats it imports: project.json, run.json,
 * record.json and settings.json (read back by the library, `eval` and the engine), model and style
 * pack manifests (pack.json) and the ONNX graphs they name, ARKit blend-shape CSV takes, and the OBJ
 * meshes the head-model importer reads.
 *
 * The files are read where the product reads them (a real library folder, a real pack folder) in a
 * scratch folder under /dev/shm when there is one (tmpfs: the per-input write costs microseconds),
 * removed when the process exits. Each input is one file's bytes; the rest of the folder stays valid,
 * so every failure is that file's fault.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { ProjectLibrary } from '../../src/engine/projects/library';
import { SettingsStore } from '../../src/engine/settings/settings-store';
import { loadCandidateRun } from '../../src/engine/eval/candidate';
import { validatePack } from '../../src/engine/packs/validate';
import { NotOnnxError, readOnnxGraphInfo } from '../../src/engine/onnx/graph-info';
import { parseObjMesh } from '../../src/engine/head-model/obj';
import { readRunLandmarks, writeRunLandmarks } from '../../src/engine/pipeline/run-files';
import { ARKIT_BLENDSHAPES } from '../../src/shared/animation/arkit';
import {
  ARKIT_EYE_COLUMNS,
  ARKIT_HEAD_COLUMNS,
  ArkitCsvError,
  parseArkitCsv,
} from '../../src/shared/animation/arkit-csv';
import { StudioError } from '../../src/shared/rpc/errors';
import { SplatFormatError } from '../../src/shared/splat/errors';
import { writePly } from '../../src/shared/splat/ply';
import { writeTinyPack } from '../../scripts/make-tiny-pack';
import { writeTinyStylePack } from '../../scripts/make-tiny-style-pack';
import { int, mutateJson, pick, randomCloud, type FuzzTarget, type Rand } from './harness';

const td = new TextDecoder();
const te = new TextEncoder();

let scratchRoot: string | null = null;
/** A fresh folder for one target's fixture, under one per-process scratch root. */
function scratch(name: string): string {
  if (!scratchRoot) {
    const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
    scratchRoot = fs.mkdtempSync(path.join(base, 'hf-fuzz-'));
    const root = scratchRoot;
    process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  }
  const dir = fs.mkdtempSync(path.join(scratchRoot, `${name}-`));
  return dir;
}

/** Structure-aware: parse, mutate a few values (prototype names included), serialise again. */
function jsonMutate(r: Rand, seed: Uint8Array): Uint8Array | null {
  try {
    return te.encode(JSON.stringify(mutateJson(r, JSON.parse(td.decode(seed)))) ?? 'null');
  } catch {
    return null;
  }
}

async function portraitPng(): Promise<Uint8Array> {
  const px = Buffer.alloc(96 * 96 * 3);
  for (let k = 0; k < px.length; k++) px[k] = (k * 37) % 251;
  return new Uint8Array(
    await sharp(px, { raw: { width: 96, height: 96, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

/** One library with one project and one run, made by the library itself (memoised per process). */
let libraryFixture: Promise<{
  lib: ProjectLibrary;
  projectId: string;
  runId: string;
  projectJson: string;
  runJson: string;
}> | null = null;
function library(): NonNullable<typeof libraryFixture> {
  libraryFixture ??= (async () => {
    const root = scratch('library');
    const lib = new ProjectLibrary({ root });
    await lib.init();
    const p = await lib.create({ name: 'fuzz', fileName: 'p.png', bytes: await portraitPng() });
    const run = await lib.createRun(p.id, {
      elevationDeg: 'auto',
      seed: 1,
      quality: 'draft',
      backend: 'default',
    });
    return {
      lib,
      projectId: p.id,
      runId: run.runId,
      projectJson: path.join(root, 'projects', p.id, 'project.json'),
      runJson: path.join(run.runDir, 'run.json'),
    };
  })();
  return libraryFixture;
}

const projectJson: FuzzTarget = {
  name: 'project.json',
  errorClass: StudioError,
  maxAmplification: 1,
  seeds: async () => [new Uint8Array(fs.readFileSync((await library()).projectJson))],
  // The gallery (list) and the project page (get) must show a damaged project, never fail.
  read: async (bytes) => {
    const f = await library();
    fs.writeFileSync(f.projectJson, bytes);
    await f.lib.list();
    await f.lib.get(f.projectId);
    return 0;
  },
  mutate: jsonMutate,
};

const runJson: FuzzTarget = {
  name: 'run.json',
  errorClass: StudioError,
  maxAmplification: 1,
  seeds: async () => [new Uint8Array(fs.readFileSync((await library()).runJson))],
  // The project page leaves a damaged run out (and reports it); reading that run says DAMAGED.
  read: async (bytes) => {
    const f = await library();
    fs.writeFileSync(f.runJson, bytes);
    await f.lib.get(f.projectId);
    await f.lib.damagedRuns(f.projectId);
    await f.lib.readRun(f.projectId, f.runId);
    return 0;
  },
  mutate: jsonMutate,
};

let recordDir: string | null = null;
/** A run folder as `eval --run` reads it: record.json beside head.ply. */
function recordFolder(): string {
  if (!recordDir) {
    recordDir = scratch('record');
    fs.writeFileSync(path.join(recordDir, 'head.ply'), writePly(randomCloud(() => 0.3, 8, 0)));
  }
  return recordDir;
}

const recordJson: FuzzTarget = {
  name: 'record.json',
  errorClass: StudioError,
  isFormatError: (err) => err instanceof StudioError || err instanceof SplatFormatError,
  maxAmplification: 1,
  seeds: () => [
    te.encode(
      JSON.stringify({
        input: { file: 'input.png', sha256: 'ab'.repeat(32) },
        resolved: {
          elevationDeg: 5,
          fovyDeg: 30,
          preset: { viewSize: 256 },
          inputCamera: { azimuthDeg: 0, elevationDeg: 5, distance: 1.5 },
        },
        timings: { multiview: 1.5, optimise: 2 },
        warnings: ['a note'],
      }),
    ),
  ],
  read: async (bytes) => {
    const dir = recordFolder();
    fs.writeFileSync(path.join(dir, 'record.json'), bytes);
    await loadCandidateRun(dir);
    return 0;
  },
  mutate: jsonMutate,
};

let settingsDir: string | null = null;
const settingsJson: FuzzTarget = {
  name: 'settings.json',
  errorClass: StudioError,
  maxAmplification: 1,
  seeds: () => [
    te.encode(
      JSON.stringify({
        defaultQuality: 'draft',
        defaultBackend: 'default',
        previewBackground: '#202124',
        theme: 'light',
      }),
    ),
  ],
  // A damaged file is kept aside and defaults used: get() never throws for content.
  read: async (bytes) => {
    settingsDir ??= scratch('settings');
    const file = path.join(settingsDir, 'settings.json');
    fs.writeFileSync(file, bytes);
    await new SettingsStore(file).get();
    for (const f of fs.readdirSync(settingsDir)) fs.rmSync(path.join(settingsDir, f));
    return 0;
  },
  mutate: jsonMutate,
};

/** A pack folder written by the tiny-pack scripts; each input replaces its pack.json. */
function packTarget(name: string, write: (dir: string) => void): FuzzTarget {
  let dir: string | null = null;
  const folder = (): string => {
    if (!dir) {
      dir = scratch(name.replace(/\W/g, ''));
      write(dir);
    }
    return dir;
  };
  return {
    name,
    // validatePack lists every problem in its result; it never throws for content.
    errorClass: StudioError,
    maxAmplification: 1,
    seeds: () => [new Uint8Array(fs.readFileSync(path.join(folder(), 'pack.json')))],
    read: async (bytes) => {
      fs.writeFileSync(path.join(folder(), 'pack.json'), bytes);
      await validatePack(folder(), { verifyHashes: true });
      return 0;
    },
    mutate: jsonMutate,
  };
}

const modelPack = packTarget('model pack', (d) => writeTinyPack(d));
const stylePack = packTarget('style pack', (d) => writeTinyStylePack(d));

let onnxDir: string | null = null;
const onnx: FuzzTarget = {
  name: 'ONNX graph',
  errorClass: NotOnnxError,
  maxAmplification: 64,
  seeds: () => {
    onnxDir ??= scratch('onnx');
    const pack = path.join(onnxDir, 'pack');
    if (!fs.existsSync(pack)) writeTinyStylePack(pack);
    return fs
      .readdirSync(pack)
      .filter((f) => f.endsWith('.onnx'))
      .map((f) => new Uint8Array(fs.readFileSync(path.join(pack, f))));
  },
  read: (bytes) => {
    const file = path.join(onnxDir!, 'in.onnx');
    fs.writeFileSync(file, bytes);
    const info = readOnnxGraphInfo(file);
    return JSON.stringify(info).length;
  },
};

// Live Link Face's layout: timecode, shape count, the 52 shapes (capitalised), head and eye angles.
const ARKIT_HEADER = [
  'Timecode',
  'BlendShapeCount',
  ...ARKIT_BLENDSHAPES.map((n) => n[0].toUpperCase() + n.slice(1)),
  ...ARKIT_HEAD_COLUMNS,
  ...ARKIT_EYE_COLUMNS,
];
/** Values a cell may hold that keep the row a row: the parser must range-check and clamp them. */
const CSV_NUMBERS = [
  '0',
  '1',
  '-1',
  '1.5',
  '-0',
  '1e-7',
  '2',
  '99',
  '0.5',
  ' 0.25 ',
  '+1',
  '.5',
  '1.',
  '0x1',
  'Infinity',
  'NaN',
  '',
];
const CSV_TOKENS = [
  '',
  '0',
  '1',
  '-1',
  'NaN',
  '1e309',
  '0x10',
  '"',
  '""',
  ',',
  '\n',
  '12:00:00:99',
  '99:99:99:99.5',
  'constructor',
  '__proto__',
  'toString',
  'EyeBlinkLeft',
  'Timecode',
];

const arkitCsv: FuzzTarget = {
  name: 'ARKit CSV',
  errorClass: ArkitCsvError,
  maxAmplification: 16,
  seeds: (r) => {
    const rows = [ARKIT_HEADER.join(',')];
    for (let f = 0; f < 4; f++)
      rows.push(
        [`10:41:22:${15 + f}.000`, '61', ...ARKIT_HEADER.slice(2).map(() => r().toFixed(3))].join(','),
      );
    return [te.encode(rows.join('\r\n')), te.encode(rows.slice(0, 2).join('\n'))];
  },
  read: (bytes) => {
    const take = parseArkitCsv(td.decode(bytes));
    return take.frameCount * (ARKIT_HEADER.length + 1) * 4;
  },
  mutate(r, seed) {
    // split with a capture group: cells at even indices, separators (',' and line breaks) at odd.
    const cells = td.decode(seed).split(/(,|\r?\n)/);
    for (let k = 1 + int(r, 3); k > 0; k--) {
      const structural = r() < 0.3;
      const i = structural ? int(r, cells.length) : 2 * int(r, (cells.length + 1) >> 1);
      cells[i] = structural ? pick(r, CSV_TOKENS) : pick(r, CSV_NUMBERS);
    }
    return te.encode(cells.join(''));
  },
};

const OBJ_TOKENS = [
  'v',
  'vt',
  'vn',
  'f',
  '0',
  '-1',
  '-99',
  '4294967296',
  '1/1/1',
  '1//1',
  '/',
  'NaN',
  '1e400',
  '',
  '#',
  '\n',
];

const obj: FuzzTarget = {
  name: 'OBJ',
  errorClass: Error,
  // The head-model importer's own errors are plain Errors that name the file.
  isFormatError: (err) => err instanceof Error && err.message.startsWith('head.obj'),
  // The growable arrays start at 64 K elements (~1.4 MB whatever the input).
  maxAmplification: 64,
  seeds: () => [
    te.encode(
      [
        '# a quad and a triangle',
        'v 0 0 0',
        'v 1 0 0',
        'v 1 1 0',
        'v 0 1 0.5',
        'vt 0 0',
        'vt 1 0',
        'vt 1 1',
        'vt 0 1',
        'vn 0 0 1',
        'f 1/1/1 2/2/1 3/3/1 4/4/1',
        'f 1/1 3/3 4/4',
        'f -1 -2 -3',
      ].join('\n'),
    ),
  ],
  read: (bytes) => {
    const m = parseObjMesh(td.decode(bytes), 'head.obj');
    const got =
      m.positions.byteLength +
      m.texcoords.byteLength +
      m.triangles.byteLength +
      m.triangleTexcoords.byteLength +
      m.triangleFace.byteLength;
    return Math.max(0, got - (1 << 20));
  },
  mutate(r, seed) {
    const words = td.decode(seed).split(/( |\n)/);
    for (let k = 1 + int(r, 3); k > 0; k--) words[int(r, words.length)] = pick(r, OBJ_TOKENS);
    return te.encode(words.join(''));
  },
};

let landmarksDir: string | null = null;
/** A run's fitted landmarks (landmarks.json), read by animate --expression and the mesh export. */
const landmarksJson: FuzzTarget = {
  name: 'landmarks.json',
  // A damaged file is the run's damage (DAMAGED, naming the file), never re-detected silently.
  errorClass: StudioError,
  maxAmplification: 1,
  seeds: async () => {
    landmarksDir ??= scratch('landmarks');
    const pts = new Float32Array(478 * 3).map((_, i) => Math.sin(i) * 0.1);
    await writeRunLandmarks(landmarksDir, pts, 'head-fit');
    return [new Uint8Array(fs.readFileSync(path.join(landmarksDir, 'landmarks.json')))];
  },
  read: async (bytes) => {
    fs.writeFileSync(path.join(landmarksDir!, 'landmarks.json'), bytes);
    const got = await readRunLandmarks(landmarksDir!);
    return got ? got.points.byteLength / 4 : 0;
  },
  mutate: jsonMutate,
};

export const FILE_TARGETS: readonly FuzzTarget[] = [
  projectJson,
  runJson,
  recordJson,
  landmarksJson,
  settingsJson,
  modelPack,
  stylePack,
  onnx,
  arkitCsv,
  obj,
];
