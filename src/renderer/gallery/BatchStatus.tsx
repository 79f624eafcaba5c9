/**
 * The gallery's strip for the batch queued last: how many of its heads are done, running, queued and
 * failed (the cards' badges, counted), a bar, and a way to put it away once the user has seen it.
 */
import { Alert, Button, LinearProgress, Typography } from '@mui/material';
import type { ProjectSummary } from '../../shared/contracts/studio-api';
import { batchCounts, batchLine } from './batch-state';

export function BatchStatus({
  projectIds,
  projects,
  onDismiss,
}: {
  projectIds: readonly string[];
  projects: readonly ProjectSummary[];
  onDismiss(): void;
}) {
  const counts = batchCounts(projectIds, projects);
  if (counts.total === 0) return null;
  const finished = counts.done + counts.failed === counts.total;
  return (
    <Alert
      severity={finished ? (counts.failed ? 'warning' : 'success') : 'info'}
      role="status"
      aria-label="Batch progress"
      sx={{ mb: 2, '& .MuiAlert-message': { flex: 1 } }}
      action={
        <Button color="inherit" size="small" onClick={onDismiss}>
          {finished ? 'Close' : 'Hide'}
        </Button>
      }
    >
      <Typography variant="body2" component="p" sx={{ mb: 0.5 }}>
        <b>Batch of {counts.total}:</b> {batchLine(counts)}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={(100 * (counts.done + counts.failed)) / counts.total}
        aria-label="Batch heads finished"
      />
    </Alert>
  );
}
