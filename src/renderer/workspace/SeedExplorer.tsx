/**
 * Seed explorer: quick low-resolution multi-view previews (a 'seed-previews' job, no optimisation)
 * for several seeds side by side, at the elevation, backend and 2D style being edited (the style goes
 * on the portrait first, as the run will do it); pick one to use it, or
 * to run it straight away. Rows appear as each seed is made; the bar shows the job's progress; Cancel
 * (or closing the dialog) stops the job between seeds.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, TextField, Typography } from '@mui/material';
import { VIEW_AZIMUTHS_DEG } from '../../shared/camera';
import type { JobInfo, RunSettings, SeedPreview } from '../../shared/contracts/studio-api';
import { useStudio, useStudioEvent } from '../api/StudioProvider';
import { errorMessage } from '../common/errors';
import { useAsyncAction } from '../common/useAsyncAction';
import { randomSeed } from './run-settings-store';
import { styleSummary } from './run-variants';

/**
 * Views shown per seed: profile, the back half and the other profile (azimuth 83.5 to -83.5 through
 * 180). The seed only changes what the portrait does not show: the front views are the portrait's own
 * and the same in every row, so showing them made the rows look alike.
 */
const SHOWN_VIEWS = [5, 6, 7, 8, 9, 10, 11];
const MAX_SEEDS = 8;
/**
 * The weight-free backend's seed only changes the texture it invents for the hidden hair, skin and clothing, so its
 * rows look nearly the same (issue 21: "the rows look alike"); said, so the artist does not hunt for a
 * difference that is not there.
 */
export const WEIGHT_FREE_SEED_NOTE =
  'With the weight-free backend a seed only changes the fine texture it invents for the hidden hair, skin and clothing, so the rows differ little.';

export interface SeedExplorerProps {
  projectId: string;
  settings: RunSettings;
  running: boolean;
  onUse(seed: number): void;
  onRun(seed: number): void;
  onClose(): void;
}

