/**
 * Fuzz targets for the product's own files: project.json, run.json, record.json, landmarks.json and
 * settings.json, read back where the product reads them (a real library folder made by the library,
 * a run folder, a settings store) in a scratch folder (tests/fuzz/scratch.ts). Each input is one
 * file's bytes; the rest of the folder stays valid, so every failure is that file's fault.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { ProjectLibrary } from '../../src/engine/projects/library';
import { SettingsStore } from '../../src/engine/settings/settings-store';
import { loadCandidateRun } from '../../src/engine/eval/candidate';
import { readRunLandmarks, writeRunLandmarks } from '../../src/engine/pipeline/run-files';
import { StudioError } from '../../src/shared/rpc/errors';
import { SplatFormatError } from '../../src/shared/splat/errors';
import { writePly } from '../../src/shared/splat/ply';
import type { FuzzTarget } from './harness';
import { mutateJsonBytes, randomCloud } from './mutate';
import { scratch } from './scratch';

const te = new TextEncoder();

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
  mutate: mutateJsonBytes,
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
  mutate: mutateJsonBytes,
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
  mutate: mutateJsonBytes,
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
  mutate: mutateJsonBytes,
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
  mutate: mutateJsonBytes,
};

export const FILE_TARGETS: readonly FuzzTarget[] = [
  projectJson,
  runJson,
  recordJson,
  landmarksJson,
  settingsJson,
];
