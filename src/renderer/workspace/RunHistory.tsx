/**
 * The project's runs, newest first: state, settings, metrics; select one to inspect it; compare two;
 * "Revert to this run": its settings go back into the generation controls (seed locked, so Run
 * reproduces it) and it stays the run on show. Nothing is deleted: newer runs stay in the history, and
 * Ctrl+Z undoes the revert like any settings edit. (A project has no separate "current head": the run
 * on show is the one you inspect and export.) Runs are numbered oldest = 1; a 3D restyle saved as a
 * variant says which run it was restyled from. A finished run can be pinned as the gallery card's
 * picture ("cover"), so a later throwaway run does not replace it.
 */
import { Box, Button, Chip, List, ListItemButton, ListItemText, Typography } from '@mui/material';
import HistoryIcon from '@mui/icons-material/History';
import PushPinOutlinedIcon from '@mui/icons-material/PushPinOutlined';
import type { RunState, RunSummary } from '../../shared/contracts/studio-api';
import { runNumbers, styleSummary, variantNote } from './run-variants';

const STATE_COLOR: Record<RunState, 'default' | 'info' | 'success' | 'error' | 'warning'> = {
  queued: 'default',
  running: 'info',
  done: 'success',
  failed: 'error',
  cancelled: 'warning',
};

export interface RunHistoryProps {
  runs: RunSummary[];
  selectedId: string | null;
  onSelect(run: RunSummary): void;
  /** Revert: put this run's settings back into the generation controls. */
  onReuse(run: RunSummary): void;
  /** Open the side-by-side comparison (offered when two runs have outputs). */
  onCompare(): void;
  /** The run pinned as the gallery picture (null: the newest finished run is shown). */
  coverRunId: string | null;
  /** Pin a run as the gallery picture, or unpin (null). */
  onPinCover(run: RunSummary | null): void;
}

export function RunHistory({ runs, selectedId, onSelect, onReuse, onCompare, coverRunId, onPinCover }: RunHistoryProps) {
  const ordered = [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const numbers = runNumbers(runs);
  return (
    <Box component="section" aria-labelledby="runs-heading">
      <Box sx={{ display: 'flex', alignItems: 'center' }}>
        <Typography id="runs-heading" variant="subtitle2" component="h2" color="text.secondary" sx={{ flex: 1 }}>
          RUNS ({runs.length})
        </Typography>
        <Button size="small" onClick={onCompare} disabled={runs.filter((r) => r.renderUrls?.length || r.viewUrls?.length).length < 2} title="Two runs' renders and metrics side by side">
          Compare runs
        </Button>
      </Box>
      {ordered.length === 0 ? (
        <Typography variant="caption" color="text.secondary">
          No runs yet.
        </Typography>
      ) : (
        <List dense aria-label="Run history" data-testid="run-history">
          {ordered.map((run) => {
            const s = run.settings;
            const elev = s.elevationDeg === 'auto' ? 'auto' : `${s.elevationDeg}°`;
            const note = variantNote(run, numbers);
            return (
              <ListItemButton key={run.id} selected={run.id === selectedId} onClick={() => onSelect(run)} sx={{ alignItems: 'flex-start', flexDirection: 'column', overflowWrap: 'anywhere' }}>
                <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', width: '100%' }}>
                  <Chip size="small" label={run.state} color={STATE_COLOR[run.state]} variant="outlined" />
                  <Typography variant="caption" sx={{ flex: 1 }}>
                    <Box component="span" sx={{ fontWeight: 600 }}>
                      Run {numbers.get(run.id)}
                    </Box>{' '}
                    · {new Date(run.createdAt).toLocaleString()}
                  </Typography>
                </Box>
                {run.id === coverRunId && <Chip size="small" icon={<PushPinOutlinedIcon />} label="Gallery picture" data-testid="run-cover" sx={{ mt: 0.5 }} />}
                {note && <Chip size="small" color="secondary" variant="outlined" label={note} data-testid="run-variant-note" sx={{ mt: 0.5 }} />}
                <ListItemText
                  primary={`seed ${s.seed} · elev ${elev} · ${s.quality} · ${s.backend}${s.style ? ` · style ${styleSummary(s.style)}` : ''}`}
                  secondary={run.error ? run.error.split('\n')[0] : run.metrics?.meanPsnr !== undefined ? `PSNR ${run.metrics.meanPsnr.toFixed(2)} dB · ${run.metrics.gaussians ?? '?'} splats` : undefined}
                  slotProps={{ primary: { variant: 'caption' }, secondary: { variant: 'caption', color: run.error ? 'error' : 'text.secondary' } }}
                />
                {run.id === selectedId && (
                  <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
                    <Button
                      size="small"
                      startIcon={<HistoryIcon />}
                      aria-describedby={`revert-help-${run.id}`}
                      onClick={(e) => {
                        e.stopPropagation();
                        onSelect(run);
                        onReuse(run);
                      }}
                      onKeyDown={(e) => e.stopPropagation()}
                    >
                      Revert to this run
                    </Button>
                    <Typography id={`revert-help-${run.id}`} variant="caption" color="text.secondary">
                      Its settings go back into Generate (seed locked); newer runs are kept. Ctrl+Z undoes.
                    </Typography>
                    {run.state === 'done' && (
                      <Button
                        size="small"
                        startIcon={<PushPinOutlinedIcon />}
                        onClick={(e) => {
                          e.stopPropagation();
                          onPinCover(run.id === coverRunId ? null : run);
                        }}
                        onKeyDown={(e) => e.stopPropagation()}
                      >
                        {run.id === coverRunId ? 'Unpin gallery picture' : 'Use as gallery picture'}
                      </Button>
                    )}
                  </Box>
                )}
              </ListItemButton>
            );
          })}
        </List>
      )}
    </Box>
  );
}
