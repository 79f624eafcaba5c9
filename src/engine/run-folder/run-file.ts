/**
 * run.json: the project library's entry for one run (state, settings, the outputs summary the studio
 * lists), validated on every load. Bump RUN_SCHEMA_VERSION (and add a migration in
 * projects/library.ts) when a field changes meaning.
 */
import { z } from 'zod';
import { runSettingsSchema } from '../../shared/contracts/studio-requests';

export const RUN_SCHEMA_VERSION = 1;

export const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date');

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
      warnings: z.array(z.string()),
    })
    .optional(),
});
export type RunFile = z.infer<typeof runFileSchema>;
