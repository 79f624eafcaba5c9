/**
 * The 16 generated views laid out by azimuth (-146° … 180°), each with the head rendered from the same
 * camera when the run has renders: side by side, overlaid with a wipe slider, or as a difference
 * heatmap; per-view PSNR under each. Compact: eight tiles a row (four pairs side by side), so the grid
 * fits under the 3D preview. Clicking a view moves the 3D camera there and marks the tile (the one the
 * camera shows); the flag button marks a view as bad so the next run's optimisation ignores it
 * (settings.ignoredViews). Side by side and overlay name their halves ("generated" / "render"). Shows
 * nothing it does not have: no views, no grid.
 */
import { useMemo, useState } from 'react';
import {
  Box,
  ButtonBase,
  IconButton,
  Slider,
  ToggleButton,
  ToggleButtonGroup,
  Tooltip,
  Typography,
} from '@mui/material';
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
  return azimuths
    .map((a, i) => ({ i, a: signed(a) }))
    .sort((x, y) => (x.a === 180 ? 1 : y.a === 180 ? -1 : x.a - y.a))
    .map((x) => x.i);
}

export interface ViewGridProps {
  run: RunSummary;
  onPickView(index: number, azimuthDeg: number): void;
  /** The view the 3D camera was last snapped to (marked), or null once the camera moved elsewhere. */
  pickedView?: number | null;
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
    <Box
      sx={{ display: 'flex', alignItems: 'center', gap: 1 }}
      aria-label={`Heatmap scale: black = identical, white = ${HEATMAP_FULL_SCALE * 100}% or more difference`}
      role="img"
    >
      <Typography variant="caption">0</Typography>
      <Box
        sx={{ width: 100, height: 10, borderRadius: 0.5, background: `linear-gradient(90deg, ${stops})` }}
      />
      <Typography variant="caption">≥{HEATMAP_FULL_SCALE * 100}%</Typography>
    </Box>
  );
}

