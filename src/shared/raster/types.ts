/** Types shared by the TypeScript reference rasterizer and the native addon's wrapper. */

export interface RenderOptions {
  /** Background colour, linear [0, 1] r g b; default white. */
  background?: [number, number, number];
  /** Active SH degree (clamped to the cloud's); default: the cloud's degree. */
  shDegree?: number;
  /** Also output expected depth sum(z * alpha_i * T_i) (not divided by alpha). */
  withDepth?: boolean;
}

/**
 * A rendered view. Buffers are row-major, top-left origin:
 *   rgb   [H*W*3] interleaved r g b (background composited)
 *   alpha [H*W]   1 - final transmittance
 *   depth [H*W]   only when requested
 */
export interface RenderResult<T extends Float32Array | Float64Array = Float32Array> {
  width: number;
  height: number;
  rgb: T;
  alpha: T;
  depth?: T;
}

/** Gradients in the stored GaussianCloud parameterisation (same layouts as the cloud's buffers). */
export interface CloudGradients<T extends Float32Array | Float64Array = Float32Array> {
  positions: T;
  scales: T;
  rotations: T;
  opacities: T;
  shDC: T;
  shRest: T;
}

export const GRADIENT_GROUPS = ['positions', 'scales', 'rotations', 'opacities', 'shDC', 'shRest'] as const;
export type GradientGroup = (typeof GRADIENT_GROUPS)[number];

/** Rasterizer constants (DESIGN.md section 4). The native addon uses the same values. */
export const RASTER = {
  tileSize: 16,
  minAlpha: 1 / 255,
  maxAlpha: 0.99,
  minTransmittance: 1e-4,
  lowPassPx2: 0.3,
  jacobianClamp: 1.3,
} as const;
