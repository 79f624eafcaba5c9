/**
 * End to end: `headforge eval --gt head.glb` on the draft preset with a reduced step count, through
 * the CLI entry. Checks the report's structure, that every score is finite and in range, that the
 * files exist, and that the harness keeps to its budget. Skips (with the reason) only when the
 * generate pipeline module or the native rasterizer is absent.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { pipelineAvailability } from '../../src/engine/host/pipeline-loader';
import { requireNativeAddon } from '../native-required';
import type { EvalReport, ImageScores } from '../../src/engine/eval/types';
import { testHeadGlb } from './helpers/test-head';

const pipeline = pipelineAvailability();

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let buf = '';
  stream.on('data', (d: Buffer) => (buf += d.toString()));
  return { stream, text: () => buf };
}

function checkScores(s: ImageScores) {
  expect(Number.isFinite(s.psnr)).toBe(true);
  expect(s.psnr).toBeGreaterThan(8);
  expect(s.psnr).toBeLessThanOrEqual(100);
  expect(s.ssim).toBeGreaterThan(0);
  expect(s.ssim).toBeLessThanOrEqual(1);
  expect(s.maskIoU).toBeGreaterThan(0.5);
  expect(s.maskIoU).toBeLessThanOrEqual(1);
}

describe('headforge eval end to end', () => {
  // A missing addon or pipeline fails here, never skips.
  beforeAll(() => {
    requireNativeAddon();
    if (!pipeline.available) throw new Error(`the generate pipeline is unavailable: ${pipeline.problem}`);
  });
  it('runs the protocol on a textured head: report.json/.md, contact sheet, finite in-range scores', async () => {
    const glb = await testHeadGlb();
    const out = await fs.mkdtemp(path.join(os.tmpdir(), 'hf-eval-report-'));
    const stdout = collect(), stderr = collect();
    const code = await main(['eval', '--gt', glb, '--quality', 'draft', '--steps', '40', '--seed', '42', '--out', out, '--json'], { stdout: stdout.stream, stderr: stderr.stream });
    expect(code, stderr.text()).toBe(0);
    const report = JSON.parse(stdout.text()) as EvalReport;
    expect(JSON.parse(await fs.readFile(path.join(out, 'report.json'), 'utf8'))).toEqual(report);
    expect(report.protocol.lpips).toMatch(/skipped: no LPIPS model pack installed/);
    expect(report.subjects).toHaveLength(1);
    const s = report.subjects[0];
    expect(s.kind).toBe('mesh');
    expect(s.settings).toEqual({ backend: 'default', seed: 42, quality: 'draft', steps: 40 });
    expect(s.elevationDeg).toEqual({ groundTruth: 0, usedByPipeline: 0 });
    // The run fitted the head model: its pose is reported, and this level head photographed level is
    // fitted nearly level in the world.
    expect(s.headFit, 'the run has a head fit').toBeDefined();
    expect(Math.abs(s.headFit!.nodDeg)).toBeLessThan(5);
    expect(s.headFit!.nodDeg).toBeCloseTo(s.headFit!.pitchDeg - s.elevationDeg.usedByPipeline, 10);
    expect(s.headFit!.meanErrorIod).toBeGreaterThan(0);
    expect(s.headFit!.meanErrorIod).toBeLessThan(0.05);
    expect(s.views).toHaveLength(16);
    for (const v of s.views) {
      checkScores(v.unaligned);
      checkScores(v.aligned);
      expect(v.alignment.applied).toBe(true);
      expect(v.alignment.scale).toBeGreaterThan(0.7);
      expect(v.alignment.scale).toBeLessThan(1.4);
      if (v.csim !== null) expect(Math.abs(v.csim)).toBeLessThanOrEqual(1 + 1e-6);
    }
    // The frontal views have faces on both sides, so CSIM exists there and identity is kept (> 0.3).
    expect(s.views[0].csim, s.views[0].csimNote).not.toBeNull();
    expect(s.summary.aligned.csim.n).toBeGreaterThanOrEqual(3);
    expect(s.summary.aligned.csim.mean!).toBeGreaterThan(0.3);
    expect(s.summary.aligned.lpips).toEqual({ mean: null, std: null, n: 0 });
    expect(report.overall.subjects).toBe(1);
    expect(report.overall.aligned.psnr.mean).toBeCloseTo(s.summary.aligned.psnr.mean!, 10);
    // Files: markdown table, contact sheet (4 rows x 16 tiles), the run.
    const md = await fs.readFile(path.join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/\| aligned \| \d+\.\d\d ± \d+\.\d\d \|/);
    expect(md).toMatch(/the head's nod in the world -?\d+\.\d deg/);
    const meta = await sharp(path.join(out, s.contactSheet)).metadata();
    expect([meta.width, meta.height]).toEqual([16 * 128, 4 * 128]);
    await fs.access(path.join(out, s.runDir, 'head.ply'));
    expect(s.timings.pipelineS).toBeGreaterThan(0);
    expect(s.timings.harnessS).toBeGreaterThan(0);

    // Run vs run: the run judged against itself is exact (head.ply re-rendered = its renders/).
    const runDir = path.join(out, s.runDir);
    const self = collect();
    const code2 = await main(['eval', '--gt', runDir, '--candidate-run', runDir, '--out', path.join(out, 'self'), '--json'], { stdout: self.stream, stderr: new PassThrough() });
    expect(code2).toBe(0);
    const selfReport = JSON.parse(self.text()) as EvalReport;
    expect(selfReport.subjects[0].kind).toBe('run');
    expect(selfReport.overall.unaligned.psnr.mean).toBe(100);
    expect(selfReport.overall.unaligned.maskIoU.mean).toBe(1);
  }, 600_000);

  it('refuses a ground truth it cannot read with exit 2 and the reason', async () => {
    const stderr = collect();
    const code = await main(['eval', '--gt', path.join(os.tmpdir(), 'no-such-head.glb')], { stdout: new PassThrough(), stderr: stderr.stream });
    expect(code).toBe(2);
    expect(stderr.text()).toMatch(/no such file/);
  });
});
