/**
 * Typed API of the differentiable Gaussian rasterizer (native addon, CPU backend; CUDA later behind the
 * same API). See DESIGN.md section 4 and tests/raster for the guarantees.
 */
export { isNativeAvailable, nativeLoadError, nativeAddonPath } from './native-addon';
export { renderCloud, renderCloudAsync, toRgba8, type EngineRenderOptions, type RenderedView } from './render';
export { rasterBackendInfo, type RasterBackendInfo } from './backend-info';
export { validateCloud, validateCamera, RASTER_LIMITS } from './validate';
export { GaussianTrainer, type TrainView, type TrainerOptions, type TrainStats } from './trainer';
