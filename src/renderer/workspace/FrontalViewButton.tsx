/**
 * "Frontal view" export (the paper's frontal-view prediction): the engine renders the head from its
 * own front (found with the landmark model, so a profile or 3/4 input still gives a frontal portrait)
 * and writes a PNG into the run's exports; the result is shown with a download link.
 */
import { useEffect } from 'react';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Link, Typography } from '@mui/material';
import FaceOutlinedIcon from '@mui/icons-material/FaceOutlined';
import type { RunSummary } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';
import { useNotify } from '../common/Notifier';
import { useAsyncAction } from '../common/useAsyncAction';

const FRONTAL_SIZE = 512;

export function FrontalViewButton({ projectId, run }: { projectId: string; run: RunSummary | null }) {
  const { api, assetSrc } = useStudio();
  const notify = useNotify();
  const frontal = useAsyncAction((runId: string) => api.exportFrontalView({ projectId, runId, size: FRONTAL_SIZE }));
  const { busy, result, error, reset } = frontal;
  const ready = Boolean(run?.splatUrl) && run?.state === 'done';

  // A failure is a toast (the button has no room for it); the action is then idle again.
  useEffect(() => {
    if (error) notify({ severity: 'error', text: `Could not export the frontal view: ${error}` });
  }, [error, notify]);

  return (
    <>
      <Button variant="outlined" startIcon={<FaceOutlinedIcon />} disabled={!ready || busy} onClick={() => run && void frontal.run(run.id)} title={ready ? 'Render the head from its front and save it as a PNG' : 'Needs a finished run'}>
        {busy ? 'Finding the front…' : 'Frontal view'}
      </Button>
      <Dialog open={result !== null} onClose={reset} aria-labelledby="frontal-title">
        <DialogTitle id="frontal-title">Frontal view</DialogTitle>
        {result && (
          <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
            <Box component="img" src={assetSrc(result.url)} alt="The head rendered from its front" sx={{ width: 320, height: 320, borderRadius: 1, alignSelf: 'center' }} />
            <Typography variant="body2">
              Front found at azimuth {result.frontAzimuthDeg.toFixed(0)}°;{' '}
              {result.residualYawDeg === null ? 'the landmark model found no face on it (rendered at azimuth 0).' : `the landmark model measures |yaw| ${result.residualYawDeg.toFixed(1)}°.`}
            </Typography>
            <Alert severity="success">
              Saved {result.fileName}.{' '}
              <Link href={assetSrc(result.url)} download={result.fileName}>
                Download
              </Link>
            </Alert>
          </DialogContent>
        )}
        <DialogActions>
          <Button onClick={reset}>Close</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
