/** Server-side adapter: a `ws` WebSocket connection as an RpcChannel (binary frames; text accepted). */
import type { WebSocket } from 'ws';
import { ChannelHandlers, type RpcChannel } from '../../shared/rpc/channel';

export function serverWsChannel(socket: WebSocket): RpcChannel {
  const handlers = new ChannelHandlers();
  socket.on('message', (data, isBinary) => {
    if (!isBinary) {
      handlers.emitFrame(data.toString());
      return;
    }
    const buf = Array.isArray(data)
      ? Buffer.concat(data)
      : data instanceof ArrayBuffer
        ? Buffer.from(data)
        : data;
    handlers.emitFrame(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
  });
  socket.on('close', (code, reason) =>
    handlers.emitClose({ message: reason.toString() || `closed (code ${code})` }),
  );
  socket.on('error', () => undefined); // 'close' follows with the reason.
  return {
    send(frame) {
      if (socket.readyState === socket.OPEN) socket.send(frame, { binary: true });
    },
    onFrame: (h) => handlers.onFrame(h),
    onClose: (h) => handlers.onClose(h),
    close(reason = 'server closed') {
      socket.close(1000, reason);
    },
  };
}
