/**
 * Export a run's head: format, engine preset (axes/scale conventions), SH degree, splat budget, a size
 * estimate; then the engine writes the file into the project's exports folder and we offer it
 * (download link in browser mode; the desktop app's menu can show the folder).
 */
import { useState } from 'react';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, FormControl, InputLabel, Link, MenuItem, Select, TextField, Typography } from '@mui/material';
import type { EnginePreset, ExportFormat, ExportResult, RunSummary } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';
import { errorMessage } from '../common/errors';
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
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const gaussians = run.metrics?.gaussians ?? null;
  const maxSplats = budget.trim() ? Math.max(1, Math.trunc(Number(budget))) : undefined;
  const count = gaussians === null ? null : Math.min(gaussians, maxSplats ?? gaussians);
  const shApplies = format !== 'splat' && format !== 'ply-compact';

  const submit = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.exportRun({ projectId, runId: run.id, format, preset, shDegree: shApplies ? shDegree : 0, ...(maxSplats ? { maxSplats } : {}) }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby="export-title" fullWidth maxWidth="sm">
      <DialogTitle id="export-title">Export head</DialogTitle>
      <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 2, pt: '8px !important' }}>
        <FormControl fullWidth size="small">
          <InputLabel id="export-format">Format</InputLabel>
          <Select labelId="export-format" label="Format" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
            {Object.entries(FORMATS).map(([k, v]) => (
              <MenuItem key={k} value={k}>
                {v}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl fullWidth size="small">
          <InputLabel id="export-preset">Engine preset</InputLabel>
          <Select labelId="export-preset" label="Engine preset" value={preset} onChange={(e) => setPreset(e.target.value as EnginePreset)}>
            {Object.entries(PRESETS).map(([k, v]) => (
              <MenuItem key={k} value={k}>
                {v}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
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
            <Link href={assetSrc(result.url)} download={result.fileName}>
              Download
            </Link>
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
