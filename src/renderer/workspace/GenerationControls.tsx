/**
 * Generation controls: elevation (-10..40 deg, 'auto' = the preprocess estimate, marked on the slider),
 * seed with randomise and lock, quality preset, backend (weight-free default or a valid model pack),
 * advanced overrides (optimisation steps; views marked bad in the view grid), and what the next run
 * carries over (a committed style) with one click to drop it. Run/Cancel: RunButton, pinned below.
 */
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  Button,
  Chip,
  FormControl,
  FormControlLabel,
  IconButton,
  InputLabel,
  MenuItem,
  Select,
  Slider,
  Switch,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import CasinoOutlinedIcon from '@mui/icons-material/CasinoOutlined';
import LockIcon from '@mui/icons-material/Lock';
import LockOpenIcon from '@mui/icons-material/LockOpen';
import RedoIcon from '@mui/icons-material/Redo';
import UndoIcon from '@mui/icons-material/Undo';
import { ELEVATION_RANGE_DEG, INPUT_FOVY_RANGE_DEG } from '../../shared/camera';
import type { BackendId, EngineInfo, Quality } from '../../shared/contracts/studio-api';
import { randomSeed, seedNote, type EditableSettings } from './run-settings-store';
import { OptionalNumberField } from '../common/OptionalNumberField';

export interface GenerationControlsProps {
  value: EditableSettings;
  onChange(value: EditableSettings): void;
  autoElevationDeg: number | null;
  engineInfo: EngineInfo | null;
  /** Open the seed explorer (quick previews of several seeds). */
  onExploreSeeds(): void;
  /** Undo/redo of settings edits (Ctrl+Z / Ctrl+Shift+Z), shown as buttons next to the heading. */
  history?: { undo(): void; redo(): void; canUndo: boolean; canRedo: boolean };
  /** The seed the project's newest run used (null before the first run), told under the seed box. */
  lastRunSeed?: number | null;
}

const QUALITY_LABELS: Record<Quality, string> = {
  draft: 'Draft (fast preview)',
  standard: 'Standard',
  high: 'High',
};

