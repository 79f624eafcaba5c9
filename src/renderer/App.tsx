/** Shell: app bar, connection banner, and the page for the current route (gallery or project workspace). */
import { AppBar, Alert, Box, Button, Toolbar, Typography } from '@mui/material';
import ViewInArIcon from '@mui/icons-material/ViewInAr';
import { useStudio, useStudioEvent } from './api/StudioProvider';
import { useNotify } from './common/Notifier';
import { useHashRoute } from './common/useHashRoute';
import { Gallery } from './gallery/Gallery';
import { Workspace } from './workspace/Workspace';

export function App() {
  const { lost } = useStudio();
  const notify = useNotify();
  const [route, navigate] = useHashRoute();
  useStudioEvent((event) => {
    if (event.type === 'engine-restarted') notify({ severity: 'warning', text: `The engine restarted: ${event.reason}. Your projects are safe.` });
  });
  return (
    <Box sx={{ height: '100vh', display: 'flex', flexDirection: 'column' }}>
      <AppBar position="static" color="default" elevation={0} sx={{ borderBottom: 1, borderColor: 'divider' }}>
        <Toolbar variant="dense" sx={{ gap: 1 }}>
          <ViewInArIcon color="primary" aria-hidden />
          <Typography variant="h6" component="span" sx={{ fontWeight: 600 }}>
            HeadForge
          </Typography>
          {route.page === 'project' && (
            <Button size="small" onClick={() => navigate({ page: 'gallery' })} sx={{ ml: 2 }}>
              ← All projects
            </Button>
          )}
        </Toolbar>
      </AppBar>
      {lost && (
        <Alert severity="error" role="alert" sx={{ borderRadius: 0 }}>
          Lost the connection to the engine: {lost.unauthorized ? 'the access token was refused — open the exact URL printed by `headforge serve`.' : lost.message}
          {' '}Reload the page once the engine is running again.
        </Alert>
      )}
      <Box sx={{ flex: 1, overflow: 'auto' }}>
        {route.page === 'gallery' ? (
          <Gallery onOpen={(projectId) => navigate({ page: 'project', projectId })} />
        ) : (
          <Workspace key={route.projectId} projectId={route.projectId} onClose={() => navigate({ page: 'gallery' })} />
        )}
      </Box>
    </Box>
  );
}
