/**
 * "Show in folder" for an exported file, main-process side, without Electron (so it is testable):
 * the page names the file by ids (project, run, file name) and never by path; this validates them
 * and resolves the file inside the library with the same resolver as the asset protocol (symlinks
 * and '..' refused, the file must exist). Electron's shell.showItemInFolder is then given the result.
 */
import { z } from 'zod';
import { projectIdSchema, runIdSchema } from '../shared/contracts/studio-requests';
import { StudioError } from '../shared/rpc/errors';
import { resolveAssetPath } from '../engine/projects/paths';
import type { ShowExportArgs } from '../shared/contracts/ipc';

/** Export file names are made by the engine (head-<preset>-<format>.<ext>): plain names, no separators. */
export const showExportArgsSchema = z.strictObject({
  projectId: projectIdSchema,
  runId: runIdSchema,
  fileName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'fileName must be a plain file name'),
}) satisfies z.ZodType<ShowExportArgs>;

/** Absolute path of the exported file, or StudioError BAD_REQUEST / PATH_ESCAPE / NOT_FOUND. */
export async function resolveExportFile(libraryRoot: string, args: unknown): Promise<string> {
  const parsed = showExportArgsSchema.safeParse(args);
  if (!parsed.success) throw new StudioError('BAD_REQUEST', `showExportInFolder: ${parsed.error.issues[0].message}`);
  const { projectId, runId, fileName } = parsed.data;
  return resolveAssetPath(libraryRoot, projectId, `runs/${runId}/exports/${fileName}`);
}
