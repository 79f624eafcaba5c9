/**
 * Errors of the image reader (image-io.ts) in a module of their own, so code that only classifies
 * errors (the CLI's exit codes) does not load sharp.
 */

/** An image whose header declares more pixels than the reader will decode. */
export class ImageTooLargeError extends Error {
  readonly code = 'IMAGE_TOO_LARGE';
  constructor(
    readonly width: number,
    readonly height: number,
    readonly maxPixels: number,
  ) {
    super(
      `the image is ${width}x${height} (${((width * height) / 1e6).toFixed(0)} MP); the limit is ${maxPixels / 1e6} MP: downscale it first`,
    );
    this.name = 'ImageTooLargeError';
  }
}
