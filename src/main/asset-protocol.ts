/**
 * headforge-asset:// — how the sandboxed renderer sees project images and splat files without ever
 * holding a filesystem path. URL shape: headforge-asset://library/assets/<projectId>/<relative path>.
 * Every request goes through the engine's resolver (src/engine/projects/paths.ts), which refuses ids and
 * paths that would leave the project (.., absolute, encoded separators, symlinks out) with PATH_ESCAPE.
 */
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { parseAssetUrlPath, resolveAssetPath } from '../engine/projects/paths';
import { isStudioError } from '../shared/rpc/errors';
import { ASSET_SCHEME, STUDIO_CSP } from './csp';

/** Must run before app 'ready': lets the scheme use fetch(), streaming and count as secure. */
export function registerAssetScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: ASSET_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

function textResponse(status: number, message: string): Response {
  return new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** Install the handler (after 'ready'). `libraryRoot` is the project library the engine uses. */
export function handleAssetProtocol(libraryRoot: string): void {
  protocol.handle(ASSET_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'read-only');
    try {
      const url = new URL(request.url);
      if (url.host !== 'library') return textResponse(404, 'unknown asset host');
      const parsed = parseAssetUrlPath(url.pathname);
      if (!parsed) return textResponse(404, 'not an asset URL');
      const file = await resolveAssetPath(libraryRoot, parsed.projectId, parsed.relativePath);
      const upstream = await net.fetch(pathToFileURL(file).toString());
      const headers = new Headers(upstream.headers);
      headers.set('content-security-policy', STUDIO_CSP);
      headers.set('x-content-type-options', 'nosniff');
      return new Response(upstream.body, { status: upstream.status, headers });
    } catch (err) {
      if (isStudioError(err) && err.code === 'PATH_ESCAPE') return textResponse(403, err.message);
      if (isStudioError(err) && err.code === 'NOT_FOUND') return textResponse(404, err.message);
      return textResponse(500, err instanceof Error ? err.message : String(err));
    }
  });
}
