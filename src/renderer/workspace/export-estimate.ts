/**
 * File-size estimate shown in the export dialog, from the splat count and SH degree. Per-splat bytes:
 *   ply    float32 x: pos 3 + normal 3 + f_dc 3 + f_rest 3*((d+1)^2-1) + opacity 1 + scale 3 + rot 4
 *   ply-compact  float32 x 14 properties (no SH)
 *   compressed-ply  PlayCanvas: 16 B/splat + SH rest as u8 + 72 B per 256-splat chunk
 *   sog    lossless WebP of ~19 B/splat (means 6, quats 4, scales 3, sh0 4, SH labels 2) at ~0.7, plus
 *          the SH palette (up to 64k entries) when SH > 0 — the roughest of these
 *   html   the SOG plus PlayCanvas' viewer (~3.8 MB, measured with splat-transform 3.10.2)
 *   splat  32 B/splat (no SH)
 *   spz    v2 before gzip: pos 9 + alpha 1 + colour 3 + scale 3 + rot 3 + SH 3*((d+1)^2-1) bytes; gzip ~0.85
 *   glb    float32: pos 3 + rot 4 + scale 3 + opacity 1 + SH 3*(d+1)^2 (+ ~2 KB JSON)
 * An estimate, labelled as such in the UI; the export result reports the real size.
 */
import type { ExportFormat } from '../../shared/contracts/studio-api';

export function estimateExportBytes(format: ExportFormat, splats: number, shDegree: number): number {
  const rest = 3 * ((shDegree + 1) ** 2 - 1);
  switch (format) {
    case 'ply':
      return 1024 + splats * 4 * (3 + 3 + 3 + rest + 1 + 3 + 4);
    case 'ply-compact':
      return 1024 + splats * 4 * 14;
    case 'compressed-ply':
      return 1024 + splats * (16 + rest) + Math.ceil(splats / 256) * 72;
    case 'sog':
      return Math.round(splats * 19 * 0.7 + (shDegree > 0 ? Math.min(65536, splats) * rest * 0.7 : 0));
    case 'html':
      return (
        3_800_000 + Math.round(splats * 19 * 0.7 + (shDegree > 0 ? Math.min(65536, splats) * rest * 0.7 : 0))
      );
    case 'splat':
      return splats * 32;
    case 'spz':
      return Math.round(16 + splats * (9 + 1 + 3 + 3 + 3 + rest) * 0.85);
    case 'glb':
      return 2048 + splats * 4 * (3 + 4 + 3 + 1 + 3 + rest);
    case 'mesh-glb':
      // The fitted head mesh with its 2048^2 texture: 8.6 MB measured (docs/mesh-export.md), any splat count.
      return 8_600_000;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
