/**
 * Toasts: one at a time, queued, with an optional action button (Undo, Show log...). Errors stay
 * until dismissed unless given a duration; other messages hide after 5 s, 10 s with an action. A click anywhere on
 * a toast without an action closes it. A toast without an action whose text equals one showing or
 * waiting is not queued again.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { Alert, Button, Snackbar } from '@mui/material';

export interface Toast {
  severity: 'success' | 'info' | 'warning' | 'error';
  text: string;
  /** A button (run) or, with `href`, a link (a download in browser mode: `download` names the file). */
  action?: { label: string; run?(): void; href?: string; download?: string };
  /** Auto-hide delay; errors default to staying until closed. */
  durationMs?: number | null;
  /** A newer toast of the same group replaces an older one still showing or waiting (e.g. exports). */
  group?: string;
}

interface QueuedToast extends Toast {
  key: number;
}

const NotifyContext = createContext<(toast: Toast) => void>(() => undefined);

export function NotifierProvider({ children }: { children: ReactNode }) {
  const [queue, setQueue] = useState<QueuedToast[]>([]);
  const notify = useCallback(
    (toast: Toast) =>
      setQueue((q) =>
        !toast.action && q.some((t) => !t.action && t.text === toast.text && t.severity === toast.severity)
          ? q
          : [
              ...(toast.group ? q.filter((t) => t.group !== toast.group) : q),
              { ...toast, key: Date.now() + Math.random() },
            ],
      ),
    [],
  );
  const current = queue[0];
  const close = useCallback(() => setQueue((q) => q.slice(1)), []);
  const value = useMemo(() => notify, [notify]);
  // Errors stay; a toast with an action (Undo, Open) stays 10 s so there is time to use it; others 5 s.
  const duration = current
    ? current.durationMs !== undefined
      ? current.durationMs
      : current.severity === 'error'
        ? null
        : current.action
          ? 10_000
          : 5000
    : null;
  return (
    <NotifyContext.Provider value={value}>
      {children}
      <Snackbar
        key={current?.key}
        open={Boolean(current)}
        autoHideDuration={duration}
        onClose={(_e, reason) => reason !== 'clickaway' && close()}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        {current ? (
          <Alert
            severity={current.severity}
            variant="filled"
            onClose={close}
            onClick={current.action ? undefined : close}
            sx={{ maxWidth: 720, whiteSpace: 'pre-line', cursor: current.action ? undefined : 'pointer' }}
            action={
              current.action ? (
                <Button
                  color="inherit"
                  size="small"
                  {...(current.action.href
                    ? { href: current.action.href, download: current.action.download ?? true }
                    : {})}
                  onClick={() => {
                    current.action?.run?.();
                    close();
                  }}
                >
                  {current.action.label}
                </Button>
              ) : undefined
            }
          >
            {current.text}
          </Alert>
        ) : undefined}
      </Snackbar>
    </NotifyContext.Provider>
  );
}

export function useNotify(): (toast: Toast) => void {
  return useContext(NotifyContext);
}
