/** Nearest-triangle queries over a subset of a mesh's triangles. Pure: no Node, no DOM. */
import { pointTriangleDistance2 } from './triangle-distance';
import type { BindMesh } from './triangle-frame';

/** A uniform grid over the target triangles' bounding boxes, for nearest-triangle queries. */
export class TriangleGrid {
  readonly cell: number;
  private readonly min: [number, number, number];
  private readonly dims: [number, number, number];
  private readonly start: Int32Array;
  private readonly items: Int32Array;

  constructor(
    private readonly mesh: BindMesh,
    targets: ArrayLike<number>,
    cell: number,
  ) {
    const V = mesh.vertices;
    const F = mesh.triangles;
    const min: [number, number, number] = [Infinity, Infinity, Infinity];
    const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i];
      for (let c = 0; c < 3; c++) {
        const v = F[t * 3 + c] * 3;
        for (let a = 0; a < 3; a++) {
          min[a] = Math.min(min[a], V[v + a]);
          max[a] = Math.max(max[a], V[v + a]);
        }
      }
    }
    this.cell = cell;
    this.min = min;
    this.dims = [0, 1, 2].map((a) => Math.max(1, Math.ceil((max[a] - min[a]) / cell) + 1)) as [
      number,
      number,
      number,
    ];
    const [nx, ny, nz] = this.dims;
    const counts = new Int32Array(nx * ny * nz + 1);
    const ranges: number[] = [];
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i];
      const lo = [Infinity, Infinity, Infinity];
      const hi = [-Infinity, -Infinity, -Infinity];
      for (let c = 0; c < 3; c++) {
        const v = F[t * 3 + c] * 3;
        for (let a = 0; a < 3; a++) {
          lo[a] = Math.min(lo[a], V[v + a]);
          hi[a] = Math.max(hi[a], V[v + a]);
        }
      }
      const r = [0, 1, 2].flatMap((a) => [this.index(a, lo[a]), this.index(a, hi[a])]);
      ranges.push(...r);
      for (let z = r[4]; z <= r[5]; z++)
        for (let y = r[2]; y <= r[3]; y++)
          for (let x = r[0]; x <= r[1]; x++) counts[(z * ny + y) * nx + x + 1]++;
    }
    for (let i = 1; i < counts.length; i++) counts[i] += counts[i - 1];
    this.start = counts;
    this.items = new Int32Array(counts[counts.length - 1]);
    const fill = counts.slice(0, counts.length - 1);
    for (let i = 0; i < targets.length; i++) {
      const r = ranges.slice(i * 6, i * 6 + 6);
      for (let z = r[4]; z <= r[5]; z++)
        for (let y = r[2]; y <= r[3]; y++)
          for (let x = r[0]; x <= r[1]; x++) this.items[fill[(z * ny + y) * nx + x]++] = targets[i];
    }
  }

  private index(axis: number, v: number): number {
    return Math.min(this.dims[axis] - 1, Math.max(0, Math.floor((v - this.min[axis]) / this.cell)));
  }

  /** Nearest target triangle within maxDistance of p: [triangle, squared distance], or [-1, Infinity]. */
  nearest(px: number, py: number, pz: number, maxDistance: number): [number, number] {
    const V = this.mesh.vertices;
    const F = this.mesh.triangles;
    const [nx, ny, nz] = this.dims;
    const c = [px, py, pz].map((v, a) => Math.floor((v - this.min[a]) / this.cell));
    let best = -1;
    let bestD2 = maxDistance * maxDistance;
    const maxRing = Math.ceil(maxDistance / this.cell);
    for (let ring = 0; ring <= maxRing; ring++) {
      // Everything within (ring) cells of p's cell has been seen: a triangle in a farther cell is at
      // least (ring) cells away minus p's offset inside its cell.
      for (let z = c[2] - ring; z <= c[2] + ring; z++) {
        if (z < 0 || z >= nz) continue;
        for (let y = c[1] - ring; y <= c[1] + ring; y++) {
          if (y < 0 || y >= ny) continue;
          for (let x = c[0] - ring; x <= c[0] + ring; x++) {
            if (x < 0 || x >= nx) continue;
            const onShell =
              Math.abs(x - c[0]) === ring || Math.abs(y - c[1]) === ring || Math.abs(z - c[2]) === ring;
            if (!onShell) continue;
            const cellIdx = (z * ny + y) * nx + x;
            for (let k = this.start[cellIdx]; k < this.start[cellIdx + 1]; k++) {
              const t = this.items[k];
              const d2 = pointTriangleDistance2(
                px,
                py,
                pz,
                V,
                F[t * 3] * 3,
                F[t * 3 + 1] * 3,
                F[t * 3 + 2] * 3,
              );
              if (d2 < bestD2 || (d2 === bestD2 && best >= 0 && t < best)) {
                bestD2 = d2;
                best = t;
              }
            }
          }
        }
      }
      // After ring r every point within r * cell of p (in any direction) has been covered.
      if (best >= 0 && Math.sqrt(bestD2) <= ring * this.cell) break;
    }
    return [best, best >= 0 ? bestD2 : Infinity];
  }
}
