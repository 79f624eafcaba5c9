/**
 * The 16 generated views laid out by azimuth (-146° … 180°), each with the head rendered from the same
 * camera when the run has renders: side by side, overlaid with a wipe slider, or as a difference
 * heatmap; per-view PSNR under each. Clicking a view moves the 3D camera there; the flag button marks
 * a view as bad so the next run's optimisation ignores it (settings.ignoredViews). Shows nothing it
 * does not have: no views, no grid.
 */
import { useMemo, useState } from 'react';
import { Box, ButtonBase, IconButton, Slider, ToggleButton, ToggleButtonGroup, Tooltip, Typography } from '@mui/material';
import FlagIcon from '@mui/icons-material/Flag';
import OutlinedFlagIcon from '@mui/icons-material/OutlinedFlag';
import { VIEW_AZIMUTHS_DEG } from '../../shared/camera';
import type { RunSummary } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';
import { DifferenceHeatmap } from './DifferenceHeatmap';
import { heatColour, HEATMAP_FULL_SCALE } from './heatmap';

export type CompareMode = 'views' | 'side-by-side' | 'overlay' | 'difference';

/** View indices ordered by signed azimuth in (-180, 180], so the grid reads left profile -> front -> right profile -> back. */
export function viewOrderByAzimuth(azimuths: readonly number[] = VIEW_AZIMUTHS_DEG): number[] {
  const signed = (a: number): number => (a > 180 ? a - 360 : a);
  return azimuths.map((a, i) => ({ i, a: signed(a) })).sort((x, y) => (x.a === 180 ? 1 : y.a === 180 ? -1 : x.a - y.a)).map((x) => x.i);
}

export interface ViewGridProps {
  run: RunSummary;
  onPickView(index: number, azimuthDeg: number): void;
  /** Views marked bad for the next run (the edited settings' ignoredViews). */
  markedBad: readonly number[];
  onToggleBad(index: number): void;
  /** Compare mode, owned by the workspace so shortcuts and reloads keep it. */
  mode: CompareMode;
  onModeChange(mode: CompareMode): void;
}

function HeatLegend() {
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => `rgb(${heatColour(t).join(',')}) ${t * 100}%`).join(', ');
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }} aria-label={`Heatmap scale: black = identical, white = ${HEATMAP_FULL_SCALE * 100}% or more difference`} role="img">
      <Typography variant="caption">0</Typography>
      <Box sx={{ width: 100, height: 10, borderRadius: 0.5, background: `linear-gradient(90deg, ${stops})` }} />
      <Typography variant="caption">≥{HEATMAP_FULL_SCALE * 100}%</Typography>
    </Box>
  );
}

