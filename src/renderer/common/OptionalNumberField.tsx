/**
 * A number box that may be left empty: empty (or not a number) is `undefined`, the setting's default
 * (a preset, auto); anything else is clamped to [min, max], and truncated when `integer`.
 */
import TextField from '@mui/material/TextField';

export interface OptionalNumberFieldProps {
  label: string;
  /** Shown while empty: what empty means. */
  placeholder: string;
  value: number | undefined;
  min: number;
  max: number;
  integer?: boolean;
  step?: number;
  helperText: string;
  onChange: (value: number | undefined) => void;
}

/** The box's text as the setting: undefined when empty or not a number, else clamped (and truncated). */
export function parseOptionalNumber(raw: string, min: number, max: number, integer = false): number | undefined {
  const text = raw.trim();
  const n = integer ? Math.trunc(Number(text)) : Number(text);
  return text === '' || !Number.isFinite(n) ? undefined : Math.max(min, Math.min(max, n));
}

export function OptionalNumberField({
  label,
  placeholder,
  value,
  min,
  max,
  integer = false,
  step,
  helperText,
  onChange,
}: OptionalNumberFieldProps) {
  return (
    <TextField
      size="small"
      label={label}
      type="number"
      placeholder={placeholder}
      value={value ?? ''}
      onChange={(e) => onChange(parseOptionalNumber(e.target.value, min, max, integer))}
      helperText={helperText}
      slotProps={{
        htmlInput: { min, max, ...(step !== undefined ? { step } : {}) },
        inputLabel: { shrink: true },
      }}
    />
  );
}
