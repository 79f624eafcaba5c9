/**
 * What "Duplicate project" copies, file by file, from one project folder into a staging folder:
 *   input.<ext>                     the portrait (project.json is written by the library, with the new id)
 *   runs/<runId>/**                 every FINISHED run (done, failed, cancelled): run.json with its
 *                                   settings and metrics, preprocess/ (crop, overlay, face.json), views/,
 *                                   renders, head.ply ...; exports/ is recreated empty (exports are
 *                                   derived files, re-made in seconds from the head)
 * Not copied: runs still queued or running (their files are half-written), runs whose run.json does not
 * parse (nothing to show), seed-previews/ (a cache), hidden files, and symlinks (a link could point
 * outside the library; the copy holds plain files only).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LibraryFs } from '../run-folder/atomic-write';
import { runFileSchema } from './schema';
import { RUN_FILES, runPath } from '../run-folder/layout';

const FINISHED = new Set(['done', 'failed', 'cancelled']);

/** Copy the finished runs of `sourceDir` into `targetDir`/runs; returns the ids of the runs copied. */
export async function copyFinishedRuns(sourceDir: string, targetDir: string, fsOps: LibraryFs): Promise<string[]> {
  const runsDir = path.join(sourceDir, 'runs');
  const entries = await fs.readdir(runsDir, { withFileTypes: true }).catch(() => []);
  const copied: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const raw = await fs.readFile(runPath(path.join(runsDir, entry.name), 'run'), 'utf8').catch(() => null);
    if (raw === null) continue;
    let state: string | null;
    try {
      const parsed = runFileSchema.safeParse(JSON.parse(raw));
      state = parsed.success ? parsed.data.state : null;
    } catch {
      state = null;
    }
    if (state === null || !FINISHED.has(state)) continue;
    const target = path.join(targetDir, 'runs', entry.name);
    await copyTree(path.join(runsDir, entry.name), target, fsOps, (rel) => rel !== RUN_FILES.exportsDir);
    await fsOps.mkdir(runPath(target, 'exportsDir'));
    copied.push(entry.name);
  }
  return copied.sort();
}

/** Copy one regular file (never a link: lstat decides). */
export async function copyPlainFile(from: string, to: string, fsOps: LibraryFs): Promise<void> {
  const stat = await fs.lstat(from);
  if (!stat.isFile()) throw new Error(`${path.basename(from)} is not a plain file`);
  await fsOps.writeNew(to, new Uint8Array(await fs.readFile(from)));
}

/** Recursive copy of plain files and folders; `keep(relativePath)` can leave out a top-level entry. */
async function copyTree(from: string, to: string, fsOps: LibraryFs, keep: (rel: string) => boolean = () => true): Promise<void> {
  await fsOps.mkdir(to);
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || !keep(entry.name)) continue;
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    // Dirent types come from lstat: a symlink is neither a file nor a directory here, so it is skipped.
    if (entry.isDirectory()) await copyTree(src, dst, fsOps);
    else if (entry.isFile()) await fsOps.writeNew(dst, new Uint8Array(await fs.readFile(src)));
  }
}
