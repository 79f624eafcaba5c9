/**
 * Poses for the engine, one at a time: a slider sends a pose per pixel it moves, the engine takes tens
 * to hundreds of ms per pose, so only the newest pose asked for while one is in flight is sent next
 * (the others are dropped) and the preview follows the slider without a backlog.
 */
export interface PoseQueue<W> {
  /** Ask for `w`: sent now when nothing is in flight, else after the current one (replacing any waiting). */
  ask(w: W): void;
  /** Drop what waits and ignore what is in flight (the run changed, or the panel closed). */
  stop(): void;
}

export function createPoseQueue<W, R>(
  send: (w: W) => Promise<R>,
  onResult: (w: W, r: R) => void,
  onError: (w: W, err: unknown) => void,
): PoseQueue<W> {
  let inFlight = false;
  let waiting: { w: W } | null = null;
  let stopped = false;
  const pump = (): void => {
    if (inFlight || !waiting || stopped) return;
    const { w } = waiting;
    waiting = null;
    inFlight = true;
    send(w)
      .then(
        (r) => !stopped && onResult(w, r),
        (err: unknown) => !stopped && onError(w, err),
      )
      .finally(() => {
        inFlight = false;
        pump();
      });
  };
  return {
    ask(w) {
      waiting = { w };
      pump();
    },
    stop() {
      stopped = true;
      waiting = null;
    },
  };
}
