/**
 * A batch in a folder on this machine, or on a network filesystem that every farm machine mounts at
 * the same path. A head is made in a hidden temporary folder beside its final place
 * (heads/.<id>.tmp-<random>) and published by one rename, so heads/<id>/ is absent or complete; the
 * temporary folder of a worker killed mid-head is removed when the head is made again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { StudioError } from '../../../shared/rpc/errors';
import { fsError, writeFileAtomic } from '../../run-folder/atomic-write';
import { HEADS_FOLDER, type BatchStorage, type LocalFile } from './batch-storage';

export class FolderStorage implements BatchStorage {
  readonly url: string;

  constructor(root: string) {
    this.url = path.resolve(root);
  }

  async check(): Promise<void> {
    // Created by the first write: a batch that makes nothing leaves no folder behind.
    const stat = await fs.stat(this.url).catch(() => null);
    if (stat && !stat.isDirectory())
      throw new StudioError('BAD_REQUEST', `--out ${this.url} is a file; the batch needs a folder there`);
  }

  locate(key: string): string {
    return path.isAbsolute(key) ? key : path.join(this.url, ...key.split('/'));
  }

  async readText(key: string): Promise<string | null> {
    try {
      return await fs.readFile(this.locate(key), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw fsError(err, `read ${this.locate(key)}`);
    }
  }

  async exists(key: string): Promise<boolean> {
    return fs.access(this.locate(key)).then(
      () => true,
      () => false,
    );
  }

  async write(key: string, bytes: Uint8Array | string): Promise<void> {
    const file = this.locate(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await writeFileAtomic(file, bytes);
  }

  async localCopy(key: string): Promise<LocalFile> {
    return { path: this.locate(key), dispose: async () => undefined };
  }

  async headWorkDir(id: string): Promise<string> {
    const heads = this.locate(HEADS_FOLDER);
    await fs.mkdir(heads, { recursive: true });
    for (const name of await fs.readdir(heads))
      if (name.startsWith(`.${id}.tmp-`))
        await fs.rm(path.join(heads, name), { recursive: true, force: true });
    return path.join(heads, `.${id}.tmp-${crypto.randomBytes(4).toString('hex')}`);
  }

  async publishHead(workDir: string, id: string): Promise<boolean> {
    try {
      await fs.rename(workDir, path.join(this.locate(HEADS_FOLDER), id));
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
      throw fsError(err, `publish the head ${id}`);
    }
  }
}
