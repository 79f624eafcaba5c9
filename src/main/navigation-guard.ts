/**
 * Navigation lock-down: the studio window only ever shows its own bundled page. Links to the web open
 * in the user's browser (https only); every other navigation, new window, webview or permission request
 * is refused (synchronous permission checks too).
 */
import { shell, type WebContents } from 'electron';
import { isAppPage as isAppPageUrl } from './app-page';

export function lockDownNavigation(contents: WebContents, appUrl: string): void {
  const isAppPage = (target: string): boolean => isAppPageUrl(appUrl, target);
  const openExternallyIfWeb = (target: string): void => {
    try {
      if (new URL(target).protocol === 'https:') void shell.openExternal(target);
    } catch {
      // Not a URL: nothing to open.
    }
  };

  contents.on('will-navigate', (event, target) => {
    if (isAppPage(target)) return; // reload of the studio itself
    event.preventDefault();
    openExternallyIfWeb(target);
  });
  contents.on('will-redirect', (event, target) => {
    if (!isAppPage(target)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternallyIfWeb(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  // Synchronous permission checks (navigator.permissions.query, some device APIs) are refused too.
  contents.session.setPermissionCheckHandler(() => false);
}
