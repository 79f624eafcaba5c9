#!/usr/bin/env node
/**
 * `npm start`: build if needed, then run the desktop app with the local Electron binary. Where no
 * Electron binary exists (it cannot be downloaded on every machine), say so plainly and point to browser
 * mode, which serves the same studio to a browser: `npx headforge serve`.
 *
 * Deliberately does not `require('electron')`: that would try to download the binary.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const electronDir = path.join(root, 'node_modules', 'electron');

function electronBinary() {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = override ? path.join(override, relative) : path.join(electronDir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

function build() {
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const binary = electronBinary();
if (!binary) {
  console.log(
    [
      'HeadForge: there is no Electron binary on this machine (node_modules/electron has no dist/),',
      'so the desktop window cannot open here. Electron downloads its binary at install time; on machines',
      'without access to its download server that step is skipped.',
      '',
      'Use browser mode instead — the same studio, served to your browser on 127.0.0.1:',
      '',
      '    npx headforge serve',
      '',
      'and open the URL it prints. No display at all? `npm run demo` runs the pipeline headless.',
    ].join('\n'),
  );
  process.exit(1);
}

if (!existsSync(path.join(root, 'out', 'main', 'index.js')) || process.argv.includes('--build')) build();
const child = spawn(binary, [root, ...process.argv.slice(2).filter((a) => a !== '--build')], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
