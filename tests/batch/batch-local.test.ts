/**
 * `headforge batch` with the local engine on a folder of 2 fixture portraits and 5 bad files, at
 * draft with few steps: the good portraits become heads with their exports, the bad ones are named
 * (exit 2) without stopping the rest, batch.json and the contact sheet describe it all, and a second
 * call does nothing in under 5 s.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli';
import type { BatchSummary } from '../../src/engine/batch/summary';
import { inputFolder, removeTempDirs, tempDir, TEST_STEPS } from './fixtures';

const GOOD = ['hq-0001-matted-rgba.png', 'pd-grace-hopper.jpg'];

afterAll(removeTempDirs);

describe('headforge batch (local engine)', () => {
  it('makes a head per good portrait, names the bad inputs, and resumes doing nothing', async () => {
    const input = await inputFolder(GOOD, true);
    const out = await tempDir('out');
    const args = [
      'batch',
      input,
      '--out',
      out,
      '--quality',
      'draft',
      '--steps',
      TEST_STEPS,
      '--preset',
      'web,unity',
    ];
    const first = await runCli(args);
    expect(first.code, first.err).toBe(2);
    for (const bad of ['contract.pdf', 'empty.jpg', 'notes.txt', 'thumb.png', 'sky.png'])
      expect(first.err).toMatch(new RegExp(`bad input: .*${bad.replace('.', '\\.')}: `));
    expect(first.err).toMatch(/contract\.pdf: is a PDF document/);
    expect(first.err).toMatch(/empty\.jpg: is an empty file/);
    expect(first.err).toMatch(/thumb\.png: is 40x40; portraits need at least 64 px/);
    expect(first.err).toMatch(/sky\.png: no face found in the portrait/);
    // A line per head with the batch's ETA.
    expect(first.err).toMatch(/\[1\/2\] done {3}hq-0001-matted-rgba\.png seed 0 .*PSNR .* \| 1 left, ETA \d/);
    expect(first.err).toMatch(/\[2\/2\] done {3}pd-grace-hopper\.jpg seed 0 .* \| batch done/);

    const summary = JSON.parse(await fs.readFile(path.join(out, 'batch.json'), 'utf8')) as BatchSummary;
    expect(summary.totals).toMatchObject({ heads: 2, done: 2, failed: 0, badInputs: 5, resumed: 0 });
    expect(summary.heads.map((h) => h.inputName)).toEqual(GOOD);
    for (const h of summary.heads) {
      expect(h.meanPsnr).toBeGreaterThan(15);
      expect(h.files!.exports.map((e) => e.preset)).toEqual(['web', 'unity']);
      for (const f of [
        h.files!.headPly,
        h.files!.portrait,
        h.files!.front,
        h.files!.side,
        h.files!.back,
        ...h.files!.exports.map((e) => e.file),
      ])
        expect((await fs.stat(path.join(out, f))).size, f).toBeGreaterThan(100);
    }
    // CSIM only where the identity model finds a face in the head's front render (a 10-step head is
    // often too blurry): a cosine when present, a dash on the sheet when not.
    for (const h of summary.heads) if (h.csim !== undefined) expect(Math.abs(h.csim)).toBeLessThanOrEqual(1);
    const html = await fs.readFile(path.join(out, 'index.html'), 'utf8');
    expect(html).toContain('2 of 2 heads done');
    expect(html.match(/CSIM (—|-?[01]\.\d{3})/g)).toHaveLength(2);
    expect(html).toContain(`src="${summary.heads[0].files!.side}"`);
    expect(html).toContain(`href="${summary.heads[1].files!.exports[0].file}"`);
    expect(html).toMatch(/contract\.pdf<\/b> is a PDF document/);
    const plyBefore = await fs.readFile(path.join(out, summary.heads[0].files!.headPly));

    // Second call: every head is found finished; nothing is rerun.
    const t0 = performance.now();
    const second = await runCli(args);
    const seconds = (performance.now() - t0) / 1000;
    expect(second.code).toBe(2);
    expect(second.err).toContain('2 of 2 heads already made by an earlier call');
    expect(second.err).not.toMatch(/\[start\]/);
    expect(seconds).toBeLessThan(5);
    const again = JSON.parse(await fs.readFile(path.join(out, 'batch.json'), 'utf8')) as BatchSummary;
    expect(again.totals).toMatchObject({ heads: 2, done: 2, resumed: 2 });
    expect(await fs.readFile(path.join(out, summary.heads[0].files!.headPly))).toEqual(plyBefore);
    // Only the two heads' folders: no temp folders, no duplicates.
    expect((await fs.readdir(path.join(out, 'heads'))).sort()).toEqual(summary.heads.map((h) => h.id).sort());
  });

  it('writes nothing when no input is a usable portrait (an earlier summary in --out is kept)', async () => {
    const input = await inputFolder([], true);
    const parent = await tempDir('none');
    const fresh = path.join(parent, 'cast');
    const r = await runCli(['batch', input, '--out', fresh, '--quality', 'draft']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('no usable portrait among the inputs: nothing made, nothing written');
    expect(r.err).toMatch(/bad input: .*contract\.pdf: is a PDF document/);
    expect(r.err).toMatch(/bad input: .*sky\.png: no face found/);
    await expect(fs.stat(fresh)).rejects.toThrow(/ENOENT/);

    // The same mistake in a folder that holds an earlier batch: its summary and sheet stay as they were.
    const earlier = await tempDir('earlier');
    await fs.writeFile(path.join(earlier, 'batch.json'), '{"format":"headforge-batch","earlier":true}\n');
    await fs.writeFile(path.join(earlier, 'index.html'), '<p>earlier</p>\n');
    const again = await runCli(['batch', path.join(input, 'contract.pdf'), '--out', earlier, '--json']);
    expect(again.code).toBe(2);
    expect(JSON.parse(again.out)).toMatchObject({ summary: null, totals: { heads: 0, badInputs: 1 } });
    expect(await fs.readFile(path.join(earlier, 'batch.json'), 'utf8')).toContain('"earlier":true');
    expect(await fs.readFile(path.join(earlier, 'index.html'), 'utf8')).toBe('<p>earlier</p>\n');
  });

  it('refuses bad flags before doing any work', async () => {
    const out = await tempDir('flags');
    expect((await runCli(['batch', out])).err).toMatch(/--out DIR is required/);
    expect((await runCli(['batch', out, '--out', out, '--preset', 'maya'])).err).toMatch(
      /unknown --preset "maya"/,
    );
    expect((await runCli(['batch', out, '--out', out, '--queue', 'http://x'])).err).toMatch(/redis:\/\//);
    expect((await runCli(['batch', out, '--out', out, '--quality', 'ultra'])).code).toBe(2);
    expect((await runCli(['batch', out, '--out', 's3://Bad_Bucket/x'])).err).toMatch(
      /--out "s3:\/\/Bad_Bucket\/x" is not an S3 location/,
    );
  });
});
