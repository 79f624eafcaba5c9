/**
 * The tests of the main job need the native rasterizer addon, which `npm install` builds. A missing
 * addon must fail them with the reason, not turn them into "skipped" in a green run (a CI machine that
 * lost its compiler would otherwise pass without testing the product).
 */
import { isNativeAvailable, nativeLoadError } from '../src/engine/raster';

/** Throws, naming why the addon did not load and how to build it, when it is missing. */
export function requireNativeAddon(): void {
  if (isNativeAvailable()) return;
  throw new Error(
    `the native rasterizer addon is missing (${nativeLoadError() ?? 'not loaded'}); ` +
      'build it with `npm run build:native` (needs g++, make, python3)',
  );
}
