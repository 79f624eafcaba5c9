import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { computeBounds } from '../../src/shared/gaussians/bounds';
import { makeTestCloud } from '../../src/shared/gaussians/testing';
import { decodeSplat, decodeSplatDetailed, encodeSplat, SPLAT_FORMATS } from '../../src/shared/splat/index';
import { applyPreset, ENGINE_PRESETS } from '../../src/shared/splat/presets';
import { main } from '../../src/cli/index';
import { maxAbsDiff } from './helpers';

describe('encodeSplat / decodeSplat', () => {
  const cloud = makeTestCloud(64, 3, 77);
  it.each(SPLAT_FORMATS)('%s is detected by magic (or .splat by name) and keeps positions', (format) => {
    const bytes = encodeSplat(cloud, format);
    const r = decodeSplatDetailed(bytes, format === 'splat' ? 'head.splat' : undefined);
    expect(r.format).toBe(format === 'ply-compact' ? 'ply' : format);
    expect(maxAbsDiff(r.cloud.positions, cloud.positions)).toBeLessThanOrEqual(format === 'spz' ? 0.5 / 4096 : 0);
  });
  it('refuses unknown bytes and a name that does not match the content', () => {
    expect(() => decodeSplat(new Uint8Array([1, 2, 3, 4]))).toThrow(/unrecognised file/);
    expect(() => decodeSplat(new Uint8Array([1, 2, 3, 4]), 'x.ply')).toThrow(/wrong magic/);
    expect(() => decodeSplat(new Uint8Array(0))).toThrow(/empty/);
  });
});

describe('engine presets', () => {
  const cloud = makeTestCloud(3000, 3, 12);
  const top = computeBounds(cloud).max[1];
  it('blender: head top goes to +z, face to -y, metres, budget and SH respected', () => {
    const r = applyPreset(cloud, ENGINE_PRESETS.blender, { maxSplats: 1000 });
    expect(r.cloud.count).toBe(1000);
    expect(r.cloud.shDegree).toBe(3);
    const b = computeBounds(r.cloud);
    expect(b.size[2]).toBeCloseTo(computeBounds(cloud).size[1], 1);
    expect(b.max[2]).toBeLessThanOrEqual(top + 1e-6);
    // A point on the face (+z in HeadForge) ends up at -y.
    const probe = makeTestCloud(1, 0, 1);
    probe.positions.set([0, 0, 0.1]);
    expect(Array.from(applyPreset(probe, ENGINE_PRESETS.blender).cloud.positions).map((v) => +v.toFixed(6))).toEqual([0, -0.1, 0]);
  });
  it('unreal: z-up in centimetres', () => {
    const probe = makeTestCloud(1, 0, 1);
    probe.positions.set([0, 0.2, 0]);
    const r = applyPreset(probe, ENGINE_PRESETS.unreal);
    expect(Array.from(r.cloud.positions).map((v) => +v.toFixed(4))).toEqual([0, 0, 20]);
    expect(r.cloud.scales[0]).toBeCloseTo(probe.scales[0] + Math.log(100), 5);
  });
  it('web: SPZ, SH 2; presets are written verbatim (no extra axis flip)', () => {
    const r = applyPreset(cloud, ENGINE_PRESETS.web);
    expect(r.format).toBe('spz');
    expect(r.cloud.shDegree).toBe(2);
    expect(r.encodeOptions.axes).toBe('rub');
  });
});

describe('headforge convert / info', () => {
  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '',
      err = '';
    stdout.on('data', (d) => (out += d));
    stderr.on('data', (d) => (err += d));
    const code = await main(args, { stdout, stderr });
    return { code, out, err };
  }
  it('converts PLY to SPZ with a preset and reports the result with info', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-splat-'));
    const input = path.join(dir, 'in.ply');
    fs.writeFileSync(input, encodeSplat(makeTestCloud(500, 3, 3), 'ply'));
    const conv = await cli(['convert', input, path.join(dir, 'out.spz'), '--preset', 'web', '--max-splats', '200']);
    expect(conv.code).toBe(0);
    expect(conv.out).toMatch(/200 Gaussians, SH 2/);
    const info = await cli(['info', path.join(dir, 'out.spz'), '--json']);
    expect(info.code).toBe(0);
    const j = JSON.parse(info.out);
    expect(j).toMatchObject({ format: 'spz', count: 200, shDegree: 2 });
    const bad = await cli(['convert', input, path.join(dir, 'out.spz'), '--sh', '7']);
    expect(bad.code).toBe(2);
    fs.writeFileSync(path.join(dir, 'broken.ply'), 'ply\nformat binary_little_endian 1.0\nelement vertex 5\nproperty float x\nend_header\n');
    const broken = await cli(['info', path.join(dir, 'broken.ply')]);
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/missing vertex property 'y'/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
