/**
 * `headforge --help` answers from the command table alone: it must not load any command module or the
 * engine (those bring in sharp, onnxruntime and the native addon, seconds of start-up). A child Node
 * process runs the CLI through tsx as bin/headforge.mjs does, recording every TypeScript module tsx
 * loads. Each table row's module, once loaded, is the command the row names.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/command-table';

const repoRoot = path.resolve(__dirname, '../..');

const CHILD = `
import { register } from 'tsx/esm/api';
const loaded = [];
register({ onImport: (url) => loaded.push(url) });
const chunks = [];
const { main } = await import('./src/cli/index.ts');
const code = await main(['--help'], { stdout: { write: (s) => (chunks.push(String(s)), true) } });
console.log(JSON.stringify({ code, out: chunks.join(''), loaded: loaded.filter((u) => u.includes('/src/')).map((u) => u.slice(u.indexOf('/src/') + 1)) }));
`;

describe('headforge --help', () => {
  it('lists every command and loads only the CLI entry and its table', () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const { code, out, loaded } = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      code: number;
      out: string;
      loaded: string[];
    };
    expect(code).toBe(0);
    for (const c of COMMANDS) expect(out).toContain(`  ${c.name} `);
    expect(out).toContain('exit codes: 0 ok');
    expect(loaded.filter((f) => !f.startsWith('src/cli/index.ts'))).toEqual(
      expect.not.arrayContaining([expect.stringMatching(/^src\/(engine|cli\/commands)\//)]),
    );
    expect(loaded.some((f) => f.startsWith('src/cli/command-list.mjs'))).toBe(true);
  });

  it('bin/headforge.mjs prints the same help without tsx (exit 0; no command: exit 2)', () => {
    const inProcess = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    const { out } = JSON.parse(inProcess.stdout.trim().split('\n').pop()!) as { out: string };
    // A copy of the bin and the command list where tsx cannot be found: the help path must not need it.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-help-'));
    try {
      for (const rel of ['bin/headforge.mjs', 'src/cli/command-list.mjs']) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.copyFileSync(path.join(repoRoot, rel), path.join(dir, rel));
      }
      const bin = path.join(dir, 'bin', 'headforge.mjs');
      const help = spawnSync(process.execPath, [bin, '--help'], { cwd: dir, encoding: 'utf8' });
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toBe(out);
      const none = spawnSync(process.execPath, [bin], { cwd: dir, encoding: 'utf8' });
      expect(none.status).toBe(2);
      expect(none.stdout).toBe(out);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('each row loads the command it names', async () => {
    for (const c of COMMANDS) expect((await c.load()).name).toBe(c.name);
  }, 120_000);
});
