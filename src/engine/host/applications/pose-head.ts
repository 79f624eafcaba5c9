/**
 * The studio's live expression preview: a finished run's splats bound to its fitted head
 * (src/engine/animation/bound-head.ts), posed by ARKit weights the page's sliders set, sent back as a
 * degree-0 cloud the page restyles and draws. The binding (seconds) is made once per run and kept for
 * the next poses (tens to hundreds of ms each); the most recently posed runs are kept.
 */
import type { PosedHead } from '../../../shared/contracts/studio-results';
import { StudioError } from '../../../shared/rpc/errors';
import type { BoundHead } from '../../animation/bound-head';
import { loadBoundHead } from '../../animation/load-bound-head';
import { loadRunHead } from '../../frontal';

/** Bound heads kept (each holds its cloud, binding and layers: tens of MB for a 65k head). */
const KEEP = 2;

export class BoundHeadCache {
  private readonly heads = new Map<string, Promise<BoundHead>>();

  /** The bound head of the run in `runDir`, binding it on first use. */
  get(runDir: string): Promise<BoundHead> {
    let head = this.heads.get(runDir);
    if (head) {
      // Most recently used last.
      this.heads.delete(runDir);
      this.heads.set(runDir, head);
      return head;
    }
    head = loadRunHead(runDir).then(({ cloud }) => loadBoundHead(runDir, cloud));
    // A failed bind is not kept: the next pose tries again (the user may install a head model).
    head.catch(() => this.heads.delete(runDir));
    this.heads.set(runDir, head);
    while (this.heads.size > KEEP) this.heads.delete(this.heads.keys().next().value!);
    return head;
  }
}

/** The run's head posed by `weights` (ARKit names, 0..1, relative to the portrait's expression). */
export async function poseRunHead(
  cache: BoundHeadCache,
  runDir: string,
  weights: Record<string, number>,
): Promise<PosedHead> {
  const head = await cache.get(runDir);
  let frame;
  try {
    frame = head.frame(weights);
  } catch (err) {
    if (err instanceof RangeError) throw new StudioError('BAD_REQUEST', err.message);
    throw err;
  }
  const c = frame.cloud;
  return {
    count: c.count,
    positions: c.positions,
    scales: c.scales,
    rotations: c.rotations,
    opacities: c.opacities,
    shDC: c.shDC,
    layers: frame.layers,
    bound: head.stats.bound,
  };
}
