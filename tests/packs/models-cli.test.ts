import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyPack } from '../../scripts/make-tiny-pack';
import { command } from '../../src/cli/commands/models';
import type { CliIo } from '../../src/cli/command';

let root: string;

function io(env: NodeJS.ProcessEnv = {}): { io: CliIo; out: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (d) => (text += d));
  stderr.on('data', (d) => (text += d));
  return { io: { stdout, stderr, env, interrupted: new Promise(() => undefined) }, out: () => text };
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-cli-'));
  writeTinyPack(path.join(root, 'packs', 'tiny'), { stage2: false, reconstructor: false });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('headforge models', () => {
  it('check: a valid pack exits 0; --load reports the provider of every network', async () => {
    const t = io();
    expect(await command.run(['check', path.join(root, 'packs', 'tiny'), '--load', '--provider', 'cpu'], t.io)).toBe(0);
    expect(t.out()).toMatch(/^ok +tiny-test 1\.0\.0 \(Apache-2\.0\)/);
    expect(t.out()).toContain('unetStage1: CPU (requested)');
  });

  it('check: a damaged pack exits 2 and says what is wrong; a missing folder exits 3', async () => {
    const bad = path.join(root, 'bad');
    fs.cpSync(path.join(root, 'packs', 'tiny'), bad, { recursive: true });
    fs.rmSync(path.join(bad, 'arcface.onnx'));
    const t = io();
    expect(await command.run(['check', bad, '--json'], t.io)).toBe(2);
    const report = JSON.parse(t.out());
    expect(report.ok).toBe(false);
    expect(report.errors).toContain('arcface: file arcface.onnx is missing');
    expect(await command.run(['check', path.join(root, 'nope')], io().io)).toBe(3);
  });

  it('list: finds packs under --models without hashing', async () => {
    const t = io({ HEADFORGE_MODELS: path.join(root, 'no-user-dir') });
    expect(await command.run(['list', '--models', path.join(root, 'packs'), '--json'], t.io)).toBe(0);
    const rows = JSON.parse(t.out());
    expect(rows).toEqual([expect.objectContaining({ name: 'tiny-test', ok: true, origin: 'cli' })]);
  });

  it('rejects unknown subcommands as usage errors', async () => {
    await expect(command.run(['frobnicate'], io().io)).rejects.toThrow(/unknown subcommand/);
  });
});
