/**
 * Type of `window.headforge` (what the preload exposes): every StudioApi method, returning an
 * IpcEnvelope instead of throwing, plus onEvent.
 */
import type { StudioApi, StudioEvent, StudioMethod } from './studio-api';
import type { IpcEnvelope, ShowExportArgs } from './ipc';

type Envelope<F> = F extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<IpcEnvelope<R>> : never;

export type HeadforgeBridge = { [M in StudioMethod]: Envelope<StudioApi[M]> } & {
  onEvent(listener: (event: StudioEvent) => void): () => void;
};

/** Type of `window.headforgeDesktop`: shell actions only the desktop app has. */
export interface HeadforgeDesktopBridge {
  /** Reveal an exported file in the OS file manager (named by ids and file name, never a path). */
  showExportInFolder(args: ShowExportArgs): Promise<IpcEnvelope<null>>;
}
