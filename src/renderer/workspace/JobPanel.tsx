/**
 * Job feedback: the running job's stages in order (done ones with their duration), the overall bar
 * and ETA, and — after a job ends — its outcome in words with the full error one click away.
 */
import { useState } from 'react';
import { Alert, Box, Button, Collapse, LinearProgress, Typography } from '@mui/material';
import type { JobInfo } from '../../shared/contracts/studio-api';
import type { StageMark } from './stage-history';

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - m * 60)} s`;
}

export function JobPanel({ job, stages, message, finished }: { job: JobInfo | null; stages: StageMark[]; message: string | null; finished: JobInfo | null }) {
  const [showDetails, setShowDetails] = useState(false);
  if (job) {
    const pct = Math.round(job.fraction * 100);
    return (
      <Box component="section" aria-label="Run progress" role="status" sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
        <Typography variant="body2">
          {job.state === 'queued' ? 'Queued' : `Running: ${job.stage}`} · {pct}% · ETA {job.etaSeconds === null ? 'estimating…' : formatDuration(job.etaSeconds)}
        </Typography>
        <LinearProgress variant="determinate" value={pct} aria-label="Overall progress" />
        <Box component="ol" sx={{ m: 0, pl: 2.5 }}>
          {stages.map((s) => (
            <Typography component="li" variant="caption" key={`${s.stage}-${s.startedAt}`} color={s.endedAt ? 'text.secondary' : 'text.primary'}>
              {s.stage} {s.endedAt ? `✓ ${formatDuration((s.endedAt - s.startedAt) / 1000)}` : '…'}
            </Typography>
          ))}
        </Box>
        {message && (
          <Typography variant="caption" color="text.secondary">
            {message}
          </Typography>
        )}
      </Box>
    );
  }
  if (!finished) return null;
  // Export jobs (animation) share the panel; they are not runs.
  const what = finished.kind === 'export' ? 'Export' : 'Run';
  if (finished.state === 'done') return <Alert severity="success">{what} finished.</Alert>;
  if (finished.state === 'cancelled') return <Alert severity="info">{what} cancelled.</Alert>;
  const firstLine = (finished.error ?? 'unknown error').split('\n')[0];
  return (
    <Alert
      severity="error"
      role="alert"
      sx={{ '& .MuiAlert-message': { overflowWrap: 'anywhere', minWidth: 0 } }}
      action={
        finished.error && finished.error.length > firstLine.length ? (
          <Button color="inherit" size="small" onClick={() => setShowDetails((v) => !v)}>
            {showDetails ? 'Hide details' : 'Details'}
          </Button>
        ) : undefined
      }
    >
      {what} failed at “{finished.stage}”: {firstLine}
      <Collapse in={showDetails}>
        <Box component="pre" sx={{ whiteSpace: 'pre-wrap', fontSize: 12, m: 0, mt: 1 }}>
          {finished.error}
        </Box>
      </Collapse>
    </Alert>
  );
}
