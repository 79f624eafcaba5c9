/**
 * Run / Cancel, pinned to the bottom of the settings column (position: sticky inside its scroll
 * container), so it is on screen on first open and wherever the column is scrolled to.
 */
import { Box, Button } from '@mui/material';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import StopIcon from '@mui/icons-material/Stop';

export function RunButton({
  running,
  onRun,
  onCancel,
}: {
  running: boolean;
  onRun(): void;
  onCancel(): void;
}) {
  return (
    <Box
      sx={{
        position: 'sticky',
        bottom: 0,
        mt: 'auto',
        mx: -2,
        mb: -2,
        p: 2,
        pt: 1,
        bgcolor: 'background.default',
        borderTop: 1,
        borderColor: 'divider',
        zIndex: 1,
      }}
    >
      {running ? (
        <Button fullWidth variant="outlined" color="warning" startIcon={<StopIcon />} onClick={onCancel}>
          Cancel run
        </Button>
      ) : (
        <Button
          fullWidth
          variant="contained"
          startIcon={<PlayArrowIcon />}
          onClick={onRun}
          title="Run (Ctrl+Enter)"
        >
          Run
        </Button>
      )}
    </Box>
  );
}
