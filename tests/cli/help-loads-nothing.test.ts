/**
 * `headforge --help` answers from the command table alone: it must not load any command module or the
 * engine (those bring in sharp, onnxruntime and the native addon, seconds of start-up). A child Node
 * process runs the CLI through tsx as bin/headforge.mjs does, recording every TypeScript module tsx
 * loads. Each table row's module, once loaded, is the command the row names.
 */
import { spawnSync } from 'node:child_process';
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
    expect(loaded.some((f) => f.startsWith('src/cli/command-table.ts'))).toBe(true);
  });

  it('each row loads the command it names', async () => {
    for (const c of COMMANDS) expect((await c.load()).name).toBe(c.name);
  }, 120_000);
});
