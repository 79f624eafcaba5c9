/**
 * Reading a run file that a run may lack (older runs, runs without a head model): the parsed JSON,
 * `undefined` when the file does not exist, DAMAGED when it is not JSON (a damaged file is an error,
 * never silently treated as absent). Other read errors (permissions, I/O) are thrown as they are.
 * The value is unchecked: the caller validates its shape.
 */
import fs from 'node:fs/promises';
import { StudioError } from '../../shared/rpc/errors';

export async function readOptionalJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new StudioError('DAMAGED', `${file} is not valid JSON: ${(err as Error).message}`);
  }
}
