/**
 * What the packaged app needs at run time is in electron-builder.yml's `files`: the built main and
 * renderer, the native addon's folder and the face/matting networks every run loads (resources/models:
 * missing from the list, an installed app would fail at preprocessing with "cannot find
 * resources/models"). The real build (`npm run dist`) cannot run here (no Electron binary), so this
 * reads the list the way electron-builder matches it: globs relative to the app folder, `!` excludes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** The items of a top-level YAML list (`key:` then `  - item` lines; comments skipped). */
function yamlList(text: string, key: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l === `${key}:`);
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\s*#/.test(line) || !line.trim()) continue;
    const m = /^\s+-\s+(.+?)\s*$/.exec(line);
    if (!m) break;
    out.push(m[1].replace(/^'(.*)'$/, '$1'));
  }
  return out;
}

/** electron-builder's glob subset used here: `**` any path, `*` within one folder. */
function globRegExp(glob: string): RegExp {
  const body = glob
    .split('**')
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

function packaged(patterns: string[], file: string): boolean {
  const include = patterns.filter((p) => !p.startsWith('!'));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const matches = (globs: string[]): boolean => globs.some((g) => globRegExp(g).test(file));
  return matches(include) && !matches(exclude);
}

describe('installer contents (electron-builder.yml files)', () => {
  const files = yamlList(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'), 'files');

  it('reads the files list', () => {
    expect(files).toContain('out/**');
  });

  it.each([
    'out/main/index.js',
    'out/main/engine-host.js',
    'out/renderer/index.html',
    'package.json',
    'native/build/Release/headforge_raster.node',
  ])('packs %s', (file) => {
    expect(packaged(files, file), `${file} is not matched by files: ${files.join(', ')}`).toBe(true);
  });

  it('packs every face/matting model the engine loads (resources/models)', () => {
    const models = readdirSync(path.join(root, 'resources/models')).map((f) => `resources/models/${f}`);
    expect(models).toEqual(
      expect.arrayContaining(['resources/models/README.md', 'resources/models/selfie.json']),
    );
    expect(models.filter((f) => !packaged(files, f))).toEqual([]);
  });

  it('leaves source maps out', () => {
    expect(packaged(files, 'out/main/index.js.map')).toBe(false);
  });
});
