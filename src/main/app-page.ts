/**
 * Which URLs count as the studio's own page (no Electron import, so it is tested in plain Node).
 * Protocol, host (with port) and path must all match the page the window loaded: in development the
 * page is http://localhost:5173/, and any other http host — a page a link or a redirect points at —
 * is not the studio (issue 20: the guard used to compare protocol and path only). Credentials in the
 * URL never match.
 */
export function isAppPage(appUrl: string, target: string): boolean {
  let app: URL;
  let u: URL;
  try {
    app = new URL(appUrl);
    u = new URL(target);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  return u.protocol === app.protocol && u.host === app.host && u.pathname === app.pathname;
}
