/** Delete confirmation: says what goes (runs and exports too); the gallery still offers Undo for a few seconds. */
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import type { ProjectSummary } from '../../shared/contracts/studio-api';

export function ConfirmDeleteDialog({ project, onCancel, onConfirm }: { project: ProjectSummary; onCancel(): void; onConfirm(): void }) {
  return (
    <Dialog open onClose={onCancel} aria-labelledby="delete-title" aria-describedby="delete-text">
      <DialogTitle id="delete-title">Delete “{project.name}”?</DialogTitle>
      <DialogContent>
        <DialogContentText id="delete-text">
          The portrait, its {project.runCount} {project.runCount === 1 ? 'run' : 'runs'} and every export in this project will be removed
          from the library. You can undo for a few seconds afterwards.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel} autoFocus>
          Keep
        </Button>
        <Button color="error" variant="contained" onClick={onConfirm}>
          Delete
        </Button>
      </DialogActions>
    </Dialog>
  );
}
