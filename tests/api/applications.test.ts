/**
 * The paper's applications through the StudioApi (issue 9), on the real Engine behind dispatch():
 * 2D style preview, 3D restyle saved as a run variant, animation export as a job (GIF and a zipped PNG
 * sequence here; MP4/WebM decoding is covered by tests/animation/export.test.ts and the e2e test),
 * frontal view export; and the bad inputs each must refuse with a clear error and no path escape.
 * The finished run is a synthetic head written into a run folder (no pipeline run needed).
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo, StudioApi, StudioEvent } from '../../src/shared/contracts/studio-api';
import { SH_C0 } from '../../src/shared/gaussians/cloud';
import { decodeSplat, encodeSplat } from '../../src/shared/splat';
import { dispatch } from '../../src/engine/host/dispatch';
import { Engine } from '../../src/engine/host/engine';
import { runGenerate } from '../host/fixtures/test-pipeline';
import { makeHeadCloud } from '../animation/head-cloud';
import { errorCode, portraitBytes, tempLibrary, waitForEvent } from './helpers';

let engine: Engine;
let library: string;
let projectId: string;
let runId: string;
/** Every call goes through dispatch(), as from the UI: schema validation included. */
const call = <M extends keyof StudioApi>(method: M, ...args: unknown[]) => dispatch(engine, method, args);

