/**
 * Schema atoms every pack manifest shares (model packs, style packs): a file's checksum, a path that
 * stays inside the pack folder, a tensor dimension.
 */
import { z } from 'zod';

export const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 lowercase hex digits');
/** A path inside the pack folder: relative, no '..', no absolute paths (a pack cannot point outside itself). */
export const packPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.split(/[\\/]/).includes('..'), {
    message: 'must be a relative path inside the pack folder',
  });
/** A tensor dimension: a fixed size or a named dynamic axis. */
export const dim = z.union([z.number().int().positive(), z.string().min(1)]);
