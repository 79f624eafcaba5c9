/**
 * The Electron IPC wire between preload and main. Pure TypeScript in src/shared (no Electron import) so
 * the preload, main and renderer agree on it from one file.
 *
 * Each StudioApi method travels on its own channel `studio:<method>` via ipcRenderer.invoke. Handlers
 * never throw across IPC (Electron would flatten the error into "Error invoking remote method ..." and
 * drop its code): they resolve with an IpcEnvelope, which the renderer turns back into a StudioError.
 */
import type { StudioMethod } from './studio-api';
import type { SerializedStudioError } from '../rpc/errors';

export const IPC_METHOD_PREFIX = 'studio:';
/** Main -> renderer push channel carrying StudioEvents (typed arrays survive structured clone). */
export const IPC_EVENT_CHANNEL = 'studio-event';

export function ipcChannelFor(method: StudioMethod): string {
  return IPC_METHOD_PREFIX + method;
}

export type IpcEnvelope<T = unknown> = { ok: true; result: T } | { ok: false; error: SerializedStudioError };

/**
 * Desktop-only shell actions (not part of StudioApi: browser mode has no file manager to open).
 * `desktop:showExportInFolder` takes ids and a plain file name, never a path; main resolves it inside
 * the library (show-in-folder.ts) and reveals it with shell.showItemInFolder.
 */
export const IPC_SHOW_EXPORT_CHANNEL = 'desktop:showExportInFolder';

export interface ShowExportArgs {
  projectId: string;
  runId: string;
  /** ExportResult.fileName: a name inside the run's exports folder. */
  fileName: string;
}
