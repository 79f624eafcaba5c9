/** The portrait, its preprocessed crop with the analysis overlay toggle, detected pose and auto elevation. */
import { useState } from 'react';
import { Alert, Box, FormControlLabel, Switch, Typography } from '@mui/material';
import type { ProjectDetail } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';

const fmt = (deg: number | null | undefined): string => (deg === null || deg === undefined ? '—' : `${deg.toFixed(1)}°`);

export function InputPanel({ project }: { project: ProjectDetail }) {
  const { assetSrc } = useStudio();
  const [overlay, setOverlay] = useState(true);
  const pre = project.preprocessed;
  const shown = pre ? (overlay && pre.overlayUrl ? pre.overlayUrl : pre.cropUrl) : project.inputUrl;
  return (
    <Box component="section" aria-labelledby="input-heading" sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
      <Typography id="input-heading" variant="subtitle2" component="h2" color="text.secondary">
        INPUT
      </Typography>
      {shown ? (
        <Box component="img" src={assetSrc(shown)} alt={pre ? (overlay ? 'Preprocessed crop with face box, landmarks and mask' : 'Preprocessed crop') : 'Input portrait'} sx={{ width: '100%', aspectRatio: '1 / 1', objectFit: 'contain', bgcolor: '#fff', borderRadius: 1 }} />
      ) : (
        <Alert severity="warning">The input image is missing.</Alert>
      )}
      {pre ? (
        <>
          {pre.overlayUrl && <FormControlLabel control={<Switch size="small" checked={overlay} onChange={(e) => setOverlay(e.target.checked)} />} label="Face box, landmarks and mask" />}
          <Typography variant="caption" component="p">
            Yaw {fmt(pre.yawDeg)} · pitch {fmt(pre.pitchDeg)} · auto elevation {fmt(pre.elevationDeg)}
          </Typography>
          {pre.warnings.map((w) => (
            <Alert key={w} severity="warning" variant="outlined" sx={{ py: 0 }}>
              {w}
            </Alert>
          ))}
        </>
      ) : (
        <>
          {project.inputWarning && (
            <Alert severity="warning" variant="outlined" sx={{ py: 0 }} data-testid="input-warning">
              {project.inputWarning}
            </Alert>
          )}
          <Typography variant="caption" color="text.secondary">
              Not preprocessed yet: the crop, face analysis and auto elevation appear after the first run.
          </Typography>
        </>
      )}
    </Box>
  );
}
