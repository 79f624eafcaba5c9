/** `headforge models list/check` on a style pack: kind, styles with their --style values, sessions load. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyStylePack } from '../../scripts/make-tiny-style-pack';
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
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-style-cli-'));
  writeTinyStylePack(path.join(root, 'packs', 'styles'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('headforge models with a style pack', () => {
  it('list shows the pack as a style pack and each style with the --style value that picks it', async () => {
    const t = io({ HEADFORGE_MODELS: path.join(root, 'packs') });
    expect(await command.run(['list'], t.io)).toBe(0);
    expect(t.out()).toMatch(/^ok +tiny-styles 1\.0\.0 \(CC0-1\.0\) \[style\]/);
    expect(t.out()).toContain('style sepia: Sepia (tiny test network)  (--style pack:tiny-styles/sepia, or pack:tiny-styles)');
    expect(t.out()).toContain('style cool-64: Cool tint, soft (tiny test network, 64 px)  (--style pack:tiny-styles/cool-64)');
    const j = io({ HEADFORGE_MODELS: path.join(root, 'packs') });
    expect(await command.run(['list', '--json'], j.io)).toBe(0);
    const [row] = JSON.parse(j.out());
    expect(row).toMatchObject({ ok: true, kind: 'style', name: 'tiny-styles' });
    expect(row.styles.map((s: { use: string }) => s.use)).toEqual(['pack:tiny-styles/sepia', 'pack:tiny-styles/cool-64']);
  });

  it('check --load opens every style network on the CPU; a broken style pack exits 2', async () => {
    const t = io();
    expect(await command.run(['check', path.join(root, 'packs', 'styles'), '--load', '--provider', 'cpu'], t.io)).toBe(0);
    expect(t.out()).toContain('style sepia: CPU (requested)');
    expect(t.out()).toContain('style cool-64: CPU (requested)');
    const bad = path.join(root, 'bad');
    fs.cpSync(path.join(root, 'packs', 'styles'), bad, { recursive: true });
    fs.rmSync(path.join(bad, 'sepia.onnx'));
    const b = io();
    expect(await command.run(['check', bad], b.io)).toBe(2);
    expect(b.out()).toContain('error: style sepia: file sepia.onnx is missing');
  });
});
