/**
 * The studio window: context isolation, OS sandbox, no Node in the page, the CSP header on every
 * response, navigation locked down, size/position remembered.
 */
import { BrowserWindow, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { STUDIO_CSP } from './csp';
import { lockDownNavigation } from './navigation-guard';
import { loadWindowState, trackWindowState } from './window-state';

export interface StudioWindowPaths {
  preload: string;
  rendererHtml: string;
  /** electron-vite dev server URL, when running `electron-vite dev`. */
  devServerUrl?: string;
}

/** Send the CSP as a response header too (the <meta> tag cannot carry frame-ancestors). */
export function enforceCspHeaders(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [STUDIO_CSP] } });
  });
}

export function createStudioWindow(paths: StudioWindowPaths): BrowserWindow {
  const state = loadWindowState();
  const win = new BrowserWindow({
    ...state.bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#121212',
    title: 'HeadForge',
    webPreferences: {
      preload: paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  trackWindowState(win);
  win.once('ready-to-show', () => win.show());

  const url = paths.devServerUrl ?? pathToFileURL(paths.rendererHtml).toString();
  lockDownNavigation(win.webContents, url);
  void win.loadURL(url);
  return win;
}

export function defaultWindowPaths(mainDir: string): StudioWindowPaths {
  return {
    preload: join(mainDir, '../preload/index.cjs'),
    rendererHtml: join(mainDir, '../renderer/index.html'),
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
  };
}
