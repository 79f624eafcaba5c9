/**
 * The CLI's bad-input matrix as one table: every command x the bad inputs that apply to it (missing
 * file, a folder, an empty file, not an image / not a splat, truncated, huge declared dimensions, the
 * wrong kind of file, unwritable or missing output folders, an existing output without --force, bad
 * flags and values, path escapes, a full disk through an injected ENOSPC in the one atomic writer).
 *
 * Every case must end with exit 2 (bad input) or 3 (the machine: disk full, not writable) and one
 * sentence starting 'headforge <command>: ', never "internal error" or a stack trace; and the work
 * folder must be byte-for-byte as it was (no existing file changed, nothing new, no temp file left).
 *
 * Runs the CLI in-process (tests/cli/run-cli.ts); each case fails before any real work, so the whole
 * table takes seconds. The rows live in tests/cli/bad-input/ (input files, output places, flags), the
 * work folder they use in bad-input/work-folder.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cases } from './bad-input/cases';
import './bad-input/input-cases';
import './bad-input/output-cases';
import './bad-input/flag-cases';
import { makeWorkFolder, removeWorkFolder, snapshot, workFolder } from './bad-input/work-folder';
import { runCli } from './run-cli';

beforeAll(makeWorkFolder);
afterEach(() => vi.restoreAllMocks());
afterAll(removeWorkFolder);

describe(`CLI bad-input table (${cases.length} cases): exit 2 or 3, one sentence, no file changed`, () => {
  it('has at least the 137 cases of the audit', () => {
    expect(cases.length).toBeGreaterThanOrEqual(137);
  });

  for (const c of cases) {
    it(`${c.cmd}: ${c.what}`, async () => {
      const argv = c.argv();
      const before = snapshot(workFolder());
      c.setup?.();
      // generate --head-model sets HEADFORGE_HEAD_MODEL for its in-process engine: restore it.
      const headModel = process.env.HEADFORGE_HEAD_MODEL;
      const res = await runCli(argv).finally(() => {
        if (headModel === undefined) delete process.env.HEADFORGE_HEAD_MODEL;
        else process.env.HEADFORGE_HEAD_MODEL = headModel;
      });
      expect(c.codes ?? [2], `exit ${res.code}: ${res.err}`).toContain(res.code);
      expect(res.err).not.toMatch(/: internal error/);
      expect(res.err).not.toMatch(/\n\s+at /); // no stack frames
      if (res.code === 0) return; // a success may write its output
      // The sentence: progress lines may come first, a usage text may follow.
      // A generate whose run fails says 'generate: failed — why' (the run is kept in the library).
      const prefix =
        c.prefix ??
        new RegExp(`^(headforge${c.cmd === 'headforge' ? '' : ` ${c.cmd}`}: |${c.cmd}: failed — )\\S`);
      const sentence = (res.err + '\n' + res.out).split('\n').find((l) => prefix.test(l)) ?? '';
      expect(sentence, `no ${prefix} line in: ${res.err}${res.out}`).not.toBe('');
      if (c.says) expect(sentence).toMatch(c.says);
      const after = snapshot(workFolder());
      // Nothing existing changed or removed; nothing new, except in the library (its session logs,
      // and the project a failed generate keeps, as the studio keeps a failed run).
      const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
        (k) =>
          before[k] !== after[k] &&
          !k.startsWith('library/logs/') &&
          !(before[k] === undefined && (k.startsWith('library/') || (c.writes && k.startsWith(c.writes)))),
      );
      expect(changed, 'files changed, added or removed').toEqual([]);
    }, 90_000);
  }
});
