/**
 * StudioApi transport costs: encoding/decoding a live-preview event of 65,536 Gaussians (the LGM
 * output size) and a full round trip of that event over the real WebSocket server on 127.0.0.1.
 */
import { WebSocket } from 'ws';
import type { StudioEvent } from '../src/shared/contracts/studio-api';
import { decodeFrame, encodeFrame } from '../src/shared/rpc/codec';
import { createMemoryChannelPair } from '../src/shared/rpc/channel';
import { createRpcClient } from '../src/shared/rpc/client';
import { serveRpc } from '../src/shared/rpc/server';
import { createWsClient, type WebSocketConstructor } from '../src/shared/rpc/ws-client';
import { timeMs, type Bench } from './harness';

const N = 65_536;

function previewEvent(): StudioEvent {
  const rnd = (len: number): Float32Array => Float32Array.from({ length: len }, (_, i) => Math.sin(i));
  return {
    type: 'job-preview',
    jobId: 'job-1',
    projectId: 'p-1',
    runId: 'run-1',
    step: 1,
    positions: rnd(N * 3),
    scales: rnd(N * 3),
    rotations: rnd(N * 4),
    opacities: rnd(N),
    colors: rnd(N * 3),
  };
}

/** Minimal StudioApi server side that only emits events on demand. */
function eventSource(): { emit(e: StudioEvent): void; handler: Parameters<typeof serveRpc>[1] } {
  const listeners = new Set<(e: StudioEvent) => void>();
  return {
    emit: (e) => listeners.forEach((l) => l(e)),
    handler: { call: async () => null, subscribe: (l) => (listeners.add(l), () => void listeners.delete(l)) },
  };
}

export const benches: Bench[] = [
  {
    name: 'rpc',
    async run() {
      const event = previewEvent();
      const frame = encodeFrame({ kind: 'event', event });
      const encode = await timeMs(() => encodeFrame({ kind: 'event', event }), 9, 2);
      const decode = await timeMs(() => decodeFrame(frame), 9, 2);

      const { startStudioServer } = await import('../src/engine/server/studio-server');
      const source = eventSource();
      // The WS server dispatches to a StudioApi; this bench only needs onEvent.
      const api = { onEvent: (l: (e: StudioEvent) => void) => source.handler.subscribe(l) } as never;
      const server = await startStudioServer({ api, libraryRoot: '/nonexistent', rendererDir: null });
      const client = createWsClient(server.wsUrl, server.token, WebSocket as unknown as WebSocketConstructor);
      await client.listProjects().catch(() => undefined); // connection open
      const wsRoundTrip = await timeMs(
        () =>
          new Promise<void>((resolve) => {
            const off = client.onEvent(() => (off(), resolve()));
            source.emit(event);
          }),
        9,
        2,
      );
      client.close();
      await server.close();

      const [a, b] = createMemoryChannelPair();
      serveRpc(b, source.handler);
      const mem = createRpcClient(a);
      const memRoundTrip = await timeMs(
        () =>
          new Promise<void>((resolve) => {
            const off = mem.onEvent(() => (off(), resolve()));
            source.emit(event);
          }),
        9,
        2,
      );
      return [
        {
          name: `rpc encode preview (${N} Gaussians, ${(frame.byteLength / 2 ** 20).toFixed(1)} MiB)`,
          value: encode,
          unit: 'ms',
        },
        { name: 'rpc decode preview', value: decode, unit: 'ms' },
        {
          name: 'rpc preview event over WebSocket 127.0.0.1 (emit -> listener)',
          value: wsRoundTrip,
          unit: 'ms',
        },
        { name: 'rpc preview event over in-memory pair', value: memRoundTrip, unit: 'ms' },
      ];
    },
  },
];
