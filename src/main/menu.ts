/**
 * Application menu. "New Project from Image…" opens the native file dialog here in main, reads the
 * chosen files and creates one project per file through the engine, so no path ever reaches the
 * renderer; the renderer learns about the new projects through the 'projects-changed' event.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Menu, app, dialog, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { StudioApi } from '../shared/contracts/studio-api';

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'tif', 'tiff', 'avif', 'gif'];

export async function createProjectsFromDialog(win: BrowserWindow, api: StudioApi): Promise<void> {
  const picked = await dialog.showOpenDialog(win, {
    title: 'New project from portrait',
    properties: ['openFile', 'multiSelections'],
    filters: [{ name: 'Images', extensions: IMAGE_EXTENSIONS }],
  });
  if (picked.canceled) return;
  const failures: string[] = [];
  for (const file of picked.filePaths) {
    try {
      const bytes = new Uint8Array(await readFile(file));
      const fileName = basename(file);
      await api.createProject({ name: basename(file, extname(file)), fileName, bytes });
    } catch (err) {
      failures.push(`${basename(file)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (failures.length) {
    await dialog.showMessageBox(win, { type: 'error', message: 'Some images could not be imported', detail: failures.join('\n') });
  }
}

export function installAppMenu(getWindow: () => BrowserWindow | null, api: StudioApi, libraryRoot: string): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        {
          label: 'New Project from Image…',
          accelerator: 'CmdOrCtrl+O',
          click: () => {
            const win = getWindow();
            if (win) void createProjectsFromDialog(win, api);
          },
        },
        { label: 'Show Library Folder', click: () => void shell.openPath(libraryRoot) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        // DevTools only in development builds: a shipped studio has no console into its page.
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: `About HeadForge ${app.getVersion()}`,
          click: () => void dialog.showMessageBox({ message: `HeadForge ${app.getVersion()}`, detail: 'Single portrait to full-head 3D Gaussian avatar. Runs locally.' }),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
