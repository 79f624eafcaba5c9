/**
 * Issue 17, bar 1: the studio's Export (exportRunHead, the engine's exportRun) and `headforge convert`
 * write identical files for every preset and format, because both call exportSplat (applyPreset +
 * encodeSplatFile). The studio used to drop the preset's encode options, so its PLY and .splat carried
 * an extra 180-degree turn about x compared with the CLI's.
 *
 * SOG and the HTML viewer are compared decoded, not byte for byte: splat-transform seeds its SH k-means
 * randomly, so two writes of the same cloud by the same path already differ in the SH palette bytes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { exportRunHead } from '../../src/engine/export/export-run';
import { decodeSplatFile } from '../../src/engine/splat-io/files';
import type { EnginePreset, ExportFormat } from '../../src/shared/contracts/studio-api';
import { makeTestCloud } from '../../src/shared/gaussians/testing';
import { encodeSplat } from '../../src/shared/splat/index';
import { maxAbsDiff } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-export-paths-'));
const runDir = path.join(dir, 'run');
fs.mkdirSync(runDir);
// SH 2 on purpose: Godot must still get all 45 f_rest (padded), the web preset keeps 2.
fs.writeFileSync(path.join(runDir, 'head.ply'), encodeSplat(makeTestCloud(300, 2, 17), 'ply'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d) => (err += d));
  const code = await main(args, { stdout, stderr });
  return { code, err };
}

interface Variant {
  format: ExportFormat;
  spzVersion?: 2 | 3 | 4;
  ext: string;
  flags: string[];
}
const VARIANTS: Variant[] = [
  { format: 'ply', ext: '.ply', flags: [] },
  { format: 'ply-compact', ext: '.ply', flags: ['--compact'] },
  { format: 'splat', ext: '.splat', flags: [] },
  { format: 'spz', spzVersion: 2, ext: '.spz', flags: [] },
  { format: 'spz', spzVersion: 3, ext: '.spz', flags: ['--spz-version', '3'] },
  { format: 'spz', spzVersion: 4, ext: '.spz', flags: ['--spz-version', '4'] },
  { format: 'glb', ext: '.glb', flags: [] },
  { format: 'compressed-ply', ext: '.compressed.ply', flags: [] },
];
const PRESETS: EnginePreset[] = ['none', 'unity', 'unreal', 'blender', 'godot', 'web'];
const CASES = PRESETS.flatMap((preset) =>
  VARIANTS.map((v) => [preset, `${v.format}${v.spzVersion ? ` v${v.spzVersion}` : ''}`, v] as const),
);

async function bothPaths(
  preset: EnginePreset,
  v: Variant,
  tag: string,
): Promise<{ studio: Uint8Array; cli: Uint8Array }> {
  const studio = await exportRunHead(runDir, {
    projectId: 'p',
    runId: 'r',
    preset,
    format: v.format,
    ...(v.spzVersion ? { spzVersion: v.spzVersion } : {}),
  });
  const out = path.join(dir, `cli-${preset}-${tag}${v.ext}`);
  const r = await cli([
    'convert',
    path.join(runDir, 'head.ply'),
    out,
    ...(preset === 'none' ? [] : ['--preset', preset]),
    ...v.flags,
  ]);
  expect(r.code, r.err).toBe(0);
  return {
    studio: new Uint8Array(fs.readFileSync(path.join(runDir, 'exports', studio.fileName))),
    cli: new Uint8Array(fs.readFileSync(out)),
  };
}

describe('studio export and headforge convert write the same file', () => {
  it.each(CASES)('%s preset, %s: byte-identical', async (preset, tag, v) => {
    const { studio, cli: fromCli } = await bothPaths(preset, v, tag.replace(' ', '-'));
    expect(studio.length).toBeGreaterThan(0);
    expect(Buffer.compare(Buffer.from(studio), Buffer.from(fromCli))).toBe(0);
  });

  it.each(['sog', 'html'] as const)(
    'none and unity presets, %s: same Gaussians decoded (SH palette is k-means)',
    async (format) => {
      for (const preset of ['none', 'unity'] as const) {
        const { studio, cli: fromCli } = await bothPaths(
          preset,
          { format, ext: `.${format}`, flags: [] },
          format,
        );
        if (format === 'html') {
          // One self-contained page: the viewer and the SOG inlined (no second request to make).
          for (const page of [studio, fromCli])
            expect(new TextDecoder().decode(page.subarray(0, 200))).toMatch(/<!doctype html>/i);
          expect(Math.abs(studio.length - fromCli.length)).toBeLessThan(studio.length * 0.01);
          continue;
        }
        const a = (await decodeSplatFile(studio)).cloud;
        const b = (await decodeSplatFile(fromCli)).cloud;
        expect(b.count).toBe(a.count);
        for (const k of ['positions', 'scales', 'opacities', 'shDC'] as const)
          expect(maxAbsDiff(a[k], b[k]), k).toBe(0);
      }
    },
    60_000,
  );
});

describe('clean-up before export (opacity threshold, crop box, crop sphere)', () => {
  it('studio and CLI apply it identically, before the budget, and refuse one that leaves nothing', async () => {
    const cleanup = {
      minOpacity: 0.5,
      cropBox: {
        min: [-1, -0.1, -1] as [number, number, number],
        max: [1, 1, 1] as [number, number, number],
      },
      cropSphere: { center: [0, 0, 0] as [number, number, number], radius: 0.2 },
    };
    const studio = await exportRunHead(runDir, {
      projectId: 'p',
      runId: 'r',
      preset: 'unity',
      format: 'ply',
      cleanup,
      maxSplats: 50,
    });
    const out = path.join(dir, 'cli-cleanup.ply');
    const r = await cli([
      'convert',
      path.join(runDir, 'head.ply'),
      out,
      '--preset',
      'unity',
      '--min-opacity',
      '0.5',
      '--crop-box=-1,-0.1,-1,1,1,1',
      '--crop-sphere',
      '0,0,0,0.2',
      '--max-splats',
      '50',
    ]);
    expect(r.code, r.err).toBe(0);
    const a = new Uint8Array(fs.readFileSync(path.join(runDir, 'exports', studio.fileName)));
    expect(Buffer.compare(Buffer.from(a), fs.readFileSync(out))).toBe(0);
    const kept = (await decodeSplatFile(a, 'x.ply', { axes: 'rub' })).cloud;
    expect(kept.count).toBeGreaterThan(0);
    expect(kept.count).toBeLessThanOrEqual(50);
    for (let i = 0; i < kept.count; i++) {
      // Unity mirrors x; the clean-up ran in the head's own axes before that.
      const [x, y, z] = [-kept.positions[i * 3], kept.positions[i * 3 + 1], kept.positions[i * 3 + 2]];
      expect(Math.hypot(x, y, z)).toBeLessThanOrEqual(0.2 + 1e-6);
      expect(y).toBeGreaterThanOrEqual(-0.1 - 1e-6);
      expect(1 / (1 + Math.exp(-kept.opacities[i]))).toBeGreaterThanOrEqual(0.5);
    }
    await expect(
      exportRunHead(runDir, {
        projectId: 'p',
        runId: 'r',
        preset: 'none',
        format: 'ply',
        cleanup: { cropSphere: { center: [5, 5, 5], radius: 0.01 } },
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const empty = await cli([
      'convert',
      path.join(runDir, 'head.ply'),
      path.join(dir, 'none.ply'),
      '--crop-sphere',
      '5,5,5,0.01',
    ]);
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/removed all 300 Gaussians/);
  });
});
