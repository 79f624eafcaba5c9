/**
 * Content-Security-Policy of the studio window. Strict, with the few grants the studio needs:
 *   - script-src 'wasm-unsafe-eval': gaussian-splats-3d sorts splats in WebAssembly;
 *   - worker-src blob:: its sort worker is created from a Blob URL;
 *   - img-src/connect-src headforge-asset:: project images and splat files come through the custom
 *     protocol (fetch() for splats, <img> for views);
 *   - style-src 'unsafe-inline': MUI/emotion inject <style> elements at run time.
 * src/renderer/index.html carries the same policy as a <meta> tag (for browser mode, where it also has
 * to allow the WebSocket to 127.0.0.1); main additionally sends it as a header on every response.
 */
export const ASSET_SCHEME = 'headforge-asset';
/** Asset URLs in Electron: headforge-asset://library/assets/<projectId>/<relative path>. */
export const ASSET_BASE_URL = `${ASSET_SCHEME}://library/assets`;

export const STUDIO_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' data: blob: ${ASSET_SCHEME}:`,
  `connect-src 'self' blob: data: ${ASSET_SCHEME}:`,
  "font-src 'self' data:",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
