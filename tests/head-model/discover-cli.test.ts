// Finding an installed head model (like a model pack) and the `headforge models` command's head-model
// rows: list, check, import-head's errors. The asset is the cached import of ../shared's kit, copied.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../src/cli/commands/models';
import type { CliIo } from '../../src/cli/command';
import { HEAD_MODEL_BIN, HEAD_MODEL_MANIFEST } from '../../src/engine/head-model/asset';
import { defaultHeadModelInstallDir, findHeadModel } from '../../src/engine/head-model';
import { ictHeadModel } from './helpers';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-head-find-'));
const models = path.join(root, 'models');
const empty = path.join(root, 'empty');

function io(env: NodeJS.ProcessEnv = {}): { io: CliIo; out: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (d) => (text += d));
  stderr.on('data', (d) => (text += d));
  return { io: { stdout, stderr, env, interrupted: new Promise(() => undefined) }, out: () => text };
}

beforeAll(async () => {
  const { dir } = await ictHeadModel();
  const dest = defaultHeadModelInstallDir(models);
  fs.mkdirSync(dest, { recursive: true });
  for (const f of [HEAD_MODEL_MANIFEST, HEAD_MODEL_BIN])
    fs.copyFileSync(path.join(dir, f), path.join(dest, f));
  fs.mkdirSync(empty);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('findHeadModel', () => {
  it('finds <models>/head-models/ict-facekit under --models DIR or the user folder', () => {
    const a = findHeadModel({ extraDirs: [models], userDir: empty });
    expect(a.model?.vertexCount).toBe(26719);
    expect(a.dir).toBe(defaultHeadModelInstallDir(models));
    const b = findHeadModel({ userDir: models });
    expect(b.model?.info.name).toBe('ict-facekit');
  });

  it('without one: null and a reason that says how to install it; a damaged one says so', () => {
    const none = findHeadModel({ userDir: empty });
    expect(none.model).toBeNull();
    expect(none.reason).toMatch(
      /no head model "ict-facekit" installed.*headforge models import-head <path-to-ICT-FaceKit\/FaceXModel>/,
    );
    const bad = path.join(root, 'bad');
    fs.cpSync(models, bad, { recursive: true });
    fs.truncateSync(path.join(defaultHeadModelInstallDir(bad), HEAD_MODEL_BIN), 100);
    const damaged = findHeadModel({ userDir: bad });
    expect(damaged.model).toBeNull();
    expect(damaged.reason).toMatch(/found but unusable.*partial copy.*import-head/);
  });
});

describe('headforge models (head models)', () => {
  it('bare `models` and `models list` show the head model next to the packs', async () => {
    const t = io({ HEADFORGE_MODELS: models });
    expect(await command.run([], t.io)).toBe(0);
    expect(t.out()).toMatch(
      /ok +ict-facekit \d+ \[head model: 26719 vertices, 50 identity modes, 53 expressions, \d+\/478 landmarks\] \(MIT\)/,
    );
    const j = io({ HEADFORGE_MODELS: empty });
    expect(await command.run(['list', '--models', models, '--json'], j.io)).toBe(0);
    expect(JSON.parse(j.out())).toEqual([
      expect.objectContaining({ kind: 'head-model', name: 'ict-facekit', ok: true, origin: 'cli' }),
    ]);
    const n = io({ HEADFORGE_MODELS: empty });
    expect(await command.run(['list'], n.io)).toBe(0);
    expect(n.out()).toContain('no head model installed');
    expect(n.out()).toContain('headforge models import-head');
  });

  it('check verifies the checksum; import-head refuses a folder that is not the kit', async () => {
    const t = io();
    expect(await command.run(['check', defaultHeadModelInstallDir(models)], t.io)).toBe(0);
    expect(t.out()).toMatch(/sha256 verified/);
    const flipped = path.join(root, 'flipped');
    fs.cpSync(defaultHeadModelInstallDir(models), flipped, { recursive: true });
    const bin = path.join(flipped, HEAD_MODEL_BIN);
    const bytes = fs.readFileSync(bin);
    bytes[5000] ^= 1;
    fs.writeFileSync(bin, bytes);
    const f = io();
    expect(await command.run(['check', flipped], f.io)).toBe(2);
    expect(f.out()).toMatch(/INVALID.*\n.*checksum mismatch/);
    const m = io();
    expect(await command.run(['import-head', empty, '--models', path.join(root, 'out')], m.io)).toBe(3);
    expect(m.out()).toMatch(/not an ICT-FaceKit FaceXModel folder/);
    await expect(command.run(['import-head'], io().io)).rejects.toThrow(/exactly one folder/);
  });
});
