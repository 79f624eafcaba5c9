/** Dark studio theme; focus rings are always visible for keyboard users. */
import { createTheme } from '@mui/material/styles';

export const studioTheme = createTheme({
  palette: {
    mode: 'dark',
    primary: { main: '#7aa2ff' },
    secondary: { main: '#ffb86b' },
    background: { default: '#101114', paper: '#181a1f' },
  },
  shape: { borderRadius: 8 },
  typography: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
  components: {
    MuiCssBaseline: {
      styleOverrides: {
        ':focus-visible': { outline: '2px solid #7aa2ff', outlineOffset: 2 },
      },
    },
    MuiButtonBase: { defaultProps: { disableRipple: false } },
  },
});
