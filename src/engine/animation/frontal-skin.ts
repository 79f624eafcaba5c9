/** Which skin triangle covers a point seen from the front, for binding what lies in front of the lower face. */
import type { HeadModel } from '../head-model/types';

/**
 * The skin seen from the front (model space, orthographic along +z): per 1 mm cell, the frontmost
 * triangle facing forward and its depth.
 */
export class FrontalSkin {
  private static readonly CELL = 0.1;
  private readonly x0: number;
  private readonly y0: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly z: Float32Array;
  private readonly tri: Int32Array;

  constructor(model: HeadModel, verts: Float32Array, tris: ArrayLike<number>) {
    const F = model.triangles;
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (let j = 0; j < tris.length; j++) {
      for (let c = 0; c < 3; c++) {
        const v = F[tris[j] * 3 + c] * 3;
        x0 = Math.min(x0, verts[v]);
        x1 = Math.max(x1, verts[v]);
        y0 = Math.min(y0, verts[v + 1]);
        y1 = Math.max(y1, verts[v + 1]);
      }
    }
    const C = FrontalSkin.CELL;
    this.x0 = x0;
    this.y0 = y0;
    this.nx = Math.max(1, Math.ceil((x1 - x0) / C) + 1);
    this.ny = Math.max(1, Math.ceil((y1 - y0) / C) + 1);
    this.z = new Float32Array(this.nx * this.ny).fill(-Infinity);
    this.tri = new Int32Array(this.nx * this.ny).fill(-1);
    for (let j = 0; j < tris.length; j++) {
      const t = tris[j];
      const a = F[t * 3] * 3;
      const b = F[t * 3 + 1] * 3;
      const c = F[t * 3 + 2] * 3;
      const ax = verts[a];
      const ay = verts[a + 1];
      const bx = verts[b];
      const by = verts[b + 1];
      const cx = verts[c];
      const cy = verts[c + 1];
      const det = (bx - ax) * (cy - ay) - (cx - ax) * (by - ay);
      // Facing forward: counter-clockwise seen from +z (the kit's triangles wind outward).
      if (!(det > 1e-9)) continue;
      const gx0 = Math.max(0, Math.floor((Math.min(ax, bx, cx) - x0) / C));
      const gx1 = Math.min(this.nx - 1, Math.ceil((Math.max(ax, bx, cx) - x0) / C));
      const gy0 = Math.max(0, Math.floor((Math.min(ay, by, cy) - y0) / C));
      const gy1 = Math.min(this.ny - 1, Math.ceil((Math.max(ay, by, cy) - y0) / C));
      for (let gy = gy0; gy <= gy1; gy++) {
        const py = y0 + gy * C;
        for (let gx = gx0; gx <= gx1; gx++) {
          const px = x0 + gx * C;
          const w1 = ((px - ax) * (cy - ay) - (cx - ax) * (py - ay)) / det;
          const w2 = ((bx - ax) * (py - ay) - (px - ax) * (by - ay)) / det;
          if (w1 < 0 || w2 < 0 || w1 + w2 > 1) continue;
          const z = (1 - w1 - w2) * verts[a + 2] + w1 * verts[b + 2] + w2 * verts[c + 2];
          const o = gy * this.nx + gx;
          if (z > this.z[o]) {
            this.z[o] = z;
            this.tri[o] = t;
          }
        }
      }
    }
  }

  /** The forward-facing skin under model point (x, y) seen from the front, or null. */
  under(x: number, y: number): { triangle: number; z: number } | null {
    const C = FrontalSkin.CELL;
    const gx = Math.round((x - this.x0) / C);
    const gy = Math.round((y - this.y0) / C);
    if (gx < 0 || gy < 0 || gx >= this.nx || gy >= this.ny) return null;
    const o = gy * this.nx + gx;
    return this.tri[o] >= 0 ? { triangle: this.tri[o], z: this.z[o] } : null;
  }
}
