/**
 * 3D restyle (after generation), next to the splat preview: hue/saturation, tint, posterise and
 * palette mapping of the head's Gaussian colours. Every change goes straight to the preview (the
 * workspace recolours the shown head in the page with src/shared/stylize); "Save as new run" asks the
 * engine to write the same recolouring as a run variant, which is exported like any head.
 */
import { useEffect, useMemo, useState } from 'react';
import { Box, Button, FormControl, InputLabel, MenuItem, Select, Slider, TextField, Typography } from '@mui/material';
import type { HeadRestyleOp } from '../../shared/contracts/studio-api';
import { parseHexColor } from '../../shared/stylize';

type Rgb = [number, number, number];

/** Built-in palettes (sRGB hex), nearest colour in CIELAB. */
export const PALETTES: Record<string, { label: string; colours: string[] }> = {
  retro: { label: 'Retro (warm 4-colour)', colours: ['#1b1b3a', '#e0c097', '#b85c38', '#5c3d2e'] },
  pastel: { label: 'Pastel', colours: ['#f7d6e0', '#b8e0d2', '#eac4d5', '#95b8d1', '#fbf8cc', '#809bce'] },
  noir: { label: 'Noir (3 greys)', colours: ['#111111', '#777777', '#eeeeee'] },
  vapor: { label: 'Vaporwave', colours: ['#ff71ce', '#01cdfe', '#05ffa1', '#b967ff', '#fffb96', '#2d1b4e'] },
};

export interface RestyleParams {
  hueDeg: number;
  saturation: number;
  tint: string;
  tintStrength: number;
  posterizeLevels: number; // 0 = off
  palette: string; // '' = off
  paletteStrength: number;
}

export const NEUTRAL_RESTYLE: RestyleParams = { hueDeg: 0, saturation: 1, tint: '#ffb080', tintStrength: 0, posterizeLevels: 0, palette: '', paletteStrength: 1 };

/** The ops for a set of control values, in the order they apply; [] when everything is neutral. */
export function restyleOps(p: RestyleParams): HeadRestyleOp[] {
  const ops: HeadRestyleOp[] = [];
  if (p.hueDeg !== 0 || p.saturation !== 1) ops.push({ kind: 'hueSaturation', hueDeg: p.hueDeg, saturation: p.saturation });
  if (p.tintStrength > 0) ops.push({ kind: 'tint', color: parseHexColor(p.tint) as Rgb, strength: p.tintStrength });
  if (p.posterizeLevels >= 2) ops.push({ kind: 'posterize', levels: p.posterizeLevels, strength: 1 });
  if (p.palette && PALETTES[p.palette] && p.paletteStrength > 0)
    ops.push({ kind: 'palette', palette: PALETTES[p.palette].colours.map((c) => parseHexColor(c) as Rgb), strength: p.paletteStrength });
  return ops;
}

export interface RestyleControlsProps {
  /** False while there is no finished head to restyle (the controls are disabled, with the reason). */
  available: boolean;
  unavailableReason: string;
  onChange(ops: HeadRestyleOp[]): void;
  /** Save the variant; resolves true when saved (the controls then go back to neutral: the new run is already restyled). */
  onSave(ops: HeadRestyleOp[]): Promise<boolean>;
  /** Why the live restyle could not be shown, if it could not. */
  error: string | null;
}

function LabelledSlider({ id, label, value, min, max, step, format, onChange, disabled }: { id: string; label: string; value: number; min: number; max: number; step: number; format(v: number): string; onChange(v: number): void; disabled: boolean }) {
  return (
    <Box sx={{ minWidth: 150, flex: '1 1 150px' }}>
      <Typography id={id} variant="caption" color={disabled ? 'text.disabled' : 'text.secondary'}>
        {label}: {format(value)}
      </Typography>
      <Slider aria-labelledby={id} size="small" value={value} min={min} max={max} step={step} onChange={(_e, v) => onChange(v as number)} disabled={disabled} valueLabelDisplay="auto" valueLabelFormat={format} />
    </Box>
  );
}

