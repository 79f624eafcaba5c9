/**
 * A labelled small MUI select over a record of value -> label: the FormControl / InputLabel / Select /
 * MenuItem block the dialogs repeated for every enumerated option (export format and preset, camera
 * path, expression, video format). The label is wired to the select by `id`, so tests and screen
 * readers find it by its label.
 */
import { FormControl, InputLabel, MenuItem, Select } from '@mui/material';

export function ChoiceSelect<K extends string>({
  id,
  label,
  value,
  choices,
  onChange,
  disabled,
  fullWidth,
}: {
  id: string;
  label: string;
  value: K;
  choices: Readonly<Record<NoInfer<K>, string>>;
  onChange: (value: NoInfer<K>) => void;
  disabled?: boolean;
  fullWidth?: boolean;
}) {
  return (
    <FormControl fullWidth={fullWidth} size="small" disabled={disabled}>
      <InputLabel id={id}>{label}</InputLabel>
      <Select labelId={id} label={label} value={value} onChange={(e) => onChange(e.target.value as K)}>
        {(Object.entries(choices) as [K, string][]).map(([k, v]) => (
          <MenuItem key={k} value={k}>
            {v}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}
