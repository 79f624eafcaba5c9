/** Errors from the splat codecs. `format` says which reader/writer rejected the input. */
export class SplatFormatError extends Error {
  constructor(
    readonly format: string,
    message: string,
  ) {
    super(`${format}: ${message}`);
    this.name = 'SplatFormatError';
  }
}

/**
 * Hard cap on Gaussians any reader will allocate (matches allocateCloud): 50M Gaussians at SH 3 are
 * ~12 GB of float32 already. Counts are always checked against this AND against the bytes present
 * before any allocation.
 */
export const MAX_GAUSSIANS = 50_000_000;

export function checkCount(format: string, count: number, bytesPerGaussian: number, bytesAvailable: number): void {
  if (!Number.isInteger(count) || count < 0) throw new SplatFormatError(format, `invalid Gaussian count ${count}`);
  if (count > MAX_GAUSSIANS)
    throw new SplatFormatError(format, `Gaussian count ${count} exceeds the limit of ${MAX_GAUSSIANS}`);
  const need = count * bytesPerGaussian;
  if (need > bytesAvailable)
    throw new SplatFormatError(
      format,
      `file declares ${count} Gaussians needing ${need} bytes but only ${bytesAvailable} bytes are present (truncated file?)`,
    );
}
