/** Renderer entry: connect to the engine (IPC or WebSocket), then render the studio. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Alert, CssBaseline, ThemeProvider } from '@mui/material';
import { StudioProvider } from './api/StudioProvider';
import { connectStudio, type StudioConnection } from './api/connect';
import { NotifierProvider } from './common/Notifier';
import { App } from './App';
import { studioTheme } from './theme';

const root = createRoot(document.getElementById('root') as HTMLElement);

let connection: StudioConnection | null = null;
let failure: string | null = null;
try {
  connection = connectStudio();
} catch (err) {
  failure = err instanceof Error ? err.message : String(err);
}

root.render(
  <StrictMode>
    <ThemeProvider theme={studioTheme}>
      <CssBaseline />
      {connection ? (
        <StudioProvider connection={connection}>
          <NotifierProvider>
            <App />
          </NotifierProvider>
        </StudioProvider>
      ) : (
        <Alert severity="error" role="alert" sx={{ m: 4 }}>
          {failure}
        </Alert>
      )}
    </ThemeProvider>
  </StrictMode>,
);
