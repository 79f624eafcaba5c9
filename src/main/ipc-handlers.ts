/**
 * IPC handlers: one `studio:<method>` channel per StudioApi method. Every argument list goes through
 * the engine's dispatch() (zod schemas from src/shared/schemas) before anything runs, the sender must
 * be the studio window's own main frame, and results/errors travel as IpcEnvelopes (src/shared/contracts/ipc.ts).
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { STUDIO_METHODS, type StudioApi } from '../shared/contracts/studio-api';
import { serializeError } from '../shared/rpc/errors';
import { dispatch } from '../engine/host/dispatch';
import { IPC_EVENT_CHANNEL, IPC_SHOW_EXPORT_CHANNEL, ipcChannelFor, type IpcEnvelope } from '../shared/contracts/ipc';
import { resolveExportFile } from './show-in-folder';

/** Validate and call; never throws (errors become envelopes with their StudioError code). */
export async function invokeAsEnvelope(api: StudioApi, method: string, args: unknown[]): Promise<IpcEnvelope> {
  try {
    return { ok: true, result: await dispatch(api, method, args) };
  } catch (err) {
    return { ok: false, error: serializeError(err) };
  }
}

export function registerIpcHandlers(api: StudioApi, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): () => void {
  for (const method of STUDIO_METHODS) {
    ipcMain.handle(ipcChannelFor(method), async (event, ...args: unknown[]): Promise<IpcEnvelope> => {
      if (!isTrustedSender(event)) return { ok: false, error: { code: 'UNAUTHORIZED', message: 'IPC from an untrusted frame was refused' } };
      return invokeAsEnvelope(api, method, args);
    });
  }
  return () => {
    for (const method of STUDIO_METHODS) ipcMain.removeHandler(ipcChannelFor(method));
  };
}

/** `desktop:showExportInFolder`: validated ids -> a file inside the library -> the OS file manager. */
export function registerShellHandlers(
  libraryRoot: string,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
  showItemInFolder: (fullPath: string) => void,
): () => void {
  ipcMain.handle(IPC_SHOW_EXPORT_CHANNEL, async (event, args: unknown): Promise<IpcEnvelope<null>> => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'UNAUTHORIZED', message: 'IPC from an untrusted frame was refused' } };
    try {
      showItemInFolder(await resolveExportFile(libraryRoot, args));
      return { ok: true, result: null };
    } catch (err) {
      return { ok: false, error: serializeError(err) };
    }
  });
  return () => ipcMain.removeHandler(IPC_SHOW_EXPORT_CHANNEL);
}

/** Forward engine events to a window until it closes. */
export function forwardEvents(api: StudioApi, contents: WebContents): void {
  const off = api.onEvent((event) => {
    if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, event);
  });
  contents.once('destroyed', off);
}
