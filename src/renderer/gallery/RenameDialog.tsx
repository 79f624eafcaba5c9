/** Rename a project; Enter saves, Escape cancels; empty names are refused before asking the engine. */
import { useState, type FormEvent } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, TextField } from '@mui/material';

export function RenameDialog({ initialName, onCancel, onSave }: { initialName: string; onCancel(): void; onSave(name: string): void }) {
  const [name, setName] = useState(initialName);
  const trimmed = name.trim();
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (trimmed) onSave(trimmed);
  };
  return (
    <Dialog open onClose={onCancel} aria-labelledby="rename-title" fullWidth maxWidth="xs">
      <form onSubmit={submit}>
        <DialogTitle id="rename-title">Rename project</DialogTitle>
        <DialogContent>
          <TextField
            autoFocus
            fullWidth
            margin="dense"
            label="Project name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={!trimmed}
            helperText={trimmed ? ' ' : 'A name is required'}
            slotProps={{ htmlInput: { maxLength: 200 } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onCancel}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={!trimmed}>
            Rename
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
