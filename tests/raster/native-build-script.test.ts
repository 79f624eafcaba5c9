/**
 * scripts/postinstall.mjs (run by `npm install`): it links the CLI into node_modules/.bin, and an addon whose sources are unchanged is not rebuilt, a changed source rebuilds it, and the
 * addon in native/build/Release is there during the whole build (the new one replaces it by a rename).
 * The script runs from a copy of the repository's scripts/ and native/ sources in a temporary folder,
 * with a stand-in node-gyp (a small script) that records its calls and writes a fake addon; the real
 * native/build is never touched.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-native-build-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// node-gyp stand-in. `build` fails when the live addon is missing (it must stay in place while building),
// then writes "<build number>" as the staged addon. Each call appends its verb to calls.log.
const FAKE_GYP = `
const fs = require('node:fs');
const path = require('node:path');
const [verb, ...rest] = process.argv.slice(2);
const dir = rest[rest.indexOf('--directory') + 1];
const root = path.resolve(dir, '..', '..');
fs.appendFileSync(path.join(root, 'calls.log'), verb + '\\n');
if (verb === 'build') {
  const live = path.join(root, 'native', 'build', 'Release', 'headforge_raster.node');
  const n = fs.readFileSync(path.join(root, 'calls.log'), 'utf8').split('\\n').filter((l) => l === 'build').length;
  if (n > 1 && !fs.existsSync(live)) { console.error('live addon missing during the build'); process.exit(3); }
  if (process.env.FAKE_GYP_FAIL === '1') process.exit(2);
  fs.mkdirSync(path.join(dir, 'build', 'Release'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'build', 'Release', 'headforge_raster.node'), 'addon build ' + n);
}
`;

/** A checkout-like folder: scripts/, native/ sources, node_modules/node-gyp stand-in. */
function makeRoot(): string {
  const root = fs.mkdtempSync(path.join(tmp, 'root-'));
  fs.mkdirSync(path.join(root, 'scripts'));
  for (const f of ['postinstall.mjs', 'native-stamp.mjs', 'link-cli-bin.mjs'])
    fs.copyFileSync(path.join(repoRoot, 'scripts', f), path.join(root, 'scripts', f));
  for (const d of ['src', 'include', 'cuda'])
    fs.cpSync(path.join(repoRoot, 'native', d), path.join(root, 'native', d), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'native', 'binding.gyp'), path.join(root, 'native', 'binding.gyp'));
  fs.mkdirSync(path.join(root, 'node_modules', 'node-gyp', 'bin'), { recursive: true });
  fs.writeFileSync(path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), FAKE_GYP);
  return root;
}

function install(root: string, env: Record<string, string> = {}, args: string[] = []) {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !k.startsWith('HEADFORGE_')) base[k] = v;
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'postinstall.mjs'), ...args], {
    env: { ...base, ...env },
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  // The native build's lines (the CLI link has its own test below).
  return r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('[headforge cli]'))
    .join('\n');
}

const addonOf = (root: string) => path.join(root, 'native', 'build', 'Release', 'headforge_raster.node');
const calls = (root: string) =>
  fs.existsSync(path.join(root, 'calls.log'))
    ? fs.readFileSync(path.join(root, 'calls.log'), 'utf8').trim().split('\n')
    : [];

describe('scripts/postinstall.mjs', () => {
  it('builds once; a second install with unchanged sources does not call node-gyp', () => {
    const root = makeRoot();
    const first = install(root);
    expect(first).toMatch(
      /\[headforge native\] built native\/build\/Release\/headforge_raster\.node in [\d.]+ s/,
    );
    expect(fs.readFileSync(addonOf(root), 'utf8')).toBe('addon build 1');
    expect(calls(root)).toEqual(['configure', 'build']);

    const second = install(root);
    expect(second.trim()).toBe('[headforge native] addon up to date (sources unchanged since its build)');
    expect(calls(root)).toEqual(['configure', 'build']);
    // No temporary files left beside the addon.
    expect(fs.readdirSync(path.dirname(addonOf(root))).sort()).toEqual([
      'headforge_raster.node',
      'headforge_raster.stamp',
    ]);
  });

  it('a changed source rebuilds, and the old addon stays in place until the new one replaces it', () => {
    const root = makeRoot();
    install(root);
    fs.appendFileSync(path.join(root, 'native', 'src', 'cpu', 'preprocess.cpp'), '\n// edited\n');
    const out = install(root);
    // The stand-in build exits 3 if the live addon is missing while it runs.
    expect(out).toContain('built native/build/Release/headforge_raster.node');
    expect(fs.readFileSync(addonOf(root), 'utf8')).toBe('addon build 2');
    expect(install(root)).toContain('addon up to date');
  });

  it('a missing addon is rebuilt even with a matching stamp; --force rebuilds an up-to-date one', () => {
    const root = makeRoot();
    install(root);
    fs.rmSync(addonOf(root));
    fs.writeFileSync(path.join(root, 'calls.log'), ''); // the stand-in's "live addon present" check counts builds
    expect(install(root)).toContain('built native/build/Release/headforge_raster.node');
    expect(install(root, {}, ['--force'])).toContain('built native/build/Release/headforge_raster.node');
  });

  it('a failed build keeps the previous addon and is not retried until the sources change (or --force)', () => {
    const root = makeRoot();
    install(root);
    fs.appendFileSync(path.join(root, 'native', 'include', 'headforge', 'types.h'), '\n// edited\n');
    const failed = install(root, { FAKE_GYP_FAIL: '1' });
    expect(failed).toContain('node-gyp build FAILED (exit 2)');
    expect(fs.readFileSync(addonOf(root), 'utf8')).toBe('addon build 1');
    const again = install(root, { FAKE_GYP_FAIL: '1' });
    expect(again).toContain('the last build of these sources failed; not retrying');
    expect(calls(root).filter((c) => c === 'build')).toHaveLength(2);
  });

  it('HEADFORGE_SKIP_NATIVE=1: one line, nothing built', () => {
    const root = makeRoot();
    expect(install(root, { HEADFORGE_SKIP_NATIVE: '1' }).trim()).toBe(
      '[headforge native] skipped (HEADFORGE_SKIP_NATIVE=1)',
    );
    expect(fs.existsSync(addonOf(root))).toBe(false);
  });

  it('links node_modules/.bin/headforge to bin/headforge.mjs, so npx runs the CLI without installing the project', () => {
    const root = makeRoot();
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'postinstall.mjs')], {
      env: { ...process.env, HEADFORGE_SKIP_NATIVE: '1' },
      encoding: 'utf8',
    });
    expect(r.stdout).toContain('[headforge cli] node_modules/.bin/headforge linked');
    const link = path.join(root, 'node_modules', '.bin', 'headforge');
    expect(path.resolve(path.dirname(link), fs.readlinkSync(link))).toBe(path.join(root, 'bin', 'headforge.mjs'));
    const again = spawnSync(process.execPath, [path.join(root, 'scripts', 'postinstall.mjs')], {
      env: { ...process.env, HEADFORGE_SKIP_NATIVE: '1' },
      encoding: 'utf8',
    });
    expect(again.stdout).toContain('[headforge cli] node_modules/.bin/headforge already linked');
  });
});
