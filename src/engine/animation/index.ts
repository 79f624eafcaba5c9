export {
  exportAnimation,
  ANIMATION_FORMATS,
  type AnimationFormat,
  type AnimationExportOptions,
  type AnimationExportResult,
} from './export-animation';
export {
  encodeVideoInChromium,
  defaultChromiumPath,
  CODEC_FOR_CONTAINER,
  type VideoContainer,
  type VideoEncodeOptions,
} from './chromium-encoder';
export { encodeGif, writePngSequence, sequenceFrameName } from './still-encoders';
export { frameProducer, type FrameRenderOptions } from './render-frames';
export { FrameQueue, type FrameProducer } from './frame-queue';
