/**
 * Preload (sandboxed, CommonJS): exposes `window.headforge` with exactly one function per StudioApi
 * method plus `onEvent`. Raw ipcRenderer never reaches the page. Each method resolves with an
 * IpcEnvelope; the renderer (src/renderer/api/ipc-api.ts) unwraps it into results or StudioErrors.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { STUDIO_METHODS, type StudioEvent } from '../shared/contracts/studio-api';
import { IPC_EVENT_CHANNEL, IPC_SHOW_EXPORT_CHANNEL, ipcChannelFor, type IpcEnvelope, type ShowExportArgs } from '../shared/contracts/ipc';
import type { HeadforgeBridge, HeadforgeDesktopBridge } from '../shared/contracts/ipc-bridge';

const bridge: Record<string, unknown> = {};
for (const method of STUDIO_METHODS) {
  // Each function takes only its own arguments; the channel name is fixed here, not chosen by the page.
  bridge[method] = (...args: unknown[]): Promise<IpcEnvelope> => ipcRenderer.invoke(ipcChannelFor(method), ...args);
}
bridge.onEvent = (listener: (event: StudioEvent) => void): (() => void) => {
  const handler = (_event: IpcRendererEvent, payload: StudioEvent): void => listener(payload);
  ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
  return () => void ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
};

contextBridge.exposeInMainWorld('headforge', bridge as unknown as HeadforgeBridge);

// Desktop-only shell actions: one fixed channel each, ids in, never a path (main validates again).
const desktop: HeadforgeDesktopBridge = {
  showExportInFolder: (args: ShowExportArgs): Promise<IpcEnvelope<null>> => ipcRenderer.invoke(IPC_SHOW_EXPORT_CHANNEL, args),
};
contextBridge.exposeInMainWorld('headforgeDesktop', desktop);
