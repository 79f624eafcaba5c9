/**
 * Stylize panel (before generation, the paper's stylized heads): pick a 2D style (a built-in one, or a
 * style of an installed style pack: an ONNX image-to-image network) and its strength, see the
 * preprocessed portrait before and after it (the engine renders a 256 px preview a moment after the
 * last change), and "Use for next run" to put it into the run settings (RunSettings.style), where the
 * pipeline applies it to the portrait before the multi-view stage.
 */
import { useEffect, useState } from 'react';
import { Alert, Box, Button, Chip, CircularProgress, FormControl, InputLabel, ListSubheader, MenuItem, Select, Slider, Typography } from '@mui/material';
import BrushOutlinedIcon from '@mui/icons-material/BrushOutlined';
import type { PortraitStyle, PortraitStyleChoice, PortraitStylePreview } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';
import { useAsyncAction } from '../common/useAsyncAction';
import { styleMenu } from './style-choices';

/** Wait this long after the last slider move before asking the engine for a preview. */
const PREVIEW_DEBOUNCE_MS = 350;

export interface StylizePanelProps {
  projectId: string;
  /** The style the next run will use (RunSettings.style), if any. */
  committed: PortraitStyle | undefined;
  onCommit(style: PortraitStyle | undefined): void;
}

export function StylizePanel({ projectId, committed, onCommit }: StylizePanelProps) {
  const { api, assetSrc } = useStudio();
  const [name, setName] = useState<PortraitStyle['name']>(committed?.name ?? 'cel');
  const [strength, setStrength] = useState(committed?.strength ?? 0.7);
  const [enabled, setEnabled] = useState(false);
  // The last preview that arrived stays on show while the next one renders.
  const [shown, setShown] = useState<PortraitStylePreview | null>(null);
  const choices = useAsyncAction(() => api.listPortraitStyles());
  const preview = useAsyncAction((style: PortraitStyle) => api.previewPortraitStyle({ projectId, style }));
  const { run: listChoices } = choices;
  const { run: renderPreview, reset: dropPreview } = preview;

  useEffect(() => void listChoices(), [listChoices]);

  useEffect(() => {
    if (!enabled) return;
    const timer = setTimeout(() => {
      dropPreview(); // a newer preview replaces one still rendering (its late result is dropped)
      void renderPreview({ name, strength }).then((p) => p && setShown(p));
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [renderPreview, dropPreview, projectId, name, strength, enabled]);

  const menu = styleMenu(choices.result, committed);
  const labelOf = (id: string): string => [...menu.builtin, ...menu.packs].find((c: PortraitStyleChoice) => c.id === id)?.label ?? id;
  const isCommitted = committed?.name === name && committed.strength === strength;
  const error = preview.error ?? (choices.error ? `Could not list the style packs: ${choices.error}` : null);

  return (
    <Box component="section" aria-labelledby="stylize-heading" data-testid="stylize-panel" sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
      <Typography id="stylize-heading" variant="subtitle2" component="h2" color="text.secondary">
        STYLIZE (BEFORE GENERATION)
      </Typography>
      <FormControl size="small" fullWidth>
        <InputLabel id="style-name-label">Style</InputLabel>
        <Select labelId="style-name-label" label="Style" value={name} onChange={(e) => setName(e.target.value as PortraitStyle['name'])} renderValue={(v) => labelOf(v)}>
          <ListSubheader>Built-in</ListSubheader>
          {menu.builtin.map((c) => (
            <MenuItem key={c.id} value={c.id}>
              {c.label}
            </MenuItem>
          ))}
          <ListSubheader>Style packs</ListSubheader>
          {menu.packs.map((c) => (
            <MenuItem key={c.id} value={c.id}>
              {c.label}
            </MenuItem>
          ))}
          {menu.packs.length === 0 && (
            <MenuItem disabled value="">
              {choices.busy ? 'Looking for style packs…' : 'No style packs installed'}
            </MenuItem>
          )}
        </Select>
      </FormControl>
      <Box>
        <Typography id="style-strength-label" variant="body2">
          Strength: {Math.round(strength * 100)}%
        </Typography>
        <Slider aria-labelledby="style-strength-label" size="small" min={0} max={1} step={0.05} value={strength} onChange={(_e, v) => setStrength(Math.round((v as number) * 100) / 100)} valueLabelDisplay="auto" valueLabelFormat={(v) => `${Math.round(v * 100)}%`} />
      </Box>
      {!enabled ? (
        <Button variant="outlined" size="small" startIcon={<BrushOutlinedIcon />} onClick={() => setEnabled(true)}>
          Preview style
        </Button>
      ) : (
        <Box role="group" aria-label="Style preview: before and after" aria-busy={preview.busy} sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 1, position: 'relative' }}>
          {(['before', 'after'] as const).map((which) => (
            <Box key={which} component="figure" sx={{ m: 0 }}>
              <Box sx={{ aspectRatio: '1', bgcolor: 'background.default', borderRadius: 1, overflow: 'hidden', border: 1, borderColor: 'divider' }}>
                {shown && <Box component="img" src={assetSrc(which === 'before' ? shown.beforeUrl : shown.afterUrl)} alt={which === 'before' ? 'Portrait before the style' : `Portrait in the ${shown.style.name} style at ${Math.round(shown.style.strength * 100)}%`} sx={{ width: '100%', height: '100%', display: 'block' }} />}
              </Box>
              <Typography component="figcaption" variant="caption" color="text.secondary">
                {which === 'before' ? 'Before' : `After: ${shown ? labelOf(shown.style.name) : '…'}`}
              </Typography>
            </Box>
          ))}
          {preview.busy && <CircularProgress size={28} aria-label="Rendering the style preview" sx={{ position: 'absolute', top: 'calc(50% - 24px)', left: 'calc(75% - 14px)' }} />}
        </Box>
      )}
      {error && (
        <Alert severity="error" role="alert">
          {error}
        </Alert>
      )}
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <Button variant="contained" size="small" disabled={isCommitted} onClick={() => onCommit({ name, strength })}>
          Use for next run
        </Button>
        {committed && (
          <Chip size="small" color="secondary" label={`Next run: ${committed.name} ${Math.round(committed.strength * 100)}%`} onDelete={() => onCommit(undefined)} aria-label={`Next run uses the ${committed.name} style; remove it`} />
        )}
      </Box>
    </Box>
  );
}
