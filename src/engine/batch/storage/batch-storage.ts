/**
 * Where a batch keeps its inputs, heads and summary: a folder (local, or shared by every farm
 * machine at the same path) or an S3-compatible bucket, chosen by the --out URL. Everything in it is
 * named by a key relative to the batch's root, with '/' separators:
 *   inputs/<sha256><ext>        a farm batch's portraits (workers cannot see the submitter's files)
 *   heads/<head id>/...         one finished head: the run folder, portrait.jpg, exports/, head.json
 *   batch.json, index.html      the summary and the contact sheet
 * A head appears complete or not at all: its head.json is the mark that it is finished, and a head is
 * published only when every other file of it is in place.
 */

export const HEAD_RESULT_FILE = 'head.json';
/** The folder of the batch's heads, one sub-folder per head. */
export const HEADS_FOLDER = 'heads';

/** A local copy of a stored file, for code that needs a path (decoders, the pipeline). */
export interface LocalFile {
  path: string;
  /** Remove the copy (nothing for a file that was read in place). */
  dispose(): Promise<void>;
}

export interface BatchStorage {
  /** The --out it was opened from, as a user would write it again (a folder's absolute path, s3://...). */
  readonly url: string;
  /** That the storage can be used (the bucket exists and answers), or a StudioError saying why not. */
  check(): Promise<void>;
  /** Where `key` is, for messages and the CLI's output (a path or an s3:// URL). */
  locate(key: string): string;
  /** A stored file's text, or null when there is none. */
  readText(key: string): Promise<string | null>;
  exists(key: string): Promise<boolean>;
  /** Write one file; a reader sees the old bytes or the new ones, never a part. */
  write(key: string, bytes: Uint8Array | string): Promise<void>;
  /** The file at `key` as a local file; an absolute path is a local file read in place. */
  localCopy(key: string): Promise<LocalFile>;
  /** An empty local folder to make head `id` in; clears what a killed worker left of the same head. */
  headWorkDir(id: string): Promise<string>;
  /**
   * Put the finished head made in `workDir` at heads/<id>/ (head.json last). False when another
   * worker's copy was published first: that one stays, this one is dropped. Leaves workDir to the caller.
   */
  publishHead(workDir: string, id: string): Promise<boolean>;
}

/** The key of a file of head `id` ('' for the head's folder itself, as the contact sheet links it). */
export function headFileKey(id: string, file = ''): string {
  return `${HEADS_FOLDER}/${id}/${file}`;
}