export function ViewGrid({ run, onPickView, markedBad, onToggleBad, mode, onModeChange }: ViewGridProps) {
  const { assetSrc } = useStudio();
  const views = run.viewUrls ?? [];
  const renders = run.renderUrls ?? [];
  const hasRenders = renders.length === views.length && renders.length > 0;
  const [wipe, setWipe] = useState(50);
  const order = useMemo(() => viewOrderByAzimuth(), []);
  const psnr = run.metrics?.perViewPsnr;
  const ignoredInRun = new Set(run.settings.ignoredViews ?? []);

  if (views.length === 0) return null;
  const effectiveMode = hasRenders ? mode : 'views';
  return (
    <Box component="section" aria-labelledby="views-heading">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 1, flexWrap: 'wrap' }}>
        <Typography id="views-heading" variant="subtitle2" component="h2" color="text.secondary">
          GENERATED VIEWS ({views.length})
        </Typography>
        <ToggleButtonGroup size="small" exclusive value={effectiveMode} onChange={(_e, v: CompareMode | null) => v && onModeChange(v)} aria-label="Compare mode">
          <ToggleButton value="views">Views</ToggleButton>
          <ToggleButton value="side-by-side" disabled={!hasRenders}>
            Side by side
          </ToggleButton>
          <ToggleButton value="overlay" disabled={!hasRenders}>
            Overlay
          </ToggleButton>
          <ToggleButton value="difference" disabled={!hasRenders}>
            Difference
          </ToggleButton>
        </ToggleButtonGroup>
        {effectiveMode === 'difference' && <HeatLegend />}
        {effectiveMode === 'overlay' && <Slider size="small" aria-label="Wipe between generated view and head render" value={wipe} onChange={(_e, v) => setWipe(v as number)} sx={{ width: 160 }} />}
        {!hasRenders && (
          <Typography variant="caption" color="text.secondary">
            Head renders appear here once the optimisation stage has produced them.
          </Typography>
        )}
        {run.metrics?.meanPsnr !== undefined && <Typography variant="caption">Mean PSNR {run.metrics.meanPsnr.toFixed(2)} dB</Typography>}
      </Box>
      <Box component="ol" aria-label="Views by azimuth" sx={{ display: 'grid', gridTemplateColumns: `repeat(auto-fill, minmax(${effectiveMode === 'side-by-side' ? 220 : 110}px, 1fr))`, gap: 1, p: 0, m: 0, listStyle: 'none' }}>
        {order.filter((i) => i < views.length).map((i) => {
          const az = VIEW_AZIMUTHS_DEG[i];
          const label = `View ${i}, azimuth ${az.toFixed(1)}°`;
          const bad = markedBad.includes(i);
          return (
            <Box component="li" key={i} data-testid="view-tile" data-view={i} data-marked-bad={bad ? 'true' : 'false'}>
              <ButtonBase
                onClick={() => onPickView(i, az)}
                aria-label={`${label}: show the 3D head from here`}
                sx={{ display: 'block', width: '100%', borderRadius: 1, overflow: 'hidden', bgcolor: '#fff', outline: bad ? '2px solid' : 'none', outlineColor: 'error.main', opacity: ignoredInRun.has(i) ? 0.55 : 1, '&.Mui-focusVisible': { outline: '3px solid', outlineColor: 'primary.main', outlineOffset: 2 } }}
              >
                {effectiveMode === 'side-by-side' ? (
                  <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr' }}>
                    <Box component="img" src={assetSrc(views[i])} alt={`${label}, generated`} sx={{ width: '100%', display: 'block' }} />
                    <Box component="img" src={assetSrc(renders[i])} alt={`${label}, head render`} sx={{ width: '100%', display: 'block' }} />
                  </Box>
                ) : effectiveMode === 'difference' ? (
                  <DifferenceHeatmap viewSrc={assetSrc(views[i]) ?? ''} renderSrc={assetSrc(renders[i]) ?? ''} label={`${label}: difference between generated view and head render`} />
                ) : effectiveMode === 'overlay' ? (
                  <Box sx={{ position: 'relative' }}>
                    <Box component="img" src={assetSrc(renders[i])} alt={`${label}, head render`} sx={{ width: '100%', display: 'block' }} />
                    <Box component="img" src={assetSrc(views[i])} alt={`${label}, generated`} sx={{ position: 'absolute', inset: 0, width: '100%', clipPath: `inset(0 ${100 - wipe}% 0 0)` }} />
                  </Box>
                ) : (
                  <Box component="img" src={assetSrc(views[i])} alt={`${label}, generated`} sx={{ width: '100%', display: 'block' }} />
                )}
              </ButtonBase>
              <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'center', gap: 0.5 }}>
                <Typography variant="caption" component="p" data-testid="view-psnr">
                  {az.toFixed(0)}°{psnr?.[i] !== undefined ? ` · ${psnr[i].toFixed(1)} dB` : ''}
                  {ignoredInRun.has(i) ? ' · ignored' : ''}
                </Typography>
                <Tooltip title={bad ? 'Marked bad: the next run ignores this view' : 'Mark as bad: the next run ignores this view'}>
                  <IconButton size="small" aria-label={`Mark view ${i} as bad`} aria-pressed={bad} onClick={() => onToggleBad(i)} color={bad ? 'error' : 'default'} sx={{ p: 0.25 }}>
                    {bad ? <FlagIcon fontSize="inherit" /> : <OutlinedFlagIcon fontSize="inherit" />}
                  </IconButton>
                </Tooltip>
              </Box>
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}
