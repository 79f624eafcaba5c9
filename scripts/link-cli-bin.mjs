/**
 * Links the CLI into the checkout's node_modules/.bin (headforge -> ../../bin/headforge.mjs), run by
 * `npm install` (scripts/postinstall.mjs).
 *
 * Why not package.json "bin": npm exec (npx) treats a project whose own "bin" names the command as a
 * package to install into its npx cache, so every `npx headforge` loaded the whole dependency tree
 * (about a second of CPU) and the first one ran this package's install scripts again. With the link in
 * node_modules/.bin, `npx headforge` finds the command there and runs it directly.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Creates or repairs the link; returns what it did, for the install log. */
export function linkCliBin(root) {
  const modules = path.join(root, 'node_modules');
  if (!fs.existsSync(modules)) return 'no node_modules: not linked';
  const binDir = path.join(modules, '.bin');
  fs.mkdirSync(binDir, { recursive: true });
  const target = path.relative(binDir, path.join(root, 'bin', 'headforge.mjs'));
  if (process.platform === 'win32') {
    // As npm's own shims: a .cmd that runs node on the script.
    fs.writeFileSync(path.join(binDir, 'headforge.cmd'), `@node "%~dp0\\${target}" %*\r\n`);
    return 'node_modules/.bin/headforge.cmd written';
  }
  const link = path.join(binDir, 'headforge');
  let current = null;
  try {
    current = fs.readlinkSync(link);
  } catch {
    // missing, or a plain file: replaced below
  }
  if (current === target) return 'node_modules/.bin/headforge already linked';
  fs.rmSync(link, { force: true });
  fs.symlinkSync(target, link);
  return 'node_modules/.bin/headforge linked';
}