export function ViewGrid({
  run,
  onPickView,
  pickedView = null,
  markedBad,
  onToggleBad,
  mode,
  onModeChange,
}: ViewGridProps) {
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
        <ToggleButtonGroup
          size="small"
          exclusive
          value={effectiveMode}
          onChange={(_e, v: CompareMode | null) => v && onModeChange(v)}
          aria-label="Compare mode"
        >
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
        {effectiveMode === 'side-by-side' && (
          <Typography variant="caption" color="text.secondary" data-testid="pair-legend">
            Each pair: generated (left) · render (right)
          </Typography>
        )}
        {effectiveMode === 'overlay' && (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }} data-testid="overlay-legend">
            <Typography variant="caption" id="wipe-render">
              render
            </Typography>
            <Slider
              size="small"
              aria-label="Overlay: share of each tile showing the generated view (left) over the render (right)"
              value={wipe}
              valueLabelDisplay="auto"
              valueLabelFormat={(v) => `${v}% generated`}
              onChange={(_e, v) => setWipe(v as number)}
              sx={{ width: 140 }}
            />
            <Typography variant="caption" id="wipe-generated">
              generated
            </Typography>
          </Box>
        )}
        {!hasRenders && (
          <Typography variant="caption" color="text.secondary">
            Head renders appear here once the optimisation stage has produced them.
          </Typography>
        )}
        {run.metrics?.meanPsnr !== undefined && (
          <Typography variant="caption">Mean PSNR {run.metrics.meanPsnr.toFixed(2)} dB</Typography>
        )}
      </Box>
      <Box
        component="ol"
        aria-label="Views by azimuth"
        sx={{
          display: 'grid',
          gridTemplateColumns: `repeat(${effectiveMode === 'side-by-side' ? 4 : 8}, minmax(0, 1fr))`,
          gap: 1,
          p: 0,
          m: 0,
          listStyle: 'none',
        }}
      >
        {order
          .filter((i) => i < views.length)
          .map((i) => {
            const az = VIEW_AZIMUTHS_DEG[i];
            const label = `View ${i}, azimuth ${az.toFixed(1)}°`;
            const bad = markedBad.includes(i);
            const picked = pickedView === i;
            return (
              <Box
                component="li"
                key={i}
                data-testid="view-tile"
                data-view={i}
                data-marked-bad={bad ? 'true' : 'false'}
                data-picked={picked ? 'true' : 'false'}
              >
                <ButtonBase
                  onClick={() => onPickView(i, az)}
                  aria-label={`${label}: show the 3D head from here`}
                  aria-current={picked ? 'true' : undefined}
                  sx={{
                    display: 'block',
                    width: '100%',
                    borderRadius: 1,
                    overflow: 'hidden',
                    bgcolor: '#fff',
                    outline: bad || picked ? '3px solid' : 'none',
                    outlineOffset: picked ? -3 : 0,
                    outlineColor: bad ? 'error.main' : 'primary.main',
                    opacity: ignoredInRun.has(i) ? 0.55 : 1,
                    '&.Mui-focusVisible': {
                      outline: '3px solid',
                      outlineColor: 'primary.main',
                      outlineOffset: 2,
                    },
                  }}
                >
                  {effectiveMode === 'side-by-side' ? (
                    <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr' }}>
                      {[
                        { src: views[i], alt: `${label}, generated`, word: 'generated' },
                        { src: renders[i], alt: `${label}, head render`, word: 'render' },
                      ].map((half) => (
                        <Box key={half.word} sx={{ position: 'relative' }}>
                          <Box
                            component="img"
                            src={assetSrc(half.src)}
                            alt={half.alt}
                            sx={{ width: '100%', display: 'block' }}
                          />
                          <Box
                            component="span"
                            aria-hidden
                            sx={{
                              position: 'absolute',
                              left: 2,
                              top: 2,
                              px: 0.5,
                              fontSize: 10,
                              lineHeight: 1.4,
                              borderRadius: 0.5,
                              color: '#fff',
                              bgcolor: 'rgba(0,0,0,0.55)',
                            }}
                          >
                            {half.word}
                          </Box>
                        </Box>
                      ))}
                    </Box>
                  ) : effectiveMode === 'difference' ? (
                    <DifferenceHeatmap
                      viewSrc={assetSrc(views[i]) ?? ''}
                      renderSrc={assetSrc(renders[i]) ?? ''}
                      label={`${label}: difference between generated view and head render`}
                    />
                  ) : effectiveMode === 'overlay' ? (
                    <Box sx={{ position: 'relative' }}>
                      <Box
                        component="img"
                        src={assetSrc(renders[i])}
                        alt={`${label}, head render`}
                        sx={{ width: '100%', display: 'block' }}
                      />
                      <Box
                        component="img"
                        src={assetSrc(views[i])}
                        alt={`${label}, generated`}
                        sx={{
                          position: 'absolute',
                          inset: 0,
                          width: '100%',
                          clipPath: `inset(0 ${100 - wipe}% 0 0)`,
                        }}
                      />
                    </Box>
                  ) : (
                    <Box
                      component="img"
                      src={assetSrc(views[i])}
                      alt={`${label}, generated`}
                      sx={{ width: '100%', display: 'block' }}
                    />
                  )}
                </ButtonBase>
                <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'center', gap: 0.5 }}>
                  <Typography
                    variant="caption"
                    component="p"
                    data-testid="view-psnr"
                    noWrap
                    sx={{ fontSize: 11, minWidth: 0 }}
                  >
                    {az.toFixed(0)}°{psnr?.[i] !== undefined ? ` · ${psnr[i].toFixed(1)} dB` : ''}
                    {ignoredInRun.has(i) ? ' · ignored' : ''}
                  </Typography>
                  <Tooltip
                    title={
                      bad
                        ? 'Marked bad: the next run ignores this view'
                        : 'Mark as bad: the next run ignores this view'
                    }
                  >
                    <IconButton
                      size="small"
                      aria-label={`Mark view ${i} as bad`}
                      aria-pressed={bad}
                      onClick={() => onToggleBad(i)}
                      color={bad ? 'error' : 'default'}
                      sx={{ p: 0.25 }}
                    >
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
