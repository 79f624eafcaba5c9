/** The workspace's top bar: the project's name, the shortcut sheet, and what to do with the shown head (Frontal view, Animate, Export). */
import { Box, Button, Typography } from '@mui/material';
import FileDownloadOutlinedIcon from '@mui/icons-material/FileDownloadOutlined';
import KeyboardIcon from '@mui/icons-material/Keyboard';
import MovieOutlinedIcon from '@mui/icons-material/MovieOutlined';
import type { RunSummary } from '../../shared/contracts/studio-api';
import { FrontalViewButton } from './FrontalViewButton';

export interface WorkspaceTopBarProps {
  name: string;
  projectId: string;
  run: RunSummary | null;
  onShortcuts(): void;
  onAnimate(run: RunSummary): void;
  onExport(run: RunSummary): void;
}

export function WorkspaceTopBar({ name, projectId, run, onShortcuts, onAnimate, onExport }: WorkspaceTopBarProps) {
  return (
    <Box sx={{ gridColumn: '1 / -1', display: 'flex', alignItems: 'center', gap: 2, px: 2, py: 1, borderBottom: 1, borderColor: 'divider' }}>
      <Typography variant="h6" component="h1" sx={{ flex: 1 }} noWrap>
        {name}
      </Typography>
      <Button startIcon={<KeyboardIcon />} size="small" onClick={onShortcuts}>
        Shortcuts
      </Button>
      <FrontalViewButton projectId={projectId} run={run} />
      <Button
        variant="outlined"
        startIcon={<MovieOutlinedIcon />}
        disabled={!run?.splatUrl || run.state !== 'done'}
        onClick={() => run && onAnimate(run)}
        title={run?.splatUrl ? 'Render a video of the head' : 'Animate needs a finished run'}
      >
        Animate
      </Button>
      <Button
        variant="outlined"
        startIcon={<FileDownloadOutlinedIcon />}
        disabled={!run?.splatUrl}
        onClick={() => run && onExport(run)}
        title={run?.splatUrl ? undefined : 'Export needs a run that produced a head'}
      >
        Export
      </Button>
    </Box>
  );
}
