/**
 * Remembers the main window's size, position and maximised state between launches (electron-store,
 * a JSON file in the app's userData folder). Bounds that no longer fit any display are discarded.
 */
import { screen, type BrowserWindow, type Rectangle } from 'electron';
import Store from 'electron-store';

export interface WindowState {
  bounds: { x?: number; y?: number; width: number; height: number };
  maximized: boolean;
}

const DEFAULT_STATE: WindowState = { bounds: { width: 1440, height: 900 }, maximized: false };

const store = new Store<{ window: WindowState }>({ name: 'window-state', defaults: { window: DEFAULT_STATE } });

function visibleOnSomeDisplay(b: WindowState['bounds']): boolean {
  if (b.x === undefined || b.y === undefined) return true;
  const rect: Rectangle = { x: b.x, y: b.y, width: b.width, height: b.height };
  return screen.getAllDisplays().some(({ workArea: a }) => {
    const overlapX = Math.min(rect.x + rect.width, a.x + a.width) - Math.max(rect.x, a.x);
    const overlapY = Math.min(rect.y + rect.height, a.y + a.height) - Math.max(rect.y, a.y);
    return overlapX >= 100 && overlapY >= 100;
  });
}

export function loadWindowState(): WindowState {
  const saved = store.get('window');
  const sane =
    saved &&
    Number.isFinite(saved.bounds?.width) &&
    Number.isFinite(saved.bounds?.height) &&
    saved.bounds.width >= 640 &&
    saved.bounds.height >= 480;
  if (!sane || !visibleOnSomeDisplay(saved.bounds)) return DEFAULT_STATE;
  return saved;
}

/** Save the state whenever the window is resized/moved (debounced) and when it closes. */
export function trackWindowState(win: BrowserWindow): void {
  let timer: NodeJS.Timeout | null = null;
  const save = (): void => {
    if (win.isDestroyed()) return;
    const maximized = win.isMaximized();
    const bounds = maximized ? win.getNormalBounds() : win.getBounds();
    store.set('window', { bounds, maximized });
  };
  const debounced = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', debounced);
  win.on('move', debounced);
  win.on('close', () => {
    if (timer) clearTimeout(timer);
    save();
  });
}