export function SeedExplorer({ projectId, settings, running, onUse, onRun, onClose }: SeedExplorerProps) {
  const { api, assetSrc } = useStudio();
  const [count, setCount] = useState(4);
  const [job, setJob] = useState<JobInfo | null>(null);
  const [outcome, setOutcome] = useState<JobInfo | null>(null);
  const [previews, setPreviews] = useState<SeedPreview[]>([]);
  const starter = useAsyncAction((seeds: number[]) => api.startSeedPreviews({ projectId, seeds, elevationDeg: settings.elevationDeg, backend: settings.backend, style: settings.style }));
  const canceller = useAsyncAction((jobId: string) => api.cancelJob({ jobId }));
  // The job's id as soon as it is known; events can arrive before startSeedPreviews() resolves.
  const jobId = useRef<string | null>(null);
  const awaitingStart = useRef(false);
  const busy = starter.busy || (job !== null && (job.state === 'queued' || job.state === 'running'));

  const ours = (candidate: { id: string; kind: string; projectId: string | null }): boolean => {
    if (jobId.current) return candidate.id === jobId.current;
    if (awaitingStart.current && candidate.kind === 'seed-previews' && candidate.projectId === projectId) {
      jobId.current = candidate.id;
      return true;
    }
    return false;
  };

  useStudioEvent((event) => {
    if (event.type === 'job-progress' && ours(event.job)) setJob(event.job);
    else if (event.type === 'seed-preview' && jobId.current === event.jobId) setPreviews((list) => [...list.filter((p) => p.seed !== event.preview.seed), event.preview]);
    else if (event.type === 'job-finished' && ours(event.job)) {
      setJob(null);
      setOutcome(event.job);
    }
  });

  // Closing the explorer stops its job: nobody is looking at the previews any more.
  useEffect(
    () => () => {
      if (jobId.current) void api.cancelJob({ jobId: jobId.current }).catch(() => undefined);
    },
    [api],
  );

  const generate = async (): Promise<void> => {
    // The current seed first, so the artist sees what Run would make next to the alternatives.
    const seeds = [settings.seed, ...Array.from({ length: count - 1 }, randomSeed)];
    jobId.current = null;
    awaitingStart.current = true;
    setPreviews([]);
    setOutcome(null);
    const started = await starter.run(seeds);
    awaitingStart.current = false;
    if (!started) return;
    if (!jobId.current) jobId.current = started.id;
    setJob((current) => current ?? started);
  };
  const cancel = (): void => {
    if (jobId.current) void canceller.run(jobId.current);
  };
  const error = starter.error ?? canceller.error ?? (outcome?.state === 'failed' ? (outcome.error ?? 'the job failed') : null);
  const percent = job ? Math.round(job.fraction * 100) : 0;

  return (
    <Dialog open onClose={onClose} aria-labelledby="seed-explorer-title" fullWidth maxWidth="md">
      <DialogTitle id="seed-explorer-title">Seed explorer</DialogTitle>
      <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
        <Typography variant="body2" color="text.secondary">
          Quick 128 px views for several seeds, without fitting a head:{' '}
          {settings.elevationDeg === 'auto' ? 'elevation estimated from the portrait' : `elevation ${settings.elevationDeg}° (set by you)`},{' '}
          {settings.backend === 'default' ? 'weight-free backend' : `backend ${settings.backend.replace(/^pack:/, '')}`}
          {settings.style ? `, ${styleSummary(settings.style)} style` : ''}. The seed changes only what the portrait does not show, so the sides and
          back are shown. The first row is the current seed.
          {settings.backend === 'default' ? ` ${WEIGHT_FREE_SEED_NOTE}` : ''}
        </Typography>
        <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', pt: 1 }}>
          <TextField
            size="small"
            type="number"
            label="Seeds to try"
            value={count}
            onChange={(e) => setCount(Math.max(1, Math.min(MAX_SEEDS, Math.trunc(Number(e.target.value)) || 1)))}
            slotProps={{ htmlInput: { min: 1, max: MAX_SEEDS } }}
            sx={{ width: 130 }}
          />
          <Button variant="contained" onClick={() => void generate()} disabled={busy}>
            {busy ? 'Generating…' : previews.length ? 'Try other seeds' : 'Generate previews'}
          </Button>
          {busy && (
            <Button variant="outlined" color="warning" onClick={cancel} disabled={!jobId.current || canceller.busy}>
              Cancel
            </Button>
          )}
        </Box>
        {busy && (
          <Box role="status" aria-live="polite" sx={{ display: 'flex', flexDirection: 'column', gap: 0.5 }}>
            <Typography variant="caption" color="text.secondary">
              {job?.state === 'queued' ? 'Waiting for the running job to finish…' : `${job?.stage ?? 'starting'} · ${percent}%`}
            </Typography>
            <LinearProgress variant="determinate" value={percent} aria-label="Seed previews progress" />
          </Box>
        )}
        {outcome?.state === 'cancelled' && (
          <Alert severity="info">
            Cancelled after {previews.length} of {count} seeds.
          </Alert>
        )}
        {error && (
          <Alert severity="error" role="alert">
            Could not make the previews: {errorMessage(error)}
          </Alert>
        )}
        <Box component="ol" aria-label="Seed previews" sx={{ p: 0, m: 0, listStyle: 'none', display: 'flex', flexDirection: 'column', gap: 1.5 }}>
          {previews.map((p) => (
            <Box component="li" key={p.seed} data-testid="seed-preview" sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
              <Box sx={{ width: 110 }}>
                <Typography variant="body2">Seed {p.seed}</Typography>
                {p.seed === settings.seed && (
                  <Typography variant="caption" color="primary" sx={{ display: 'block' }}>
                    current seed
                  </Typography>
                )}
                <Typography variant="caption" color="text.secondary">
                  elevation {p.elevationDeg.toFixed(1)}°
                </Typography>
              </Box>
              <Box sx={{ display: 'flex', gap: 0.5, bgcolor: '#fff', borderRadius: 1, p: 0.5 }}>
                {SHOWN_VIEWS.map((i) => (
                  <Box key={i} component="img" src={assetSrc(p.viewUrls[i])} alt={`Seed ${p.seed}, azimuth ${VIEW_AZIMUTHS_DEG[i].toFixed(0)}°`} sx={{ width: 72, height: 72, display: 'block' }} />
                ))}
              </Box>
              <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.5 }}>
                <Button size="small" onClick={() => onUse(p.seed)}>
                  Use seed {p.seed}
                </Button>
                <Button size="small" variant="outlined" disabled={running} onClick={() => onRun(p.seed)}>
                  Run seed {p.seed}
                </Button>
              </Box>
            </Box>
          ))}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
