/**
 * Two runs side by side: their settings (what differs is highlighted), metrics, and the head renders
 * (generated views where a run has no renders) at the 16 cameras, ordered by azimuth, each with its
 * PSNR and the difference B - A. Pick either run from the project's finished runs.
 */
import { useMemo, useState } from 'react';
import { Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, FormControl, InputLabel, MenuItem, Select, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { VIEW_AZIMUTHS_DEG } from '../../shared/camera';
import type { RunSummary } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';
import { viewOrderByAzimuth } from './ViewGrid';
import { runNumbers, styleSummary, variantNote } from './run-variants';

type Row = [label: string, value: (r: RunSummary) => string];

const ROWS: Row[] = [
  ['State', (r) => r.state],
  ['Seed', (r) => String(r.settings.seed)],
  ['Elevation', (r) => (r.settings.elevationDeg === 'auto' ? 'auto' : `${r.settings.elevationDeg}°`)],
  ['Quality', (r) => r.settings.quality],
  ['Steps', (r) => (r.settings.steps === undefined ? 'preset' : String(r.settings.steps))],
  ['Backend', (r) => r.settings.backend],
  ['2D style', (r) => styleSummary(r.settings.style)],
  ['Ignored views', (r) => (r.settings.ignoredViews?.length ? r.settings.ignoredViews.join(', ') : 'none')],
  ['Mean PSNR', (r) => (r.metrics?.meanPsnr === undefined ? '—' : `${r.metrics.meanPsnr.toFixed(2)} dB`)],
  ['Splats', (r) => (r.metrics?.gaussians === undefined ? '—' : r.metrics.gaussians.toLocaleString())],
  ['Time', (r) => (r.timings ? `${Object.values(r.timings).reduce((a, b) => a + b, 0).toFixed(1)} s` : '—')],
];

export const runLabel = (r: RunSummary): string => `${new Date(r.createdAt).toLocaleTimeString()} · seed ${r.settings.seed} · ${r.state}`;

function RunPicker({ id, label, runs, value, onChange }: { id: string; label: string; runs: RunSummary[]; value: string; onChange(id: string): void }) {
  const numbers = runNumbers(runs);
  const pickLabel = (r: RunSummary): string => [`Run ${numbers.get(r.id)}`, runLabel(r), variantNote(r, numbers)].filter(Boolean).join(' · ');
  return (
    <FormControl size="small" sx={{ minWidth: 260 }}>
      <InputLabel id={id}>{label}</InputLabel>
      <Select labelId={id} label={label} value={value} onChange={(e) => onChange(e.target.value)}>
        {runs.map((r) => (
          <MenuItem key={r.id} value={r.id}>
            {pickLabel(r)}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

export function RunCompare({ runs, initial, onClose }: { runs: RunSummary[]; initial: [string, string]; onClose(): void }) {
  const { assetSrc } = useStudio();
  const [aId, setA] = useState(initial[0]);
  const [bId, setB] = useState(initial[1]);
  const order = useMemo(() => viewOrderByAzimuth(), []);
  const a = runs.find((r) => r.id === aId) ?? runs[0];
  const b = runs.find((r) => r.id === bId) ?? runs[1] ?? runs[0];
  const images = (r: RunSummary): string[] => (r.renderUrls?.length ? r.renderUrls : (r.viewUrls ?? []));

  return (
    <Dialog open onClose={onClose} aria-labelledby="run-compare-title" fullWidth maxWidth="lg">
      <DialogTitle id="run-compare-title">Compare runs</DialogTitle>
      <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
        <Box sx={{ display: 'flex', gap: 2, pt: 1, flexWrap: 'wrap' }}>
          <RunPicker id="compare-a" label="Run A" runs={runs} value={a.id} onChange={setA} />
          <RunPicker id="compare-b" label="Run B" runs={runs} value={b.id} onChange={setB} />
        </Box>
        <Table size="small" aria-label="Settings and metrics of the two runs" data-testid="run-compare-table">
          <TableHead>
            <TableRow>
              <TableCell />
              <TableCell>Run A</TableCell>
              <TableCell>Run B</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {ROWS.map(([label, value]) => {
              const differs = value(a) !== value(b);
              return (
                <TableRow key={label} sx={differs ? { '& td': { color: 'warning.light', fontWeight: 600 } } : undefined}>
                  <TableCell component="th" scope="row">
                    {label}
                  </TableCell>
                  <TableCell>{value(a)}</TableCell>
                  <TableCell>{value(b)}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
        <Box component="ol" aria-label="Head renders of run A and run B by azimuth" sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))', gap: 1, p: 0, m: 0, listStyle: 'none' }}>
          {order.map((i) => {
            const az = VIEW_AZIMUTHS_DEG[i];
            const pa = a.metrics?.perViewPsnr?.[i];
            const pb = b.metrics?.perViewPsnr?.[i];
            return (
              <Box component="li" key={i} data-testid="run-compare-pair">
                <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', bgcolor: '#fff', borderRadius: 1, overflow: 'hidden' }}>
                  <Box component="img" src={assetSrc(images(a)[i])} alt={`Run A, view ${i} (azimuth ${az.toFixed(1)}°)`} sx={{ width: '100%', display: 'block' }} />
                  <Box component="img" src={assetSrc(images(b)[i])} alt={`Run B, view ${i} (azimuth ${az.toFixed(1)}°)`} sx={{ width: '100%', display: 'block' }} />
                </Box>
                <Typography variant="caption" component="p" sx={{ textAlign: 'center' }}>
                  {az.toFixed(0)}° · A {pa?.toFixed(1) ?? '—'} · B {pb?.toFixed(1) ?? '—'} dB
                  {pa !== undefined && pb !== undefined ? ` (${pb - pa >= 0 ? '+' : ''}${(pb - pa).toFixed(1)})` : ''}
                </Typography>
              </Box>
            );
          })}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
