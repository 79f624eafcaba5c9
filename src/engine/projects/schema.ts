/**
 * On-disk schemas of the project library, validated on every load. Bump the schemaVersion (and add a
 * migration in library.ts) when a field changes meaning.
 */
import { z } from 'zod';
import { runSettingsSchema } from '../../shared/schemas/studio-api';

export const PROJECT_SCHEMA_VERSION = 1;
export const RUN_SCHEMA_VERSION = 1;

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date');

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
});
export type ProjectFile = z.infer<typeof projectFileSchema>;

export const runFileSchema = z.object({
  schemaVersion: z.literal(RUN_SCHEMA_VERSION),
  id: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
  state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  settings: runSettingsSchema,
  error: z.string().optional(),
  outputs: z
    .object({
      views: z.array(z.string()),
      headPly: z.string().nullable(),
      renders: z.array(z.string()),
      metrics: z.record(z.string(), z.union([z.number(), z.array(z.number())])),
      timings: z.record(z.string(), z.number()),
      missingStages: z.array(z.string()),
      warnings: z.array(z.string()),
    })
    .optional(),
});
export type RunFile = z.infer<typeof runFileSchema>;
