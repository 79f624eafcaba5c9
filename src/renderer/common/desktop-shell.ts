/**
 * Shell actions of the desktop app (window.headforgeDesktop from the preload), or null in browser
 * mode, where the UI offers a download link instead.
 */
import { deserializeError } from '../../shared/rpc/errors';
import type { ShowExportArgs } from '../../shared/contracts/ipc';
import type { HeadforgeDesktopBridge } from '../../shared/contracts/ipc-bridge';

export interface DesktopShell {
  /** Reveal an export in the OS file manager; rejects with a StudioError (e.g. NOT_FOUND) if it cannot. */
  showExportInFolder(args: ShowExportArgs): Promise<void>;
}

export function desktopShell(): DesktopShell | null {
  const bridge = (window as unknown as { headforgeDesktop?: HeadforgeDesktopBridge }).headforgeDesktop;
  if (!bridge) return null;
  return {
    async showExportInFolder(args) {
      const envelope = await bridge.showExportInFolder(args);
      if (!envelope.ok) throw deserializeError(envelope.error);
    },
  };
}
