/**
 * Progressive quality, the splat half: while the camera moves the preview draws a fixed share of the
 * splats, each drawn larger so the head stays closed, and all of them again at rest. In software WebGL
 * a frame's cost grows with the splats drawn as well as with the pixels (measured at 65k splats, 0.4
 * resolution: half the splats drew a frame 2.5x faster), so lowering the resolution alone stops short.
 *
 * gaussian-splats-3d hands every finished depth sort to splatMesh.updateRenderIndexes(sorted, count):
 * `sorted` holds splat indices, back to front, of which the first `count` are drawn. The thinning sits
 * there: it keeps the sorted order and drops the splats whose index hashes outside the share. The
 * choice depends on the index only, so the same splats are drawn in every frame of a drag (no shimmer).
 */

/** Share of the splats drawn while the camera moves. */
export const MOVING_SPLAT_SHARE = 0.5;
/** Screen-space size factor of the splats drawn while moving (fills the gaps the others leave). */
export const MOVING_SPLAT_SIZE = 1.2;

const HASH_LIMIT = MOVING_SPLAT_SHARE * 2 ** 32;

/** Whether splat `index` is drawn while moving (Knuth's multiplicative hash, spread evenly over the head). */
export function drawnWhileMoving(index: number): boolean {
  return Math.imul(index, 2654435761) >>> 0 < HASH_LIMIT;
}

/** Copies the kept entries of sorted[0..count) into out, in order; returns how many. out must hold count. */
export function thinSorted(sorted: Uint32Array, count: number, out: Uint32Array): number {
  let kept = 0;
  for (let j = 0; j < count; j++) {
    const index = sorted[j];
    if (drawnWhileMoving(index)) out[kept++] = index;
  }
  return kept;
}

export interface ThinnableMesh {
  updateRenderIndexes(sorted: Uint32Array, count: number): void;
  setSplatScale(scale: number): void;
  getSplatCount(): number;
}

/**
 * Route the mesh's sort results through the thinning; `onDraw` hears how many splats each update
 * draws. Returns `refresh()`, to call when the camera starts or stops moving: it re-applies the last
 * sort at once (no need to wait for a new one), unless the scene changed since (its indices would
 * not fit; the new scene's first sort comes through the hook anyway).
 */
export function installThinning(mesh: ThinnableMesh, moving: () => boolean, onDraw?: (count: number) => void): () => void {
  const draw = mesh.updateRenderIndexes.bind(mesh);
  let last = new Uint32Array(0);
  let lastCount = 0;
  let splatsAtSort = -1;
  let thinned = new Uint32Array(0);
  const apply = (): void => {
    let drawn = lastCount;
    if (moving()) {
      if (thinned.length < lastCount) thinned = new Uint32Array(lastCount);
      drawn = thinSorted(last, lastCount, thinned);
      draw(thinned.subarray(0, drawn), drawn);
      mesh.setSplatScale(MOVING_SPLAT_SIZE);
    } else {
      draw(last.subarray(0, lastCount), lastCount);
      mesh.setSplatScale(1);
    }
    onDraw?.(drawn);
  };
  mesh.updateRenderIndexes = (sorted, count) => {
    // A copy: the viewer may reuse the array for its next sort.
    if (last.length < count) last = new Uint32Array(count);
    last.set(sorted.subarray(0, count));
    lastCount = count;
    splatsAtSort = mesh.getSplatCount();
    apply();
  };
  return () => {
    if (splatsAtSort >= 0 && splatsAtSort === mesh.getSplatCount()) apply();
  };
}
