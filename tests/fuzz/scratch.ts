/**
 * Scratch folders for the fuzz targets that read real folders (a library, a pack, a run): under
 * /dev/shm when there is one (tmpfs: the per-input write costs microseconds), one root per process,
 * removed when the process exits.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let scratchRoot: string | null = null;
/** A fresh folder for one target's fixture, under one per-process scratch root. */
export function scratch(name: string): string {
  if (!scratchRoot) {
    const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
    scratchRoot = fs.mkdtempSync(path.join(base, 'hf-fuzz-'));
    const root = scratchRoot;
    process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  }
  const dir = fs.mkdtempSync(path.join(scratchRoot, `${name}-`));
  return dir;
}
