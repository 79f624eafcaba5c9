/**
 * The Animate dialog's ARKit take: a Live Link Face CSV (Timecode, the 52 blend shapes, optional head
 * rotation) read in the page with the same parser the engine uses, so a bad file is named at once
 * (missing or unknown columns, a bad row); a good one reports its frames and length and drives the
 * face (and the head's rotation) over the clip.
 */
import { useRef, useState } from 'react';
import { Box, Button, Typography } from '@mui/material';
import { arkitTakeDuration, parseArkitCsv, type ArkitTake } from '../../shared/animation/arkit-csv';
import { errorMessage } from '../common/errors';

export interface PickedTake {
  fileName: string;
  csv: string;
  take: ArkitTake;
}

export interface ArkitTakePickerProps {
  value: PickedTake | null;
  disabled?: boolean;
  onChange(take: PickedTake | null): void;
}

export function ArkitTakePicker({ value, disabled, onChange }: ArkitTakePickerProps) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);

  const read = async (file: File): Promise<void> => {
    try {
      const csv = await file.text();
      const take = parseArkitCsv(csv);
      setError(null);
      onChange({ fileName: file.name, csv, take });
    } catch (err) {
      onChange(null);
      setError(`${file.name}: ${errorMessage(err)}`);
    }
  };

  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
      <input
        ref={input}
        type="file"
        accept=".csv,text/csv"
        hidden
        aria-label="ARKit take file"
        data-testid="arkit-take-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void read(file);
        }}
      />
      <Button size="small" variant="outlined" disabled={disabled} onClick={() => input.current?.click()}>
        {value ? 'Other ARKit take…' : 'Import ARKit take (CSV)…'}
      </Button>
      {value && (
        <>
          <Typography variant="body2" color="text.secondary">
            {value.fileName}: {value.take.frameCount} frames, {arkitTakeDuration(value.take).toFixed(2)} s
            {value.take.head ? ', with head rotation' : ''}
          </Typography>
          <Button size="small" disabled={disabled} onClick={() => onChange(null)}>
            Remove
          </Button>
        </>
      )}
      {error && (
        <Typography variant="body2" color="error" role="alert" sx={{ flex: '1 0 100%' }}>
          {error}
        </Typography>
      )}
    </Box>
  );
}
