/** Streamed SHA-256 of pack files, cached per (path, size, mtime) so re-validating a pack is cheap. */
import crypto from 'node:crypto';
import fs from 'node:fs';

const cache = new Map<string, { size: number; mtimeMs: number; hex: string }>();

export async function sha256File(file: string): Promise<string> {
  const st = await fs.promises.stat(file);
  const hit = cache.get(file);
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.hex;
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  const hex = hash.digest('hex');
  cache.set(file, { size: st.size, mtimeMs: st.mtimeMs, hex });
  return hex;
}

export function sha256Bytes(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}
