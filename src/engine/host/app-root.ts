/**
 * The application root (the folder with HeadForge's package.json): found by walking up from this
 * module, so it is right both from the sources (src/engine/host) and from a bundle (out/main/*.cjs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

export function appRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    try {
      if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'headforge')
        return (cached = dir);
    } catch {
      // No or unreadable package.json here: keep walking up.
    }
    const parent = path.dirname(dir);
    if (parent === dir) return (cached = process.cwd());
    dir = parent;
  }
}
