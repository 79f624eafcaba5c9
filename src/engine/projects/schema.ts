/**
 * On-disk schemas of the project library, validated on every load. Bump the schemaVersion (and add a
 * migration in library.ts) when a field changes meaning.
 */
import { z } from 'zod';
import { isoDate } from '../run-folder/run-file';

export const PROJECT_SCHEMA_VERSION = 1;

export const projectFileSchema = z.object({
  schemaVersion: z.literal(PROJECT_SCHEMA_VERSION),
  id: z.string(),
  name: z.string().min(1),
  createdAt: isoDate,
  updatedAt: isoDate,
  input: z.object({
    /** File name inside the project folder (input.png, input.jpg, ...). */
    file: z.string().regex(/^input\.[a-z0-9]+$/),
    originalName: z.string(),
    format: z.string(),
    width: z.int().positive(),
    height: z.int().positive(),
    bytes: z.int().positive(),
    /** Whether a face was found at import; absent when it was not checked (older projects). */
    face: z.enum(['found', 'none']).optional(),
  }),
  /** The run the user pinned as the gallery card's picture; absent: the newest finished run. */
  coverRunId: z.string().optional(),
});
export type ProjectFile = z.infer<typeof projectFileSchema>;

// run.json lives with the rest of a run folder's layout.
export { RUN_SCHEMA_VERSION, runFileSchema, type RunFile } from '../run-folder/run-file';
