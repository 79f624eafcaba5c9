import { isNativeAvailable, nativeAddon, nativeLoadError } from './native-addon';

export interface RasterBackendInfo {
  /** 'cpu' today; 'cuda' once a CUDA backend is compiled in; 'none' when the addon is missing. */
  backend: 'cpu' | 'cuda' | 'none';
  /** Why this backend was chosen (never silent). */
  reason: string;
  hardwareThreads: number;
}

export function rasterBackendInfo(): RasterBackendInfo {
  if (!isNativeAvailable()) return { backend: 'none', reason: nativeLoadError() ?? 'native addon missing', hardwareThreads: 0 };
  const info = nativeAddon().backendInfo();
  return { backend: info.backend === 'cuda' ? 'cuda' : 'cpu', reason: info.reason, hardwareThreads: info.hardwareThreads };
}
