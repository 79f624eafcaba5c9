/**
 * A set of event listeners: each gets every event, in the order they subscribed; one that throws is
 * reported through `onError` and does not stop the others (nor the code that emitted).
 */
export class Listeners<E> {
  private readonly set = new Set<(event: E) => void>();

  constructor(private readonly onError: (err: unknown) => void) {}

  /** Subscribe; returns the unsubscribe function. */
  add(listener: (event: E) => void): () => void {
    this.set.add(listener);
    return () => void this.set.delete(listener);
  }

  emit(event: E): void {
    // A copy: a listener may unsubscribe (or subscribe another) while being called.
    for (const listener of [...this.set]) {
      try {
        listener(event);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