const projectDir = (): string => path.join(library, 'projects', projectId);
const runDir = (id: string): string => path.join(projectDir(), 'runs', id);
/** Asset URL -> the file inside the project it names (the test's view of what the server would serve). */
const fileOf = (url: string): string => path.join(library, 'projects', ...decodeURI(url.split('?')[0]).replace(/^\/assets\//, '').split('/'));

beforeAll(async () => {
  library = tempLibrary('hf-apps-');
  engine = await Engine.create({ libraryRoot: library, loadPipeline: async () => runGenerate });
  projectId = (await engine.createProject({ name: 'Apps', fileName: 'p.png', bytes: portraitBytes() })).id;
  // A finished run holding a synthetic head (12k Gaussians, face towards +z like a pipeline head).
  const created = await engine.library.createRun(projectId, { elevationDeg: 0, seed: 1, quality: 'draft', backend: 'default' });
  runId = created.runId;
  const { cloud } = makeHeadCloud(6000);
  fs.writeFileSync(path.join(created.runDir, 'head.ply'), encodeSplat(cloud, 'ply'));
  await engine.library.updateRun(projectId, runId, {
    state: 'done',
    outputs: { views: [], headPly: 'head.ply', renders: [], metrics: { gaussians: cloud.count }, timings: {}, warnings: [] },
  });
}, 60_000);

afterAll(() => {
  engine?.shutdown();
  fs.rmSync(library, { recursive: true, force: true });
});

async function finished(jobId: string): Promise<JobInfo> {
  const done = engine.jobs.get(jobId);
  if (done && done.state !== 'queued' && done.state !== 'running') return done;
  const ev = await waitForEvent(engine, (e: StudioEvent) => e.type === 'job-finished' && e.job.id === jobId, 120_000);
  return (ev as Extract<StudioEvent, { type: 'job-finished' }>).job;
}

describe('previewPortraitStyle', () => {
  it('writes a before and an after picture of the preprocessed portrait; strength 0 changes nothing', async () => {
    const strong = (await call('previewPortraitStyle', { projectId, style: { name: 'cel', strength: 0.9 } })) as Awaited<ReturnType<StudioApi['previewPortraitStyle']>>;
    expect(strong.size).toBe(256);
    for (const url of [strong.beforeUrl, strong.afterUrl]) expect(url).toMatch(new RegExp(`^/assets/${projectId}/style-previews/`));
    const before = await sharp(fileOf(strong.beforeUrl)).raw().toBuffer({ resolveWithObject: true });
    const after = await sharp(fileOf(strong.afterUrl)).raw().toBuffer({ resolveWithObject: true });
    expect([before.info.width, before.info.height, after.info.width, after.info.height]).toEqual([256, 256, 256, 256]);
    let diff = 0;
    for (let i = 0; i < before.data.length; i++) diff += Math.abs(before.data[i] - after.data[i]);
    expect(diff / before.data.length).toBeGreaterThan(5); // the cel style is plainly visible

    const none = (await call('previewPortraitStyle', { projectId, style: { name: 'pencil', strength: 0 } })) as typeof strong;
    const same = await sharp(fileOf(none.afterUrl)).raw().toBuffer();
    expect(Buffer.compare(same, await sharp(fileOf(none.beforeUrl)).raw().toBuffer())).toBe(0);
  }, 60_000);

  it('refuses unknown styles, out-of-range strength and path-like ids', async () => {
    expect(await errorCode(call('previewPortraitStyle', { projectId, style: { name: 'oil', strength: 0.5 } }))).toBe('BAD_REQUEST');
    expect(await errorCode(call('previewPortraitStyle', { projectId, style: { name: 'cel', strength: 1.5 } }))).toBe('BAD_REQUEST');
    expect(await errorCode(call('previewPortraitStyle', { projectId: '../x', style: { name: 'cel', strength: 0.5 } }))).toBe('BAD_REQUEST');
    expect(await errorCode(call('previewPortraitStyle', { projectId: 'no-such-project', style: { name: 'cel', strength: 0.5 } }))).toBe('NOT_FOUND');
  });

  it('a run may carry the style; bad styles in run settings are refused', async () => {
    const bad = { elevationDeg: 0, seed: 1, quality: 'draft', backend: 'default', style: { name: 'cel', strength: 2 } };
    expect(await errorCode(call('startRun', { projectId, settings: bad }))).toBe('BAD_REQUEST');
  });
});

describe('saveRestyledRun', () => {
  it('writes a new done run with the recoloured head, renders and a record naming its source', async () => {
    const run = (await call('saveRestyledRun', { projectId, runId, ops: [{ kind: 'posterize', levels: 3, strength: 1 }] })) as Awaited<ReturnType<StudioApi['saveRestyledRun']>>;
    expect(run.id).not.toBe(runId);
    expect(run.state).toBe('done');
    expect(run.splatUrl).toBe(`/assets/${projectId}/runs/${run.id}/head.ply`);
    expect(run.renderUrls).toHaveLength(16);
    const restyled = decodeSplat(new Uint8Array(fs.readFileSync(path.join(runDir(run.id), 'head.ply'))), 'head.ply');
    const source = decodeSplat(new Uint8Array(fs.readFileSync(path.join(runDir(runId), 'head.ply'))), 'head.ply');
    expect(restyled.count).toBe(source.count);
    expect(Array.from(restyled.positions.slice(0, 30))).toEqual(Array.from(source.positions.slice(0, 30)));
    // Posterised to 3 levels: every base colour channel is 0, 0.5 or 1.
    for (let i = 0; i < restyled.count * 3; i += 97) {
      const c = 0.5 + SH_C0 * restyled.shDC[i];
      expect([0, 0.5, 1].some((l) => Math.abs(c - l) < 1e-3), `channel value ${c}`).toBe(true);
    }
    const record = JSON.parse(fs.readFileSync(path.join(runDir(run.id), 'restyle.json'), 'utf8')) as { sourceRunId: string };
    expect(record.sourceRunId).toBe(runId);
    // Marked as a variant of its source in the run history; the source itself is an ordinary run.
    expect(run.variantOf).toEqual({ runId, kind: 'restyle' });
    const listed = (await call('getProject', projectId)) as Awaited<ReturnType<StudioApi['getProject']>>;
    expect(listed.runs.find((r) => r.id === run.id)?.variantOf).toEqual({ runId, kind: 'restyle' });
    expect(listed.runs.find((r) => r.id === runId)?.variantOf).toBeUndefined();
    // Exportable like any head.
    const exported = await call('exportRun', { projectId, runId: run.id, format: 'spz', preset: 'web' });
    expect((exported as { bytes: number }).bytes).toBeGreaterThan(1000);
  }, 60_000);

  it('refuses empty op lists, bad values, unknown runs and path-like run ids', async () => {
    expect(await errorCode(call('saveRestyledRun', { projectId, runId, ops: [] }))).toBe('BAD_REQUEST');
    expect(await errorCode(call('saveRestyledRun', { projectId, runId, ops: [{ kind: 'posterize', levels: 1 }] }))).toBe('BAD_REQUEST');
    expect(await errorCode(call('saveRestyledRun', { projectId, runId, ops: [{ kind: 'tint', color: [2, 0, 0] }] }))).toBe('BAD_REQUEST');
    expect(await errorCode(call('saveRestyledRun', { projectId, runId: 'run-nope', ops: [{ kind: 'hueSaturation', hueDeg: 30 }] }))).toBe('NOT_FOUND');
    expect(await errorCode(call('saveRestyledRun', { projectId, runId: '../../etc', ops: [{ kind: 'hueSaturation', hueDeg: 30 }] }))).toBe('BAD_REQUEST');
    // Straight to the engine (no schema in front): the library still refuses the escape.
    expect(await errorCode(engine.saveRestyledRun({ projectId, runId: '../../etc', ops: [{ kind: 'hueSaturation' }] }))).toBe('PATH_ESCAPE');
  });
});

describe('startAnimationExport', () => {
  const base = { path: { kind: 'turntable' }, expression: 'none', size: 64, fps: 8, durationS: 0.5, background: '#202020' };

  it('a GIF job lands in the run exports with every frame', async () => {
    const started = (await call('startAnimationExport', { projectId, runId, ...base, format: 'gif' })) as Awaited<ReturnType<StudioApi['startAnimationExport']>>;
    expect(started.fileName).toMatch(/^animation-turntable-64px-\d{14}-[0-9a-f]{4}\.gif$/);
    expect(started.url).toBe(`/assets/${projectId}/runs/${runId}/exports/${started.fileName}`);
    expect(started.job).toMatchObject({ kind: 'export', projectId, runId: null });
    const job = await finished(started.job.id);
    expect(job.state, job.error).toBe('done');
    const meta = await sharp(fileOf(started.url), { animated: true }).metadata();
    expect([meta.width, meta.pages]).toEqual([64, 4]);
    expect(fs.readdirSync(path.join(runDir(runId), 'exports')).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 120_000);

  it('a PNG sequence comes as one zip of transparent frames', async () => {
    const started = (await call('startAnimationExport', { projectId, runId, ...base, path: { kind: 'nod' }, format: 'png', background: 'transparent' })) as Awaited<ReturnType<StudioApi['startAnimationExport']>>;
    expect((await finished(started.job.id)).state).toBe('done');
    const entries = unzipSync(new Uint8Array(fs.readFileSync(fileOf(started.url))));
    const names = Object.keys(entries).sort();
    expect(names).toHaveLength(4);
    expect(names[0]).toMatch(/\/frame_00000\.png$/);
    const { data } = await sharp(Buffer.from(entries[names[0]])).raw().toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0); // corner pixel: transparent background
  }, 120_000);

  it('reports progress; cancelling stops the job and leaves no file behind', async () => {
    const started = (await call('startAnimationExport', { projectId, runId, ...base, size: 256, fps: 30, durationS: 10, format: 'gif' })) as Awaited<ReturnType<StudioApi['startAnimationExport']>>;
    await waitForEvent(engine, (e) => e.type === 'job-progress' && e.job.id === started.job.id && e.job.fraction > 0, 60_000);
    await engine.cancelJob({ jobId: started.job.id });
    expect((await finished(started.job.id)).state).toBe('cancelled');
    expect(fs.existsSync(fileOf(started.url))).toBe(false);
    expect(fs.readdirSync(path.join(runDir(runId), 'exports')).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 120_000);

  /** The frames of a PNG-sequence export from a still camera at the front (RGBA each). */
  async function stillFrames(id: string, expression: string): Promise<Buffer[]> {
    const still = { kind: 'keyframes', keyframes: [{ timeS: 0, azimuthDeg: 0, elevationDeg: 0 }, { timeS: 0.5, azimuthDeg: 0, elevationDeg: 0 }] };
    const started = (await call('startAnimationExport', { projectId, runId: id, ...base, size: 128, path: still, expression, format: 'png', background: 'transparent' })) as Awaited<ReturnType<StudioApi['startAnimationExport']>>;
    const job = await finished(started.job.id);
    expect(job.state, job.error).toBe('done');
    const entries = unzipSync(new Uint8Array(fs.readFileSync(fileOf(started.url))));
    return Promise.all(Object.keys(entries).sort().map((n) => sharp(Buffer.from(entries[n])).raw().toBuffer()));
  }
  const meanDiff = (a: Buffer, b: Buffer): number => a.reduce((acc, v, i) => acc + Math.abs(v - b[i]), 0) / a.length;

  it('an expression moves the face (anchors found on the head by the landmark model): most at the pulse peak', async () => {
    const plain = await stillFrames(runId, 'none');
    const jaw = await stillFrames(runId, 'jawOpen');
    expect(jaw).toHaveLength(4);
    // Frame 2 of 4 is the middle of the 0 -> 1 -> 0 pulse (weight 1); frame 0 has weight 0.
    expect(meanDiff(plain[2], jaw[2])).toBeGreaterThan(0.5);
    expect(meanDiff(plain[2], jaw[2])).toBeGreaterThan(4 * meanDiff(plain[0], jaw[0]));
  }, 120_000);

  it('an expression on a head without a recognisable face fails with a clear reason', async () => {
    const grey = (await call('saveRestyledRun', { projectId, runId, ops: [{ kind: 'palette', palette: [[0.5, 0.5, 0.5]], strength: 1 }] })) as { id: string };
    const started = (await call('startAnimationExport', { projectId, runId: grey.id, ...base, expression: 'blink', format: 'gif' })) as Awaited<ReturnType<StudioApi['startAnimationExport']>>;
    const job = await finished(started.job.id);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/no face/);
  }, 120_000);

  it.each([
    ['transparent video', { format: 'mp4', background: 'transparent' }, /cannot be transparent/],
    ['odd size', { format: 'mp4', size: 65 }, /even/],
    ['keyframes without keys', { format: 'gif', path: { kind: 'keyframes' } }, /needs keyframes/],
    ['keyframe times going back', { format: 'gif', path: { kind: 'keyframes', keyframes: [{ timeS: 1, azimuthDeg: 0, elevationDeg: 0 }, { timeS: 0.5, azimuthDeg: 90, elevationDeg: 0 }] } }, /increase/],
    ['unknown expression', { format: 'gif', expression: 'wink' }, /expression/],
    ['an output path', { format: 'gif', out: '/tmp/x.gif' }, /out/],
    ['an ARKit take missing shapes', { format: 'gif', arkitCsv: 'Timecode,BlendShapeCount,JawOpen\n00:00:00:00.000,52,0.5' }, /ARKit take: missing blend-shape columns: eyeBlinkLeft, /],
    ['an ARKit take with an unknown column', { format: 'gif', arkitCsv: 'Timecode,Smirk\n0,1' }, /unknown or repeated column: Smirk/],
  ])('refuses %s', async (_name, patch, message) => {
    await expect(call('startAnimationExport', { projectId, runId, ...base, ...patch })).rejects.toThrow(message);
  });

  it('refuses a run without a head', async () => {
    const empty = await engine.library.createRun(projectId, { elevationDeg: 0, seed: 1, quality: 'draft', backend: 'default' });
    expect(await errorCode(call('startAnimationExport', { projectId, runId: empty.runId, ...base, format: 'gif' }))).toBe('BAD_REQUEST');
  });
});

describe('poseHead', () => {
  it('names why a run without a fitted head cannot be posed, and refuses bad weights', async () => {
    await expect(call('poseHead', { projectId, runId, weights: { jawOpen: 1 } })).rejects.toThrow(/no head-fit\.json/);
    expect(await errorCode(call('poseHead', { projectId, runId, weights: { jawOpen: 2 } }))).toBe('BAD_REQUEST');
  });
});

describe('getFaceAnchors', () => {
  it('finds the anchors of a run without landmarks.json on its head; refuses path-like ids', async () => {
    const found = (await call('getFaceAnchors', { projectId, runId })) as Awaited<ReturnType<StudioApi['getFaceAnchors']>>;
    expect(found.source).toMatch(/render/);
    const truth = makeHeadCloud(6000).anchors;
    const iod = Math.abs(truth.leftEye.outer[0] - truth.rightEye.outer[0]);
    const lip = found.anchors.upperLip;
    expect(Math.hypot(lip[0] - truth.upperLip[0], lip[1] - truth.upperLip[1], lip[2] - truth.upperLip[2])).toBeLessThan(0.2 * iod);
    expect(await errorCode(call('getFaceAnchors', { projectId, runId: '../x' }))).toBe('BAD_REQUEST');
  }, 60_000);
});

describe('exportFrontalView', () => {
  it('writes frontal-<size>px.png into the run exports', async () => {
    const res = (await call('exportFrontalView', { projectId, runId, size: 128 })) as Awaited<ReturnType<StudioApi['exportFrontalView']>>;
    expect(res.fileName).toBe('frontal-128px.png');
    expect(res.url).toBe(`/assets/${projectId}/runs/${runId}/exports/frontal-128px.png`);
    const meta = await sharp(fileOf(res.url)).metadata();
    expect([meta.width, meta.height]).toEqual([128, 128]);
  }, 60_000);

  it('refuses sizes out of range and path-like ids', async () => {
    expect(await errorCode(call('exportFrontalView', { projectId, runId, size: 8 }))).toBe('BAD_REQUEST');
    expect(await errorCode(call('exportFrontalView', { projectId, runId: 'runs/../..', size: 256 }))).toBe('BAD_REQUEST');
  });
});
