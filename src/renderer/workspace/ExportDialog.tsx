/**
 * Export a run's head: format, engine preset (axes/scale conventions), SH degree, splat budget, a size
 * estimate; then the engine writes the file into the run's exports folder and a toast offers it:
 * "Show in folder" in the desktop app (named by ids, main resolves it in the library), a download link
 * in browser mode (which has no file manager to open).
 */
import { useState } from 'react';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, FormControl, InputLabel, Link, MenuItem, Select, TextField, Typography } from '@mui/material';
import { ChoiceSelect } from '../common/ChoiceSelect';
import type { EnginePreset, ExportFormat, ExportRequest, ExportResult, RunSummary } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';
import { desktopShell } from '../common/desktop-shell';
import { errorMessage } from '../common/errors';
import { useNotify, type Toast } from '../common/Notifier';
import { useAsyncAction } from '../common/useAsyncAction';
import { estimateExportBytes, formatBytes } from './export-estimate';

const FORMATS: Record<ExportFormat, string> = {
  ply: '3DGS PLY (INRIA, full SH)',
  'ply-compact': 'Compressed PLY (PlayCanvas)',
  splat: '.splat (antimatter15, no SH)',
  spz: 'SPZ v2 (Niantic, gzip)',
  glb: 'glTF GLB (KHR_gaussian_splatting)',
};
const PRESETS: Record<EnginePreset, string> = {
  none: 'None (as stored, OpenGL axes)',
  unity: 'Unity (aras-p importer)',
  unreal: 'Unreal Engine',
  blender: 'Blender',
  godot: 'Godot',
  web: 'Web viewers (three.js, Spark)',
};

export function ExportDialog({ projectId, run, onClose }: { projectId: string; run: RunSummary; onClose(): void }) {
  const { api, assetSrc } = useStudio();
  const [format, setFormat] = useState<ExportFormat>('ply');
  const [preset, setPreset] = useState<EnginePreset>('none');
  const [shDegree, setShDegree] = useState<0 | 1 | 2 | 3>(0);
  const [budget, setBudget] = useState<string>('');
  const notify = useNotify();
  const exporter = useAsyncAction((request: ExportRequest) => api.exportRun(request));
  const { busy, result, error } = exporter;
  const gaussians = run.metrics?.gaussians ?? null;
  const maxSplats = budget.trim() ? Math.max(1, Math.trunc(Number(budget))) : undefined;
  const count = gaussians === null ? null : Math.min(gaussians, maxSplats ?? gaussians);
  const shApplies = format !== 'splat' && format !== 'ply-compact';

  const submit = async (): Promise<void> => {
    const written = await exporter.run({ projectId, runId: run.id, format, preset, shDegree: shApplies ? shDegree : 0, ...(maxSplats ? { maxSplats } : {}) });
    if (written) notify(exportedToast(written));
  };

  const shell = desktopShell();
  const revealInFolder = (written: ExportResult): void => {
    void shell?.showExportInFolder({ projectId, runId: run.id, fileName: written.fileName }).catch((err: unknown) => notify({ severity: 'error', text: `Could not show ${written.fileName}: ${errorMessage(err)}` }));
  };

  /** Success toast: reveal the file (desktop) or download it (browser mode). */
  const exportedToast = (written: ExportResult): Toast => {
    const text = `Exported ${written.fileName} (${formatBytes(written.bytes)})`;
    const action = shell ? { label: 'Show in folder', run: () => revealInFolder(written) } : { label: 'Download', href: assetSrc(written.url), download: written.fileName };
    return { severity: 'success', text, durationMs: 10_000, action, group: 'export' };
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby="export-title" fullWidth maxWidth="sm">
      <DialogTitle id="export-title">Export head</DialogTitle>
      <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 2, pt: '8px !important' }}>
        <ChoiceSelect id="export-format" label="Format" value={format} choices={FORMATS} onChange={setFormat} fullWidth />
        <ChoiceSelect id="export-preset" label="Engine preset" value={preset} choices={PRESETS} onChange={setPreset} fullWidth />
        <FormControl fullWidth size="small" disabled={!shApplies}>
          <InputLabel id="export-sh">SH degree</InputLabel>
          <Select labelId="export-sh" label="SH degree" value={shApplies ? shDegree : 0} onChange={(e) => setShDegree(Number(e.target.value) as 0 | 1 | 2 | 3)}>
            {[0, 1, 2, 3].map((d) => (
              <MenuItem key={d} value={d}>
                {d === 0 ? '0 (colour only)' : d}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <TextField
          size="small"
          label="Splat budget (empty = all)"
          type="number"
          value={budget}
          onChange={(e) => setBudget(e.target.value)}
          slotProps={{ htmlInput: { min: 1 } }}
          helperText={gaussians === null ? 'The run did not report its splat count.' : `The head has ${gaussians.toLocaleString()} splats.`}
        />
        <Typography variant="body2">
          Estimated size: {count === null ? 'unknown' : `≈ ${formatBytes(estimateExportBytes(format, count, shApplies ? shDegree : 0))}`}
        </Typography>
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
        {result && (
          <Alert severity="success">
            Wrote {result.fileName} ({formatBytes(result.bytes)}).{' '}
            {/* Also here, not only in the toast: while the dialog is open, focus stays inside it. */}
            {shell ? (
              <Link component="button" onClick={() => revealInFolder(result)}>
                Show in folder
              </Link>
            ) : (
              <Link href={assetSrc(result.url)} download={result.fileName}>
                Download
              </Link>
            )}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy || !run.splatUrl}>
          {busy ? 'Exporting…' : 'Export'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
