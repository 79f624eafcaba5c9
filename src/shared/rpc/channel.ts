/**
 * RpcChannel: the one abstraction every transport adapts to — an ordered, duplex stream of binary
 * frames (see codec.ts). Adapters: in-memory pair (tests), WebSocket (ws-channel.ts), and in the engine
 * host child-process IPC / Electron MessagePort (src/engine/host/channels.ts).
 */

export interface RpcChannel {
  send(frame: Uint8Array): void;
  /** Register the frame handler; returns an unsubscribe function. */
  onFrame(handler: (frame: Uint8Array | string) => void): () => void;
  /** Called once when the channel closes (either side, or the peer died), with a human reason. */
  onClose(handler: (reason: ChannelCloseReason) => void): () => void;
  close(reason?: string): void;
}

export interface ChannelCloseReason {
  /** Why it closed, for users and logs. */
  message: string;
  /** Set when the peer refused us (wrong token). */
  unauthorized?: boolean;
}

/**
 * Helper for adapters: keeps handler lists and fires close exactly once.
 */
export class ChannelHandlers {
  private readonly frameHandlers = new Set<(frame: Uint8Array | string) => void>();
  private readonly closeHandlers = new Set<(reason: ChannelCloseReason) => void>();
  closed: ChannelCloseReason | null = null;

  onFrame(handler: (frame: Uint8Array | string) => void): () => void {
    this.frameHandlers.add(handler);
    return () => this.frameHandlers.delete(handler);
  }

  onClose(handler: (reason: ChannelCloseReason) => void): () => void {
    if (this.closed) {
      const reason = this.closed;
      queueMicrotask(() => handler(reason));
      return () => undefined;
    }
    this.closeHandlers.add(handler);
    return () => this.closeHandlers.delete(handler);
  }

  emitFrame(frame: Uint8Array | string): void {
    if (this.closed) return;
    for (const h of this.frameHandlers) h(frame);
  }

  emitClose(reason: ChannelCloseReason): void {
    if (this.closed) return;
    this.closed = reason;
    for (const h of this.closeHandlers) h(reason);
    this.closeHandlers.clear();
    this.frameHandlers.clear();
  }
}

/**
 * Two connected in-memory channels. Frames are copied and delivered asynchronously, in order, as a
 * real transport would (so tests catch code that relies on synchronous delivery or shared buffers).
 */
export function createMemoryChannelPair(): [RpcChannel, RpcChannel] {
  const a = new ChannelHandlers();
  const b = new ChannelHandlers();
  const make = (self: ChannelHandlers, peer: ChannelHandlers): RpcChannel => ({
    send(frame) {
      if (self.closed) throw new Error(`channel closed: ${self.closed.message}`);
      const copy = frame.slice();
      setTimeout(() => peer.emitFrame(copy), 0);
    },
    onFrame: (h) => self.onFrame(h),
    onClose: (h) => self.onClose(h),
    close(reason = 'closed') {
      setTimeout(() => {
        self.emitClose({ message: reason });
        peer.emitClose({ message: reason });
      }, 0);
    },
  });
  return [make(a, b), make(b, a)];
}
