/**
 * Renders frames in order, a few ahead of the consumer, so that rendering (this process) and
 * encoding (the browser) overlap without holding the whole clip in memory.
 */
import type { RgbaImage } from '../../shared/image';

export type FrameProducer = (index: number) => Promise<RgbaImage> | RgbaImage;

export class FrameQueue {
  private readonly ready = new Map<number, RgbaImage>();
  private readonly waiters = new Map<number, (img: RgbaImage) => void>();
  private consumed = 0;
  private wakeProducer: (() => void) | null = null;
  private failure: unknown = null;
  private readonly failWaiters: ((e: unknown) => void)[] = [];

  constructor(
    private readonly produce: FrameProducer,
    readonly count: number,
    private readonly lookahead = 4,
  ) {
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      for (let i = 0; i < this.count; i++) {
        while (i - this.consumed >= this.lookahead) await new Promise<void>((r) => (this.wakeProducer = r));
        const img = await this.produce(i);
        const waiter = this.waiters.get(i);
        if (waiter) {
          this.waiters.delete(i);
          waiter(img);
        } else {
          this.ready.set(i, img);
        }
      }
    } catch (err) {
      this.failure = err;
      for (const f of this.failWaiters) f(err);
    }
  }

  /** Frame `index`; frames must be taken in order, each once. */
  take(index: number): Promise<RgbaImage> {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) {
      return Promise.reject(new RangeError(`frame ${index} out of range [0, ${this.count})`));
    }
    if (this.failure) return Promise.reject(this.failure);
    this.consumed = Math.max(this.consumed, index + 1);
    this.wakeProducer?.();
    this.wakeProducer = null;
    const img = this.ready.get(index);
    if (img) {
      this.ready.delete(index);
      return Promise.resolve(img);
    }
    return new Promise((resolve, reject) => {
      this.waiters.set(index, resolve);
      this.failWaiters.push(reject);
    });
  }
}
