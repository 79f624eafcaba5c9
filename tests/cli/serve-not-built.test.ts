/**
 * First contact (issue 21): `headforge serve` without a built renderer names the exact command on the
 * terminal and in the served page, and the page works after a build without restarting serve.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rendererNotBuiltMessage } from '../../src/cli/commands/serve';
import { appRoot } from '../../src/engine/host/app-root';
import { tempLibrary } from '../api/helpers';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const library = tempLibrary('hf-serve-');
afterAll(() => fs.rmSync(library, { recursive: true, force: true }));

describe('serve without a built renderer', () => {
  it('the message names `npm run build` and the folder to run it in', () => {
    const text = rendererNotBuiltMessage(appRoot(), null);
    expect(text).toContain(
      `Run \`npm run build\` in ${repoRoot} (about a minute), then open or reload the page`,
    );
    expect(rendererNotBuiltMessage('/app', '/x/r')).toMatch(
      /^There is no index\.html in \/x\/r \(--renderer\)\..*`npm run build` in \/app/,
    );
  });

  it('says so on the terminal and in the page; a later build is served without a restart', async () => {
    const rendererDir = path.join(library, 'renderer');
    fs.mkdirSync(rendererDir);
    const serve = spawn(
      process.execPath,
      [path.join(repoRoot, 'bin/headforge.mjs'), 'serve', '--library', library, '--renderer', rendererDir],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    serve.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        serve.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /Open: (\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        serve.once('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
      });
      const expected = rendererNotBuiltMessage(repoRoot, rendererDir);
      await expect.poll(() => stderr, { timeout: 10_000 }).toContain(expected);
      const page = await fetch(url);
      expect(page.status).toBe(503);
      expect(await page.text()).toContain(expected);

      fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>HeadForge</title>');
      const built = await fetch(url);
      expect(built.status).toBe(200);
      expect(await built.text()).toContain('<title>HeadForge</title>');
    } finally {
      const exited = new Promise((r) => serve.once('exit', r));
      serve.kill('SIGINT');
      await exited;
    }
  }, 120_000);
});
