/**
 * Path handling for the project library: everything the UI or a URL names is resolved here, and
 * anything that would leave the library (.., absolute paths, backslashes, NUL, symlinks pointing
 * outside) is refused with PATH_ESCAPE before any file is touched.
 *
 * Library layout:
 *   <root>/settings.json
 *   <root>/logs/engine-<time>-pid<pid>.log
 *   <root>/projects/<projectId>/project.json, input.<ext>, runs/<runId>/{run.json, views/, head.ply, exports/}
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StudioError } from '../../shared/rpc/errors';

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Library root: explicit option > HEADFORGE_LIBRARY > ~/.headforge/library. */
export function defaultLibraryRoot(explicit?: string | null): string {
  const chosen =
    explicit || process.env.HEADFORGE_LIBRARY || path.join(os.homedir(), '.headforge', 'library');
  return path.resolve(chosen);
}

export function projectsDir(root: string): string {
  return path.join(root, 'projects');
}

export function logsDir(root: string): string {
  return path.join(root, 'logs');
}

export function assertId(id: unknown, what: string): string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new StudioError(
      'PATH_ESCAPE',
      `invalid ${what} id ${JSON.stringify(id)}: ids are lowercase letters, digits and dashes`,
    );
  }
  return id;
}

/** Split a '/'-separated relative path into safe segments, or throw PATH_ESCAPE. */
export function safeSegments(relative: string): string[] {
  if (typeof relative !== 'string' || relative.length === 0)
    throw new StudioError('PATH_ESCAPE', 'empty path');
  if (relative.includes('\0')) throw new StudioError('PATH_ESCAPE', 'path contains a NUL byte');
  if (relative.includes('\\'))
    throw new StudioError('PATH_ESCAPE', `backslashes are not allowed in ${JSON.stringify(relative)}`);
  if (relative.startsWith('/') || /^[A-Za-z]:/.test(relative)) {
    throw new StudioError('PATH_ESCAPE', `absolute path ${JSON.stringify(relative)} is not allowed`);
  }
  const segments = relative.split('/');
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..') {
      throw new StudioError(
        'PATH_ESCAPE',
        `path ${JSON.stringify(relative)} leaves its folder or has empty segments`,
      );
    }
  }
  return segments;
}

function isWithin(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** realpath of the deepest existing ancestor of p (so not-yet-created paths can be checked too). */
async function realpathOfExisting(p: string): Promise<string> {
  let current = p;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await fs.realpath(current), ...rest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const parent = path.dirname(current);
      if (parent === current) return p;
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
}

/**
 * Resolve `relative` inside `base`, following symlinks: the real location must stay inside the real
 * `base`. Works for paths that do not exist yet (checks the deepest existing ancestor).
 */
export async function resolveInside(base: string, relative: string): Promise<string> {
  const target = path.resolve(base, ...safeSegments(relative));
  if (!isWithin(base, target))
    throw new StudioError('PATH_ESCAPE', `${JSON.stringify(relative)} escapes its folder`);
  const [realBase, realTarget] = await Promise.all([realpathOfExisting(base), realpathOfExisting(target)]);
  if (!isWithin(realBase, realTarget)) {
    throw new StudioError(
      'PATH_ESCAPE',
      `${JSON.stringify(relative)} resolves (through a link) outside its folder`,
    );
  }
  return target;
}

/** Project folder for an id (the id itself is checked; the folder may not exist). */
export async function resolveProjectDir(root: string, projectId: string): Promise<string> {
  assertId(projectId, 'project');
  return resolveInside(projectsDir(root), projectId);
}

/**
 * The resolver behind `/assets/<projectId>/<relative path>` (the WS/HTTP server) and the Electron
 * custom protocol: returns the absolute path of an existing regular file inside that project, or throws
 * PATH_ESCAPE / NOT_FOUND. `relativePath` is already URL-decoded, '/'-separated.
 */
export async function resolveAssetPath(
  root: string,
  projectId: string,
  relativePath: string,
): Promise<string> {
  const projectDir = await resolveProjectDir(root, projectId);
  const file = await resolveInside(projectDir, relativePath);
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new StudioError('NOT_FOUND', `no asset ${relativePath} in project ${projectId}`);
  }
  if (!stat.isFile())
    throw new StudioError('NOT_FOUND', `asset ${relativePath} in project ${projectId} is not a file`);
  return file;
}

/** Parse the path of an asset URL (after the host): '/assets/<id>/<rel...>' -> parts, or null. */
export function parseAssetUrlPath(urlPath: string): { projectId: string; relativePath: string } | null {
  const m = /^\/assets\/([^/]+)\/(.+)$/.exec(urlPath);
  if (!m) return null;
  let decoded: string[];
  try {
    decoded = [m[1], ...m[2].split('/')].map((s) => decodeURIComponent(s));
  } catch {
    throw new StudioError('PATH_ESCAPE', 'asset URL is not valid percent-encoding');
  }
  // An encoded '/' or '\' inside a segment would smuggle a separator past the split: refuse.
  if (decoded.some((s) => s.includes('/') || s.includes('\\'))) {
    throw new StudioError('PATH_ESCAPE', 'asset URL segments may not contain encoded separators');
  }
  return { projectId: decoded[0], relativePath: decoded.slice(1).join('/') };
}

/** Asset URL for a file of a project: base + '/<id>/' + encoded relative path. */
export function assetUrl(base: string, projectId: string, relativePath: string): string {
  return `${base}/${encodeURIComponent(projectId)}/${relativePath.split('/').map(encodeURIComponent).join('/')}`;
}
