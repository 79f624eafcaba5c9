/**
 * The workspace's centre: the 3D preview's toolbar (turntable, reset, SH degree, background), the
 * preview filling the column above the 16 views, so both are on screen together; a clicked view tile
 * turns the camera to it and is marked. When another run's head stands in for the selected run (it
 * has none yet), a line says so.
 */
import { Box, Button, FormControl, FormControlLabel, InputLabel, MenuItem, Select, Switch, TextField, Typography } from '@mui/material';
import type { RunSummary } from '../../shared/contracts/studio-api';
import { SplatPreview, type SplatSource } from './SplatPreview';
import { ViewGrid } from './ViewGrid';
import type { PreviewSettings } from './usePreviewSettings';

/** SH degrees the preview can draw (gaussian-splats-3d stops at 2). */
const PREVIEW_SH_DEGREES = [0, 1, 2];

export interface PreviewStageProps {
  preview: PreviewSettings;
  source: SplatSource | null;
  run: RunSummary | null;
  standIn: RunSummary | null;
  /** Elevation of the run's views, for snapping the camera to a tile. */
  viewElevation: number;
  markedBad: number[];
  onToggleBad(index: number): void;
}

export function PreviewStage({ preview: p, source, run, standIn, viewElevation, markedBad, onToggleBad }: PreviewStageProps) {
  return (
    // Exactly the column's height, so the preview and the views share the screen.
    <Box data-testid="workspace-stage" sx={{ height: '100%', minHeight: 420, display: 'flex', flexDirection: 'column' }}>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', px: 2, py: 0.5, flexWrap: 'wrap', flex: 'none' }}>
        <Typography variant="subtitle2" component="h2" color="text.secondary" sx={{ mr: 'auto' }}>
          3D PREVIEW
        </Typography>
        <FormControlLabel
          control={<Switch size="small" checked={p.turntable} onChange={(e) => p.setTurntable(e.target.checked)} />}
          label="Turntable"
        />
        <Button size="small" onClick={p.resetCamera}>
          Reset view
        </Button>
        {/* The preview's renderer draws SH up to degree 2 (docs/viewport.md): 3 is not offered, since it would draw as 2. */}
        <FormControl size="small" sx={{ minWidth: 110 }} title="View-dependent colour in the preview (up to degree 2; exports keep every degree the head has)">
          <InputLabel id="sh-label">SH degree</InputLabel>
          <Select labelId="sh-label" label="SH degree" value={p.shDegree} onChange={(e) => p.setShDegree(Number(e.target.value))}>
            {PREVIEW_SH_DEGREES.map((d) => (
              <MenuItem key={d} value={d}>
                {d}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <TextField
          size="small"
          type="color"
          label="Background"
          value={p.background}
          onChange={(e) => p.setBackground(e.target.value)}
          sx={{ width: 100 }}
        />
      </Box>
      {standIn && (
        <Typography variant="caption" color="text.secondary" data-testid="stand-in-note" sx={{ px: 2 }}>
          Showing run {run?.id}: run {standIn.id}{' '}
          {standIn.state === 'running' || standIn.state === 'queued' ? `is ${standIn.state}` : `was ${standIn.state}`} and has
          no head yet.
        </Typography>
      )}
      <Box sx={{ flex: '1 1 0', minHeight: 200, mx: 2, borderRadius: 1, overflow: 'hidden', border: 1, borderColor: 'divider' }}>
        <SplatPreview
          source={source}
          background={p.background}
          shDegree={p.shDegree}
          turntable={p.turntable}
          cameraRequest={p.camera}
          onUserOrbit={p.leaveView}
          progressive={p.progressive}
          showFrameTime={p.showFrameTime}
        />
      </Box>
      <Box sx={{ flex: '0 1 auto', minHeight: 0, overflow: 'auto', px: 2, pt: 1, pb: 1 }}>
        {run && (run.viewUrls?.length ?? 0) > 0 ? (
          <ViewGrid
            run={run}
            onPickView={(i, az) => p.snapCamera(az, viewElevation, i)}
            pickedView={p.pickedView}
            markedBad={markedBad}
            onToggleBad={onToggleBad}
            mode={p.compareMode}
            onModeChange={p.setCompareMode}
          />
        ) : (
          <Typography variant="body2" color="text.secondary">
            {!run
              ? 'The 16 generated views appear here after a run.'
              : run.state === 'running' || run.state === 'queued'
                ? `Run ${run.id} is ${run.state}: its 16 views and head renders appear here when it finishes.`
                : `Run ${run.id} has no generated views (${run.state}).`}
          </Typography>
        )}
      </Box>
    </Box>
  );
}
