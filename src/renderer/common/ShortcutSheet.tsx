/** The keyboard cheat sheet dialog: a definition list of key -> what it does. */
import { Box, Dialog, DialogContent, DialogTitle } from '@mui/material';

export function ShortcutSheet({ open, onClose, shortcuts, titleId = 'shortcuts-title' }: { open: boolean; onClose(): void; shortcuts: readonly (readonly [string, string])[]; titleId?: string }) {
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId}>
      <DialogTitle id={titleId}>Keyboard shortcuts</DialogTitle>
      <DialogContent>
        <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 3, rowGap: 1, m: 0 }}>
          {shortcuts.map(([k, v]) => (
            <Box key={k} sx={{ display: 'contents' }}>
              <Box component="dt" sx={{ fontFamily: 'monospace' }}>
                {k}
              </Box>
              <Box component="dd" sx={{ m: 0 }}>
                {v}
              </Box>
            </Box>
          ))}
        </Box>
      </DialogContent>
    </Dialog>
  );
}