export function RestyleControls({ available, unavailableReason, onChange, onSave, error }: RestyleControlsProps) {
  const [params, setParams] = useState<RestyleParams>(NEUTRAL_RESTYLE);
  const [saving, setSaving] = useState(false);
  const ops = useMemo(() => restyleOps(params), [params]);
  useEffect(() => onChange(available ? ops : []), [ops, available, onChange]);
  const set = (patch: Partial<RestyleParams>): void => setParams((p) => ({ ...p, ...patch }));
  const off = !available;
  const pct = (v: number): string => `${Math.round(v * 100)}%`;

  return (
    <Box component="section" aria-labelledby="restyle-heading" data-testid="restyle-controls" sx={{ mx: 2, mt: 1, p: 1.5, border: 1, borderColor: 'divider', borderRadius: 1, display: 'flex', flexDirection: 'column', gap: 1 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Typography id="restyle-heading" variant="subtitle2" component="h2" color="text.secondary" sx={{ mr: 'auto' }}>
          3D RESTYLE {off ? `(${unavailableReason})` : ops.length ? '(live in the preview, not saved)' : ''}
        </Typography>
        <Button size="small" disabled={off || ops.length === 0} onClick={() => setParams(NEUTRAL_RESTYLE)}>
          Reset
        </Button>
        <Button
          size="small"
          variant="contained"
          disabled={off || ops.length === 0 || saving}
          onClick={() => {
            setSaving(true);
            void onSave(ops).then(
              (saved) => {
                setSaving(false);
                if (saved) setParams(NEUTRAL_RESTYLE);
              },
              () => setSaving(false),
            );
          }}
        >
          {saving ? 'Saving…' : 'Save as new run'}
        </Button>
      </Box>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center' }}>
        <LabelledSlider id="restyle-hue" label="Hue" value={params.hueDeg} min={-180} max={180} step={5} format={(v) => `${v}°`} onChange={(v) => set({ hueDeg: v })} disabled={off} />
        <LabelledSlider id="restyle-saturation" label="Saturation" value={params.saturation} min={0} max={2} step={0.05} format={pct} onChange={(v) => set({ saturation: v })} disabled={off} />
        <TextField size="small" type="color" label="Tint colour" value={params.tint} onChange={(e) => set({ tint: e.target.value })} disabled={off} sx={{ width: 100 }} />
        <LabelledSlider id="restyle-tint" label="Tint strength" value={params.tintStrength} min={0} max={1} step={0.05} format={pct} onChange={(v) => set({ tintStrength: v })} disabled={off} />
      </Box>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center' }}>
        <FormControl size="small" sx={{ minWidth: 130 }} disabled={off}>
          <InputLabel id="restyle-posterize-label">Posterise</InputLabel>
          <Select labelId="restyle-posterize-label" label="Posterise" value={params.posterizeLevels} onChange={(e) => set({ posterizeLevels: Number(e.target.value) })}>
            <MenuItem value={0}>Off</MenuItem>
            {[2, 3, 4, 5, 6, 8].map((l) => (
              <MenuItem key={l} value={l}>
                {l} levels
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl size="small" sx={{ minWidth: 190 }} disabled={off}>
          <InputLabel id="restyle-palette-label">Palette</InputLabel>
          <Select labelId="restyle-palette-label" label="Palette" value={params.palette} onChange={(e) => set({ palette: e.target.value })}>
            <MenuItem value="">Off</MenuItem>
            {Object.entries(PALETTES).map(([k, v]) => (
              <MenuItem key={k} value={k}>
                {v.label}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <LabelledSlider id="restyle-palette-strength" label="Palette strength" value={params.paletteStrength} min={0} max={1} step={0.05} format={pct} onChange={(v) => set({ paletteStrength: v })} disabled={off || !params.palette} />
      </Box>
      {error && (
        <Typography variant="caption" color="error" role="alert">
          {error}
        </Typography>
      )}
    </Box>
  );
}
