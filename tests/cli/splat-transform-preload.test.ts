/**
 * bin/headforge.mjs loads @playcanvas/splat-transform before tsx when the command line names a SOG, a
 * compressed PLY or an HTML viewer (in or out): under tsx the library's bundle cost ~640 MB and ~20 s
 * to load. The child process below starts as the bin does, then writes and reads a compressed PLY
 * through the engine: tsx must never load the library, and peak memory stays far below that.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { usesSplatTransform } from '../../src/cli/splat-transform-preload.mjs';

const repoRoot = path.resolve(__dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-preload-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const header = (elements: string): string =>
  `ply\nformat binary_little_endian 1.0\n${elements}property float x\nend_header\n`;

describe('which commands load splat-transform before tsx', () => {
  it('a SOG, HTML or compressed PLY named in or out, or --format of one: yes; plain splats: no', () => {
    const compressed = path.join(dir, 'head.ply');
    fs.writeFileSync(compressed, header('element chunk 1\nproperty float min_x\nelement vertex 256\n'));
    const plain = path.join(dir, 'plain.ply');
    fs.writeFileSync(plain, header('element vertex 40\n'));
    expect(usesSplatTransform([plain, path.join(dir, 'out.sog')])).toBe(true);
    expect(usesSplatTransform([path.join(dir, 'in.SOG')])).toBe(true);
    expect(usesSplatTransform([plain, 'viewer.html'])).toBe(true);
    expect(usesSplatTransform([plain, 'x.compressed.ply'])).toBe(true);
    expect(usesSplatTransform([compressed, 'out.spz'])).toBe(true);
    expect(usesSplatTransform(['--run', 'r', '--format', 'sog'])).toBe(true);
    expect(usesSplatTransform([plain, 'out.spz', '--spz-version', '4'])).toBe(false);
    expect(usesSplatTransform([path.join(dir, 'missing.ply'), 'out.splat'])).toBe(false);
    expect(usesSplatTransform(['portrait.png', '--format', 'gif'])).toBe(false);
  });
});

// As bin/headforge.mjs: preload, then tsx; onImport records what tsx loads.
const CHILD = `
const { preloadSplatTransform } = await import('./src/cli/splat-transform-preload.mjs');
await preloadSplatTransform(process.argv.slice(1));
const { register } = await import('tsx/esm/api');
const throughTsx = [];
register({ onImport: (url) => throughTsx.push(url) });
const { encodeSplatFile } = await import('./src/engine/splat-io/encode-file.ts');
const { decodeSplatFile } = await import('./src/engine/splat-io/files.ts');
const { makeTestCloud } = await import('./src/shared/gaussians/testing.ts');
const bytes = await encodeSplatFile(makeTestCloud(300, 0, 1), 'compressed-ply');
const { cloud } = await decodeSplatFile(bytes, 'head.compressed.ply');
console.log(JSON.stringify({
  count: cloud.count,
  splatTransformThroughTsx: throughTsx.filter((u) => u.includes('splat-transform')),
  peakMb: Math.round(process.resourceUsage().maxRSS / 1024),
}));
`;

describe('bin/headforge.mjs with a compressed PLY', () => {
  it('splat-transform is loaded by plain Node, not tsx: peak memory under 400 MB', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD, 'out.compressed.ply'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      count: number;
      splatTransformThroughTsx: string[];
      peakMb: number;
    };
    expect(got.count).toBe(300);
    expect(got.splatTransformThroughTsx).toEqual([]);
    expect(got.peakMb).toBeLessThan(400);
  }, 300_000);
});
