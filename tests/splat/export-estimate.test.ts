/**
 * The export dialog's size estimate is an encode that writes nothing (exportRun with estimateOnly):
 * for each engine preset, as the dialog sends it once the preset is picked (the preset's format, its
 * SH degree, its budget), the estimate equals the written file's size (within 5% is the bar; all but
 * SOG/HTML are exact) and the file equals `headforge convert --preset` byte for byte. Nothing is
 * written by an estimate, and it reports the head's SH degree (the dialog offers no more).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index';
import { exportRunHead } from '../../src/engine/export/export-run';
import { ENGINE_PRESETS, type EnginePresetName } from '../../src/shared/splat/presets';
import { makeTestCloud } from '../../src/shared/gaussians/testing';
import { encodeSplat, extensionFor } from '../../src/shared/splat/index';
import { exportRequestFor, presetDefaults } from '../../src/renderer/workspace/ExportDialog';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-export-estimate-'));
const runDir = path.join(dir, 'run');
fs.mkdirSync(runDir);
// SH 2: below Unity's 3 (the dialog caps the choice at the head's degree), equal to the web preset's.
fs.writeFileSync(path.join(runDir, 'head.ply'), encodeSplat(makeTestCloud(400, 2, 23), 'ply'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<void> {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d) => (err += d));
  const code = await main(args, { stdout: new PassThrough(), stderr });
  expect(code, err).toBe(0);
}

describe('export size estimate', () => {
  it.each(Object.keys(ENGINE_PRESETS) as EnginePresetName[])(
    '%s preset: estimate = written size = convert --preset',
    async (preset) => {
      const d = presetDefaults(preset, 2);
      const request = exportRequestFor({
        projectId: 'p',
        runId: 'r',
        preset,
        ...d,
        maxSplats: Number(d.budget),
      });
      const estimate = await exportRunHead(runDir, { ...request, estimateOnly: true });
      expect(fs.existsSync(path.join(runDir, 'exports', estimate.fileName))).toBe(false);
      expect(estimate.headShDegree).toBe(2);
      // The dialog offers no more than the head has; Godot's reader still gets all bands (zero-padded).
      expect(d.shChoice).toBe(Math.min(2, ENGINE_PRESETS[preset].shDegree));
      expect(estimate.shDegree).toBe(ENGINE_PRESETS[preset].padSh ? 3 : d.shChoice);

      const written = await exportRunHead(runDir, request);
      const file = fs.readFileSync(path.join(runDir, 'exports', written.fileName));
      expect(file.length).toBe(written.bytes);
      expect(Math.abs(estimate.bytes - file.length)).toBeLessThanOrEqual(file.length * 0.05);
      expect(estimate.bytes).toBe(file.length);
      expect(written.shDegree).toBe(estimate.shDegree);

      const out = path.join(dir, `cli-${preset}${extensionFor(ENGINE_PRESETS[preset].format)}`);
      await cli([
        'convert',
        path.join(runDir, 'head.ply'),
        out,
        '--preset',
        preset,
        '--sh',
        String(d.shChoice),
      ]);
      expect(Buffer.compare(fs.readFileSync(out), file)).toBe(0);
    },
  );

  it('has no estimate for the mesh GLB (said plainly)', async () => {
    await expect(
      exportRunHead(runDir, {
        projectId: 'p',
        runId: 'r',
        preset: 'none',
        format: 'mesh-glb',
        estimateOnly: true,
      }),
    ).rejects.toThrow(/no size estimate/);
  });
});
