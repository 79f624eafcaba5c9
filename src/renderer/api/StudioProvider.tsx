/**
 * React access to the engine: <StudioProvider> connects once (IPC or WebSocket) and offers
 * useStudio() -> { api, transport, lost, assetSrc } and useStudioEvent(listener).
 */
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { StudioApi, StudioEvent } from '../../shared/contracts/studio-api';
import type { ChannelCloseReason } from '../../shared/rpc/channel';
import type { StudioConnection } from './connect';

export interface StudioContextValue {
  api: StudioApi;
  transport: StudioConnection['transport'];
  /** Set once the connection to the engine is gone for good. */
  lost: ChannelCloseReason | null;
  /** Turn an asset URL from the engine into an <img>/fetch URL (adds the token in browser mode). */
  assetSrc(url: string | null | undefined): string | undefined;
}

const StudioContext = createContext<StudioContextValue | null>(null);

export function StudioProvider({ connection, children }: { connection: StudioConnection; children: ReactNode }) {
  const [lost, setLost] = useState<ChannelCloseReason | null>(null);
  useEffect(() => connection.onLost(setLost), [connection]);
  const value = useMemo<StudioContextValue>(
    () => ({
      api: connection.api,
      transport: connection.transport,
      lost,
      assetSrc(url) {
        if (!url) return undefined;
        if (!connection.assetToken || !url.startsWith('/')) return url;
        return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(connection.assetToken)}`;
      },
    }),
    [connection, lost],
  );
  return <StudioContext.Provider value={value}>{children}</StudioContext.Provider>;
}

export function useStudio(): StudioContextValue {
  const value = useContext(StudioContext);
  if (!value) throw new Error('useStudio() outside <StudioProvider>');
  return value;
}

/** Subscribe to engine events for the component's lifetime (the latest listener is always called). */
export function useStudioEvent(listener: (event: StudioEvent) => void): void {
  const { api } = useStudio();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => api.onEvent((event) => latest.current(event)), [api]);
}
