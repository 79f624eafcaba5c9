/** Names the library gives projects: a new project's id (folder name), a copy's display name. */
import { randomBytes } from 'node:crypto';

/** "<name> copy", or "<name> copy 2", "copy 3"... when that name is already in the library (max 200 chars). */
export function copyName(name: string, taken: ReadonlySet<string>): string {
  const base = `${name.slice(0, 190)} copy`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base} ${n}`)) return `${base} ${n}`;
}

/** Folder-name-safe slug of a display name ('Anna K. (final)' -> 'anna-k-final'). */
function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s || 'project';
}

/** A new project's id: the slug of its display name and 6 random hex digits ('anna-k-final-3f9a1c'). */
export function newProjectId(name: string): string {
  return `${slug(name)}-${randomBytes(3).toString('hex')}`;
}
