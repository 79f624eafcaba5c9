/**
 * Atomic file writes: data goes to a sibling temp file, is fsynced, then renamed over the target (and
 * the folder fsynced), so a crash leaves either the old or the new file, never a torn one.
 * ENOSPC becomes DISK_FULL, and the partial temp file is always removed.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StudioError } from '../../shared/rpc/errors';

/** The filesystem operations the library performs; tests inject failures (e.g. ENOSPC) here. */
export interface LibraryFs {
  /** Create `file` exclusively, write all of `data`, fsync, close. */
  writeNew(file: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(target: string, opts?: { recursive?: boolean }): Promise<void>;
  mkdir(dir: string): Promise<void>;
}

export const nodeLibraryFs: LibraryFs = {
  async writeNew(file, data) {
    const handle = await fs.open(file, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => fs.rename(from, to),
  rm: (target, opts) => fs.rm(target, { force: true, recursive: opts?.recursive ?? false }),
  mkdir: async (dir) => {
    await fs.mkdir(dir, { recursive: true });
  },
};

/** Turn an fs error into a StudioError a user can act on. */
export function fsError(err: unknown, action: string): StudioError {
  if (err instanceof StudioError) return err;
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOSPC':
      return new StudioError(
        'DISK_FULL',
        `the disk is full: could not ${action}. Free some space and try again.`,
      );
    case 'EDQUOT':
      return new StudioError('DISK_FULL', `disk quota exceeded: could not ${action}.`);
    case 'EACCES':
    case 'EPERM':
      return new StudioError('IO', `permission denied: could not ${action} (${e.path ?? ''})`);
    case 'EROFS':
      return new StudioError('IO', `the filesystem is read-only: could not ${action}`);
    default:
      return new StudioError('IO', `could not ${action}: ${e.message ?? String(err)}`);
  }
}

/**
 * A full disk met outside the atomic writer (a folder created, a file copied, a library writing its own
 * output) as the DISK_FULL StudioError; undefined for any other error.
 */
export function diskFullError(err: unknown, action: string): StudioError | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' ? fsError(err, action) : undefined;
}

export async function writeFileAtomic(
  file: string,
  data: Uint8Array | string,
  fsOps: LibraryFs = nodeLibraryFs,
): Promise<void> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fsOps.writeNew(temp, bytes);
    await fsOps.rename(temp, file);
  } catch (err) {
    await fsOps.rm(temp).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    // A wrong output path is the caller's input, not the disk's state: say which.
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new StudioError('NOT_FOUND', `could not write ${file}: its folder does not exist`);
    if (code === 'EISDIR') throw new StudioError('BAD_REQUEST', `could not write ${file}: it is a folder`);
    throw fsError(err, `write ${file}`);
  }
  await syncDir(path.dirname(file));
}

/** fsync the folder so the rename itself is durable (no-op where folders cannot be opened). */
async function syncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows and some filesystems refuse to fsync a folder; the rename is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export async function writeJsonAtomic(file: string, value: unknown, fsOps?: LibraryFs): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n', fsOps);
}

/**
 * Make `to` a complete copy of the folder `from`, or leave `to` as it was: the copy is made in a
 * sibling temp folder, then swapped in (an existing `to` is moved aside and removed only after the
 * swap). On any failure the temp folder is removed and the error is a StudioError (DISK_FULL, IO).
 */
export async function replaceFolderWithCopy(from: string, to: string): Promise<void> {
  const suffix = randomBytes(6).toString('hex');
  const temp = path.join(path.dirname(to), `.${path.basename(to)}.${suffix}.tmp`);
  const aside = path.join(path.dirname(to), `.${path.basename(to)}.${suffix}.old`);
  let movedAside = false;
  try {
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.cp(from, temp, { recursive: true, errorOnExist: true, force: false });
    await fs.rename(to, aside).then(
      () => (movedAside = true),
      (err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      },
    );
    await fs.rename(temp, to);
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true }).catch(() => undefined);
    if (movedAside) await fs.rename(aside, to).catch(() => undefined);
    throw fsError(err, `copy the run to ${to}`);
  }
  if (movedAside) await fs.rm(aside, { recursive: true, force: true }).catch(() => undefined);
  await syncDir(path.dirname(to));
}
