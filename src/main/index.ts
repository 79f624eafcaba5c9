/**
 * Electron main: one studio window, one engine utility process, the asset protocol, the menu.
 * A second launch focuses the existing window instead of starting a second engine on the same library.
 */
import { app, BrowserWindow, dialog, shell } from 'electron';
import { join } from 'node:path';
import { defaultLibraryRoot } from '../engine/projects/paths';
import { registerAssetScheme, handleAssetProtocol } from './asset-protocol';
import { startEngineHost } from './engine-process';
import { forwardEvents, registerIpcHandlers, registerShellHandlers } from './ipc-handlers';
import { installAppMenu } from './menu';
import { createStudioWindow, defaultWindowPaths, enforceCspHeaders } from './window';

const mainDir = import.meta.dirname;
const libraryRoot = defaultLibraryRoot(process.env.HEADFORGE_LIBRARY);

registerAssetScheme();

if (!app.requestSingleInstanceLock()) {
  // Another HeadForge owns the library; it gets our 'second-instance' event and shows itself.
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;
  let engine: ReturnType<typeof startEngineHost> | null = null;

  const openWindow = (): void => {
    if (!engine) return;
    mainWindow = createStudioWindow(defaultWindowPaths(mainDir));
    forwardEvents(engine, mainWindow.webContents);
    mainWindow.on('closed', () => (mainWindow = null));
  };

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.whenReady().then(
    () => {
      enforceCspHeaders();
      handleAssetProtocol(libraryRoot);
      engine = startEngineHost(join(mainDir, 'engine-host.js'), libraryRoot);
      const api = engine;
      const isStudioWindow = (event: Electron.IpcMainInvokeEvent): boolean =>
        mainWindow !== null && event.sender === mainWindow.webContents && event.senderFrame === mainWindow.webContents.mainFrame;
      registerIpcHandlers(api, isStudioWindow);
      registerShellHandlers(libraryRoot, isStudioWindow, (fullPath) => shell.showItemInFolder(fullPath));
      installAppMenu(() => mainWindow, api, libraryRoot);
      openWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) openWindow();
      });
    },
    (err: unknown) => {
      dialog.showErrorBox('HeadForge could not start', err instanceof Error ? err.message : String(err));
      app.quit();
    },
  );

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => engine?.stop());
}
