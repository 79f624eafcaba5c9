/**
 * RpcChannel adapters for the engine process boundary. Frames are Uint8Arrays; a single control
 * message { hf: 'ready' } goes child -> parent once the child serves RPC, and the parent side queues
 * frames until then (IPC messages that arrive before the child listens would otherwise be lost).
 *
 *   child side:  parentChannel()               fork() IPC (process.send) or Electron's process.parentPort
 *   parent side: childProcessChannel(child)    node:child_process fork with serialization 'advanced'
 *                utilityProcessChannel(child)  Electron utilityProcess (structurally typed: no electron import)
 */
import type { ChildProcess } from 'node:child_process';
import { ChannelHandlers, type RpcChannel } from '../../shared/rpc/channel';

const READY = { hf: 'ready' } as const;

function isReady(msg: unknown): boolean {
  return !!msg && typeof msg === 'object' && (msg as { hf?: unknown }).hf === 'ready';
}

function asFrame(msg: unknown): Uint8Array | null {
  if (msg instanceof Uint8Array) return msg;
  if (ArrayBuffer.isView(msg)) return new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
  if (msg instanceof ArrayBuffer) return new Uint8Array(msg);
  return null;
}

/** Electron's utility-process side of the port (process.parentPort). */
interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

/** Child side: talk to whoever started this process. Sends READY when the first frame handler attaches. */
export function parentChannel(): RpcChannel {
  const handlers = new ChannelHandlers();
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  let post: (msg: unknown) => void;
  if (parentPort) {
    parentPort.on('message', (e) => {
      const frame = asFrame(e.data);
      if (frame) handlers.emitFrame(frame);
    });
    post = (msg) => parentPort.postMessage(msg);
  } else if (process.send) {
    process.on('message', (msg) => {
      const frame = asFrame(msg);
      if (frame) handlers.emitFrame(frame);
    });
    process.on('disconnect', () => handlers.emitClose({ message: 'parent disconnected' }));
    post = (msg) => process.send?.(msg);
  } else {
    throw new Error(
      'the engine entry must be started by the host (fork with an IPC channel, or an Electron utilityProcess)',
    );
  }
  let announced = false;
  return {
    send: (frame) => post(frame),
    onFrame(handler) {
      const off = handlers.onFrame(handler);
      if (!announced) {
        announced = true;
        post(READY);
      }
      return off;
    },
    onClose: (h) => handlers.onClose(h),
    close: () => handlers.emitClose({ message: 'engine closed its channel' }),
  };
}

/** Parent-side logic shared by both process kinds. */
function parentSide(post: (frame: Uint8Array) => void): {
  channel: RpcChannel;
  receive(msg: unknown): void;
  closed(reason: string): void;
} {
  const handlers = new ChannelHandlers();
  const queue: Uint8Array[] = [];
  let ready = false;
  return {
    channel: {
      send(frame) {
        if (handlers.closed) throw new Error(`engine channel closed: ${handlers.closed.message}`);
        if (ready) post(frame);
        else queue.push(frame);
      },
      onFrame: (h) => handlers.onFrame(h),
      onClose: (h) => handlers.onClose(h),
      close: (reason = 'host closed the channel') => handlers.emitClose({ message: reason }),
    },
    receive(msg) {
      if (isReady(msg)) {
        ready = true;
        for (const f of queue.splice(0)) post(f);
        return;
      }
      const frame = asFrame(msg);
      if (frame) handlers.emitFrame(frame);
    },
    closed: (reason) => handlers.emitClose({ message: reason }),
  };
}

/** Parent side of a node:child_process fork (must use serialization: 'advanced' so bytes stay bytes). */
export function childProcessChannel(child: ChildProcess): RpcChannel {
  const side = parentSide((frame) => {
    if (child.connected) child.send(frame);
  });
  child.on('message', (msg) => side.receive(msg));
  child.on('exit', (code, signal) => side.closed(`engine process exited (${signal ?? `code ${code}`})`));
  child.on('disconnect', () => side.closed('engine process disconnected'));
  return side.channel;
}

/** What we use of Electron's UtilityProcess (main process side). */
export interface UtilityProcessLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
}

/** Parent side of an Electron utilityProcess.fork(). */
export function utilityProcessChannel(child: UtilityProcessLike): RpcChannel {
  const side = parentSide((frame) => child.postMessage(frame));
  child.on('message', (msg: unknown) => side.receive(msg));
  child.on('exit', (code: number) => side.closed(`engine process exited (code ${code})`));
  return side.channel;
}
