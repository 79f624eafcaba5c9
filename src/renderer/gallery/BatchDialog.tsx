/**
 * "Queue a batch": several portraits (chosen, a chosen folder, or a dropped folder) become one project
 * each and are queued with the same settings; the engine runs them one after another. Files that are
 * not images are listed as skipped before anything happens; the engine's refusals come back in a toast.
 */
import { useMemo, useRef, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  IconButton,
  InputLabel,
  LinearProgress,
  List,
  ListItem,
  ListItemText,
  MenuItem,
  Select,
  TextField,
  Typography,
} from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import type { Quality } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';
import { useNotify } from '../common/Notifier';
import { IMAGE_ACCEPT } from './ImportButton';
import { sortBatchFiles } from './batch-files';
import { queueBatch } from './queue-batch';

const QUALITIES: { value: Quality; label: string }[] = [
  { value: 'draft', label: 'Draft (fastest)' },
  { value: 'standard', label: 'Standard' },
  { value: 'high', label: 'High (slowest)' },
];

const MAX_SEED = 2 ** 31 - 1;

export function BatchDialog({
  initialFiles,
  onClose,
  onQueued,
}: {
  initialFiles: File[];
  onClose(): void;
  onQueued(projectIds: string[]): void;
}) {
  const { api } = useStudio();
  const notify = useNotify();
  const [files, setFiles] = useState<File[]>(initialFiles);
  const [quality, setQuality] = useState<Quality>('draft');
  const [seedText, setSeedText] = useState('42');
  const [progress, setProgress] = useState<number | null>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const { portraits, skipped } = useMemo(() => sortBatchFiles(files), [files]);
  const seed = Number(seedText);
  const seedOk = seedText.trim() !== '' && Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED;
  const busy = progress !== null;

  const add = (list: FileList | null): void => {
    if (list?.length) setFiles((f) => [...f, ...Array.from(list)]);
  };

  const queue = async (): Promise<void> => {
    setProgress(0);
    const result = await queueBatch(
      api,
      portraits,
      { elevationDeg: 'auto', seed, quality, backend: 'default' },
      setProgress,
    );
    onQueued(result.projectIds);
    onClose();
    const n = result.projectIds.length;
    if (n)
      notify({
        severity: 'success',
        text: `Queued ${n} head${n === 1 ? '' : 's'}; they are made one after another.`,
      });
    if (result.refused.length)
      notify({
        severity: 'error',
        text: `Not queued: ${result.refused.map((r) => `${r.name} (${r.reason})`).join('; ')}`,
      });
    if (result.noFace.length)
      notify({
        severity: 'warning',
        text: `No face found in ${result.noFace.join(', ')}; queued anyway, check their heads.`,
      });
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" aria-labelledby="batch-title">
      <DialogTitle id="batch-title">Queue a batch</DialogTitle>
      <DialogContent>
        <Typography color="text.secondary" sx={{ mb: 2 }}>
          Each portrait becomes a project, and all of them are generated with the same settings, one after
          another.
        </Typography>
        <Box sx={{ display: 'flex', gap: 1, mb: 2 }}>
          <Button variant="outlined" disabled={busy} onClick={() => filesInput.current?.click()}>
            Add portraits…
          </Button>
          <Button variant="outlined" disabled={busy} onClick={() => folderInput.current?.click()}>
            Add a folder…
          </Button>
          <input
            ref={filesInput}
            type="file"
            accept={IMAGE_ACCEPT}
            multiple
            hidden
            aria-label="Portraits for a batch"
            onChange={(e) => (add(e.target.files), (e.target.value = ''))}
          />
          {/* webkitdirectory: every file of the chosen folder (Chromium and Electron). */}
          <input
            ref={folderInput}
            type="file"
            hidden
            aria-label="Portrait folder for a batch"
            {...{ webkitdirectory: '' }}
            onChange={(e) => (add(e.target.files), (e.target.value = ''))}
          />
        </Box>
        {files.length === 0 ? (
          <Alert severity="info">Choose portraits or a folder, or drop a folder on the gallery.</Alert>
        ) : (
          <List
            dense
            aria-label="Batch portraits"
            sx={{
              maxHeight: 240,
              overflow: 'auto',
              border: 1,
              borderColor: 'divider',
              borderRadius: 1,
              mb: 2,
            }}
          >
            {portraits.map((file) => (
              <ListItem
                key={`${file.name}-${file.size}-${file.lastModified}`}
                secondaryAction={
                  <IconButton
                    edge="end"
                    aria-label={`Remove ${file.name}`}
                    disabled={busy}
                    onClick={() => setFiles((f) => f.filter((x) => x !== file))}
                  >
                    <CloseIcon fontSize="small" />
                  </IconButton>
                }
              >
                <ListItemText
                  primary={file.name}
                  secondary={`${Math.max(1, Math.round(file.size / 1024))} KB`}
                />
              </ListItem>
            ))}
            {skipped.map((s) => (
              <ListItem key={`skipped-${s.name}`} sx={{ opacity: 0.6 }}>
                <ListItemText primary={s.name} secondary={`skipped: ${s.reason}`} />
              </ListItem>
            ))}
          </List>
        )}
        <Box sx={{ display: 'flex', gap: 2 }}>
          <FormControl size="small" sx={{ minWidth: 180 }}>
            <InputLabel id="batch-quality-label">Quality</InputLabel>
            <Select
              labelId="batch-quality-label"
              label="Quality"
              value={quality}
              disabled={busy}
              onChange={(e) => setQuality(e.target.value as Quality)}
            >
              {QUALITIES.map((q) => (
                <MenuItem key={q.value} value={q.value}>
                  {q.label}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
          <TextField
            size="small"
            label="Seed"
            value={seedText}
            disabled={busy}
            onChange={(e) => setSeedText(e.target.value)}
            error={!seedOk}
            helperText={seedOk ? 'The same for every portrait' : `A whole number from 0 to ${MAX_SEED}`}
            slotProps={{ htmlInput: { inputMode: 'numeric' } }}
          />
        </Box>
        {busy && (
          <Box role="status" sx={{ mt: 2 }}>
            <Typography variant="body2">
              Queueing {Math.min(progress + 1, portraits.length)} of {portraits.length}…
            </Typography>
            <LinearProgress variant="determinate" value={(100 * progress) / portraits.length} />
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          variant="contained"
          disabled={busy || !seedOk || portraits.length === 0}
          onClick={() => void queue()}
        >
          Queue {portraits.length} head{portraits.length === 1 ? '' : 's'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