export function GenerationControls({
  value,
  onChange,
  autoElevationDeg,
  engineInfo,
  onExploreSeeds,
  history,
  lastRunSeed = null,
}: GenerationControlsProps) {
  const { settings, seedLocked } = value;
  const set = (patch: Partial<EditableSettings['settings']>): void =>
    onChange({ ...value, settings: { ...settings, ...patch } });
  const isAuto = settings.elevationDeg === 'auto';
  const shownElevation = isAuto ? (autoElevationDeg ?? 0) : (settings.elevationDeg as number);
  // The auto estimate is marked on the track; a fixed label closer than 6 degrees to it would print
  // on top of "auto", so that label steps aside.
  const fixed = [ELEVATION_RANGE_DEG.min, 0, ELEVATION_RANGE_DEG.max].filter(
    (v) => autoElevationDeg === null || Math.abs(v - autoElevationDeg) >= 6,
  );
  const marks = [
    ...fixed.map((v) => ({ value: v, label: `${v}°` })),
    ...(autoElevationDeg !== null ? [{ value: autoElevationDeg, label: 'auto' }] : []),
  ];
  const packs = engineInfo?.modelPacks ?? [];
  const ep = engineInfo?.executionProviders.join(', ') || 'CPU';

  return (
    <Box
      component="section"
      aria-labelledby="generate-heading"
      sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center' }}>
        <Typography
          id="generate-heading"
          variant="subtitle2"
          component="h2"
          color="text.secondary"
          sx={{ flex: 1 }}
        >
          GENERATE
        </Typography>
        {history && (
          <>
            <Tooltip title="Undo settings change (Ctrl+Z)">
              <span>
                <IconButton
                  size="small"
                  aria-label="Undo settings change"
                  onClick={history.undo}
                  disabled={!history.canUndo}
                >
                  <UndoIcon fontSize="small" />
                </IconButton>
              </span>
            </Tooltip>
            <Tooltip title="Redo settings change (Ctrl+Shift+Z)">
              <span>
                <IconButton
                  size="small"
                  aria-label="Redo settings change"
                  onClick={history.redo}
                  disabled={!history.canRedo}
                >
                  <RedoIcon fontSize="small" />
                </IconButton>
              </span>
            </Tooltip>
          </>
        )}
      </Box>

      <Box>
        <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
          <Typography id="elevation-label" variant="body2">
            Elevation:{' '}
            {isAuto
              ? `auto (${autoElevationDeg !== null ? `${autoElevationDeg.toFixed(1)}°` : 'estimated when the run starts'})`
              : `${shownElevation}°`}
          </Typography>
          <FormControlLabel
            control={
              <Switch
                size="small"
                checked={isAuto}
                onChange={(e) =>
                  set({ elevationDeg: e.target.checked ? 'auto' : Math.round(shownElevation) })
                }
              />
            }
            label="Auto"
          />
        </Box>
        <Slider
          aria-labelledby="elevation-label"
          min={ELEVATION_RANGE_DEG.min}
          max={ELEVATION_RANGE_DEG.max}
          step={1}
          marks={marks}
          value={shownElevation}
          valueLabelDisplay="auto"
          valueLabelFormat={(v) => `${v}°`}
          onChange={(_e, v) => set({ elevationDeg: v as number })}
          sx={{ mx: 1, width: 'calc(100% - 16px)' }}
        />
      </Box>

      <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}>
        <TextField
          size="small"
          label="Seed"
          type="number"
          value={settings.seed}
          onChange={(e) => {
            const n = Math.trunc(Number(e.target.value));
            if (Number.isFinite(n)) set({ seed: Math.max(0, Math.min(2 ** 31 - 1, n)) });
          }}
          slotProps={{
            htmlInput: { min: 0, max: 2 ** 31 - 1 },
            formHelperText: { 'data-testid': 'seed-note' } as object,
          }}
          helperText={seedNote(settings.seed, lastRunSeed, seedLocked)}
          sx={{ flex: 1 }}
        />
        <Tooltip title="New random seed">
          <span>
            <IconButton
              aria-label="Randomise seed"
              onClick={() => set({ seed: randomSeed() })}
              disabled={seedLocked}
            >
              <CasinoOutlinedIcon />
            </IconButton>
          </span>
        </Tooltip>
        <Tooltip
          title={seedLocked ? 'Seed locked: Run keeps it' : 'Seed unlocked: every Run picks a new one'}
        >
          <IconButton
            aria-label={seedLocked ? 'Unlock seed' : 'Lock seed'}
            aria-pressed={seedLocked}
            onClick={() => onChange({ ...value, seedLocked: !seedLocked })}
          >
            {seedLocked ? <LockIcon /> : <LockOpenIcon />}
          </IconButton>
        </Tooltip>
      </Box>

      <Button size="small" variant="text" onClick={onExploreSeeds} sx={{ alignSelf: 'flex-start', mt: -1 }}>
        Explore seeds…
      </Button>

      <FormControl size="small" fullWidth>
        <InputLabel id="quality-label">Quality</InputLabel>
        <Select
          labelId="quality-label"
          label="Quality"
          value={settings.quality}
          onChange={(e) => set({ quality: e.target.value as Quality })}
        >
          {(Object.keys(QUALITY_LABELS) as Quality[]).map((q) => (
            <MenuItem key={q} value={q}>
              {QUALITY_LABELS[q]}
            </MenuItem>
          ))}
        </Select>
      </FormControl>

      <FormControl size="small" fullWidth>
        <InputLabel id="backend-label">Backend</InputLabel>
        <Select
          labelId="backend-label"
          label="Backend"
          value={settings.backend}
          onChange={(e) => set({ backend: e.target.value as BackendId })}
        >
          <MenuItem value="default">Weight-free default ({ep})</MenuItem>
          {packs.map((p) => (
            <MenuItem key={p.name} value={`pack:${p.name}`} disabled={!p.valid}>
              {p.name} {p.version} {p.valid ? `(${ep})` : `— invalid: ${p.problem ?? 'see doctor'}`}
            </MenuItem>
          ))}
        </Select>
      </FormControl>

      <Accordion
        disableGutters
        variant="outlined"
        defaultExpanded={
          settings.steps !== undefined ||
          settings.inputFovyDeg !== undefined ||
          (settings.ignoredViews?.length ?? 0) > 0
        }
        sx={{ bgcolor: 'transparent' }}
      >
        <AccordionSummary
          expandIcon={<ExpandMoreIcon />}
          aria-controls="advanced-content"
          id="advanced-header"
        >
          <Typography variant="body2">Advanced</Typography>
        </AccordionSummary>
        <AccordionDetails id="advanced-content" sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
          <OptionalNumberField
            label="Optimisation steps"
            placeholder="preset"
            value={settings.steps}
            min={1}
            max={100_000}
            integer
            helperText="Empty = the quality preset's schedule. Fewer steps: faster, blurrier."
            onChange={(steps) => set({ steps })}
          />
          <OptionalNumberField
            label="Lens field of view (°)"
            placeholder="auto"
            value={settings.inputFovyDeg}
            min={INPUT_FOVY_RANGE_DEG.min}
            max={INPUT_FOVY_RANGE_DEG.max}
            step={1}
            helperText="The photo's vertical field of view. Empty = its EXIF focal length, else estimated (a phone held upright: about 65°)."
            onChange={(inputFovyDeg) => set({ inputFovyDeg })}
          />
          <Box>
            <Typography variant="caption" component="p" id="ignored-label">
              Views ignored by the next run (flag them in the view grid):
            </Typography>
            {settings.ignoredViews?.length ? (
              <Box
                sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', mt: 0.5 }}
                role="list"
                aria-labelledby="ignored-label"
              >
                {settings.ignoredViews.map((v) => (
                  <Chip
                    key={v}
                    role="listitem"
                    size="small"
                    label={`view ${v}`}
                    onDelete={() => set({ ignoredViews: settings.ignoredViews?.filter((x) => x !== v) })}
                  />
                ))}
              </Box>
            ) : (
              <Typography variant="caption" color="text.secondary">
                none
              </Typography>
            )}
          </Box>
        </AccordionDetails>
      </Accordion>

      {(settings.style || settings.ignoredViews?.length) && (
        <Box
          data-testid="next-run-carries"
          sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', alignItems: 'center' }}
        >
          <Typography variant="caption" component="p" color="text.secondary" sx={{ width: '100%' }}>
            Kept for every next run until cleared:
          </Typography>
          {settings.style && (
            <Chip
              size="small"
              color="secondary"
              label={`Style ${settings.style.name} ${Math.round(settings.style.strength * 100)}%`}
              onDelete={() => set({ style: undefined })}
              aria-label={`Next runs use the ${settings.style.name} style; clear it`}
            />
          )}
          {settings.ignoredViews?.length ? (
            <Chip
              size="small"
              label={`Ignoring ${settings.ignoredViews.length} of 16 views`}
              onDelete={() => set({ ignoredViews: undefined })}
              aria-label={`Next runs ignore ${settings.ignoredViews.length} flagged views; clear them`}
            />
          ) : null}
        </Box>
      )}
    </Box>
  );
}
