/**
 * The 16 generated views laid out by azimuth (-146° … 180°), each with the head rendered from the same
 * camera when the run has renders: side by side, or overlaid with a wipe slider; per-view PSNR under
 * each. Clicking a view moves the 3D camera there. Shows nothing it does not have: no views, no grid.
 */
import { useMemo, useState } from 'react';
import { Box, ButtonBase, Slider, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { VIEW_AZIMUTHS_DEG } from '../../shared/camera';
import type { RunSummary } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';

export type CompareMode = 'views' | 'side-by-side' | 'overlay';

/** View indices ordered by signed azimuth in (-180, 180], so the grid reads left profile -> front -> right profile -> back. */
export function viewOrderByAzimuth(azimuths: readonly number[] = VIEW_AZIMUTHS_DEG): number[] {
  const signed = (a: number): number => (a > 180 ? a - 360 : a);
  return azimuths.map((a, i) => ({ i, a: signed(a) })).sort((x, y) => (x.a === 180 ? 1 : y.a === 180 ? -1 : x.a - y.a)).map((x) => x.i);
}

export function ViewGrid({ run, onPickView }: { run: RunSummary; onPickView(index: number, azimuthDeg: number): void }) {
  const { assetSrc } = useStudio();
  const views = run.viewUrls ?? [];
  const renders = run.renderUrls ?? [];
  const hasRenders = renders.length === views.length && renders.length > 0;
  const [mode, setMode] = useState<CompareMode>('views');
  const [wipe, setWipe] = useState(50);
  const order = useMemo(() => viewOrderByAzimuth(), []);
  const psnr = run.metrics?.perViewPsnr;

  if (views.length === 0) return null;
  const effectiveMode = hasRenders ? mode : 'views';
  return (
    <Box component="section" aria-labelledby="views-heading">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 1, flexWrap: 'wrap' }}>
        <Typography id="views-heading" variant="subtitle2" component="h2" color="text.secondary">
          GENERATED VIEWS ({views.length})
        </Typography>
        <ToggleButtonGroup size="small" exclusive value={effectiveMode} onChange={(_e, v: CompareMode | null) => v && setMode(v)} aria-label="Compare mode">
          <ToggleButton value="views">Views</ToggleButton>
          <ToggleButton value="side-by-side" disabled={!hasRenders}>
            Side by side
          </ToggleButton>
          <ToggleButton value="overlay" disabled={!hasRenders}>
            Overlay
          </ToggleButton>
        </ToggleButtonGroup>
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
          return (
            <Box component="li" key={i} data-testid="view-tile">
              <ButtonBase onClick={() => onPickView(i, az)} aria-label={`${label}: show the 3D head from here`} sx={{ display: 'block', width: '100%', borderRadius: 1, overflow: 'hidden', bgcolor: '#fff' }}>
                {effectiveMode === 'side-by-side' ? (
                  <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr' }}>
                    <Box component="img" src={assetSrc(views[i])} alt={`${label}, generated`} sx={{ width: '100%', display: 'block' }} />
                    <Box component="img" src={assetSrc(renders[i])} alt={`${label}, head render`} sx={{ width: '100%', display: 'block' }} />
                  </Box>
                ) : effectiveMode === 'overlay' ? (
                  <Box sx={{ position: 'relative' }}>
                    <Box component="img" src={assetSrc(renders[i])} alt={`${label}, head render`} sx={{ width: '100%', display: 'block' }} />
                    <Box component="img" src={assetSrc(views[i])} alt={`${label}, generated`} sx={{ position: 'absolute', inset: 0, width: '100%', clipPath: `inset(0 ${100 - wipe}% 0 0)` }} />
                  </Box>
                ) : (
                  <Box component="img" src={assetSrc(views[i])} alt={`${label}, generated`} sx={{ width: '100%', display: 'block' }} />
                )}
              </ButtonBase>
              <Typography variant="caption" component="p" sx={{ textAlign: 'center' }}>
                {az.toFixed(0)}°{psnr?.[i] !== undefined ? ` · ${psnr[i].toFixed(1)} dB` : ''}
              </Typography>
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}
