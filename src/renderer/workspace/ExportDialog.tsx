/**
 * Export a run's head: engine preset (axes/scale conventions), format, SH degree, splat budget, the
 * exact size, and per preset what reads it, which way is up and what the user must set (from
 * ENGINE_PRESETS, the table the engine applies). Picking a preset sets its format, SH degree (at most
 * the head's) and budget; only the SH degrees the head has are offered. The size is the engine's own
 * encode of these settings with nothing written (exportRun estimateOnly, debounced), so it is the
 * file's size; a stale "Wrote ..." line goes as soon as a setting changes. Then the engine writes the
 * file into the run's exports folder and a toast offers it:
 * "Show in folder" in the desktop app (named by ids, main resolves it in the library), a download link
 * in browser mode (which has no file manager to open).
 */
import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  InputLabel,
  Link,
  MenuItem,
  Select,
  TextField,
  Typography,
} from '@mui/material';
import { ChoiceSelect } from '../common/ChoiceSelect';
import type {
  EnginePreset,
  ExportFormat,
  ExportRequest,
  ExportResult,
  RunSummary,
} from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';
import { desktopShell } from '../common/desktop-shell';
import { errorMessage } from '../common/errors';
import { useNotify, type Toast } from '../common/Notifier';
import { useAsyncAction } from '../common/useAsyncAction';
import { ENGINE_PRESETS, type EnginePresetName } from '../../shared/splat/presets';
import { estimateExportBytes, formatBytes } from './export-estimate';

/** Format choices: an SPZ container version is its own choice. */
export type FormatChoice = Exclude<ExportFormat, 'spz'> | 'spz' | 'spz-v3' | 'spz-v4';
const FORMATS: Record<FormatChoice, string> = {
  ply: '3DGS PLY (INRIA, full SH)',
  'ply-compact': 'Compact PLY (14 properties, no SH: LGM / HQ-Head)',
  splat: '.splat (antimatter15, no SH)',
  spz: 'SPZ v2 (Niantic, gzip; widest support)',
  'spz-v3': 'SPZ v3 (Niantic, gzip, smaller rotations)',
  'spz-v4': 'SPZ v4 (Niantic, zstd; SuperSplat, nianticlabs/spz)',
  glb: 'glTF GLB (KHR_gaussian_splatting)',
  'compressed-ply': 'Compressed PLY (PlayCanvas / SuperSplat)',
  sog: 'SOG (PlayCanvas, WebP; smallest)',
  html: 'HTML viewer (one file, opens in a browser)',
  'mesh-glb': 'Textured mesh GLB (fitted head model, ARKit morph targets, hair shell)',
};
/** Shown with the mesh format: what it is and what it is not (docs/mesh-export.md). */
export const MESH_NOTE =
  "Not splats: the head model fitted to the portrait as a textured mesh (face, head and neck, eyes, teeth, mouth), texture baked from the 16 views, 55 morph targets with ARKit names, +Y up, face +Z, the run's world units. Hair is a textured shell over the scalp as thick as the head's hair (hair hanging below the jaw is not in it). Preset, SH, budget and clean-up do not apply.";
function formatOf(choice: FormatChoice): { format: ExportFormat; spzVersion?: 2 | 3 | 4 } {
  if (choice === 'spz-v3') return { format: 'spz', spzVersion: 3 };
  if (choice === 'spz-v4') return { format: 'spz', spzVersion: 4 };
  return choice === 'spz' ? { format: 'spz', spzVersion: 2 } : { format: choice };
}
const NO_SH: readonly FormatChoice[] = ['splat', 'ply-compact', 'mesh-glb'];

/**
 * The request the dialog sends. SH 'auto' sends no shDegree, so the preset's own degree applies (what
 * `headforge convert --preset` does); an explicit choice overrides it; formats without SH send 0.
 */
export function exportRequestFor(c: {
  projectId: string;
  runId: string;
  formatChoice: FormatChoice;
  preset: EnginePreset;
  shChoice: 'auto' | 0 | 1 | 2 | 3;
  maxSplats?: number;
  minOpacity?: number;
}): ExportRequest {
  const { format, spzVersion } = formatOf(c.formatChoice);
  if (format === 'mesh-glb') return { projectId: c.projectId, runId: c.runId, format, preset: 'none' };
  return {
    projectId: c.projectId,
    runId: c.runId,
    format,
    preset: c.preset,
    ...(spzVersion !== undefined ? { spzVersion } : {}),
    ...(NO_SH.includes(c.formatChoice)
      ? { shDegree: 0 as const }
      : c.shChoice !== 'auto'
        ? { shDegree: c.shChoice }
        : {}),
    ...(c.maxSplats ? { maxSplats: c.maxSplats } : {}),
    ...(c.minOpacity && c.minOpacity > 0 ? { cleanup: { minOpacity: c.minOpacity } } : {}),
  };
}
/**
 * What picking an engine preset sets in the dialog: its format, its SH degree capped at the head's
 * (a degree the head lacks would only be zeros), its splat budget.
 */
export function presetDefaults(
  preset: EnginePresetName,
  headShDegree: number,
): { formatChoice: FormatChoice; shChoice: 0 | 1 | 2 | 3; budget: string } {
  const p = ENGINE_PRESETS[preset];
  return {
    formatChoice: p.format === 'spz' ? 'spz' : (p.format as FormatChoice),
    shChoice: Math.min(p.shDegree, headShDegree) as 0 | 1 | 2 | 3,
    budget: String(p.maxSplats),
  };
}

/** Wait this long after the last change before encoding an estimate (typing a budget). */
const ESTIMATE_DEBOUNCE_MS = 250;

const PRESETS: Record<EnginePreset, string> = {
  // Short enough to show whole in the box; the notes under it say which axes each format uses.
  none: 'None (no engine: each format in its usual axes)',
  unity: 'Unity (aras-p importer)',
  unreal: 'Unreal Engine',
  blender: 'Blender',
  godot: 'Godot',
  web: 'Web viewers (three.js GaussianSplats3D, Spark)',
};

export function ExportDialog({
  projectId,
  run,
  onClose,
}: {
  projectId: string;
  run: RunSummary;
  onClose(): void;
}) {
  const { api, assetSrc } = useStudio();
  const [formatChoice, setFormatChoice] = useState<FormatChoice>('ply');
  const [preset, setPresetState] = useState<EnginePreset>('none');
  // The head's SH degree, from the first estimate (the engine reads head.ply); null until known.
  const [headSh, setHeadSh] = useState<number | null>(null);
  // 'auto' = the preset's SH degree (the head's own for 'none'), as `headforge convert --preset` uses.
  const [shChoice, setShChoice] = useState<'auto' | 0 | 1 | 2 | 3>('auto');
  const [budget, setBudget] = useState<string>('');
  // Clean-up: drop splats fainter than this opacity before the budget (crop box/sphere: CLI and API).
  const [minOpacity, setMinOpacity] = useState<string>('');
  const notify = useNotify();
  const exporter = useAsyncAction((request: ExportRequest) => api.exportRun(request));
  const { busy, result, error } = exporter;
  const gaussians = run.metrics?.gaussians ?? null;
  const maxSplats = budget.trim() ? Math.max(1, Math.trunc(Number(budget))) : undefined;
  const count = gaussians === null ? null : Math.min(gaussians, maxSplats ?? gaussians);
  const { format } = formatOf(formatChoice);
  const opacityCut = Math.min(1, Math.max(0, Number(minOpacity) || 0));
  const shApplies = !NO_SH.includes(formatChoice);
  const isMesh = formatChoice === 'mesh-glb';
  const engine = preset === 'none' ? null : ENGINE_PRESETS[preset];
  const shForEstimate = !shApplies ? 0 : shChoice !== 'auto' ? shChoice : (engine?.shDegree ?? 3);
  const shLevels = [0, 1, 2, 3].filter((d) => headSh === null || d <= headSh) as (0 | 1 | 2 | 3)[];

  const setPreset = (next: EnginePreset): void => {
    setPresetState(next);
    if (next === 'none') {
      setShChoice('auto');
      setBudget('');
      return;
    }
    const d = presetDefaults(next, headSh ?? ENGINE_PRESETS[next].shDegree);
    setFormatChoice(d.formatChoice);
    setShChoice(d.shChoice);
    setBudget(d.budget);
  };

  // The request these settings make; an estimate and a "Wrote ..." line belong to exactly one.
  const request = useMemo(
    () =>
      exportRequestFor({
        projectId,
        runId: run.id,
        formatChoice,
        preset,
        shChoice,
        maxSplats,
        minOpacity: opacityCut,
      }),
    [projectId, run.id, formatChoice, preset, shChoice, maxSplats, opacityCut],
  );
  const requestKey = JSON.stringify(request);
  const [estimate, setEstimate] = useState<{
    key: string;
    bytes: number;
    splats?: number;
    shDegree?: number;
  } | null>(null);
  const [estimateError, setEstimateError] = useState<string | null>(null);
  const { reset: clearWritten } = exporter;
  useEffect(() => {
    clearWritten();
    setEstimateError(null);
    if (isMesh || !run.splatUrl) return;
    let live = true;
    const timer = setTimeout(() => {
      api.exportRun({ ...request, estimateOnly: true }).then(
        (r) => {
          if (!live) return;
          setEstimate({ key: requestKey, bytes: r.bytes, splats: r.splats, shDegree: r.shDegree });
          if (r.headShDegree !== undefined) setHeadSh(r.headShDegree);
        },
        (err: unknown) => live && setEstimateError(errorMessage(err)),
      );
    }, ESTIMATE_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // requestKey stands for request (same content, stable identity).
  }, [requestKey, isMesh, run.splatUrl, api, clearWritten]);
  const exact = estimate?.key === requestKey ? estimate : null;

  const submit = async (): Promise<void> => {
    const written = await exporter.run(request);
    if (written) notify(exportedToast(written));
  };

  const shell = desktopShell();
  const revealInFolder = (written: ExportResult): void => {
    void shell
      ?.showExportInFolder({ projectId, runId: run.id, fileName: written.fileName })
      .catch((err: unknown) =>
        notify({ severity: 'error', text: `Could not show ${written.fileName}: ${errorMessage(err)}` }),
      );
  };

  /** Success toast: reveal the file (desktop) or download it (browser mode). */
  const exportedToast = (written: ExportResult): Toast => {
    const text = `Exported ${written.fileName} (${formatBytes(written.bytes)})`;
    const action = shell
      ? { label: 'Show in folder', run: () => revealInFolder(written) }
      : { label: 'Download', href: assetSrc(written.url), download: written.fileName };
    return { severity: 'success', text, durationMs: 10_000, action, group: 'export' };
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby="export-title" fullWidth maxWidth="sm">
      <DialogTitle id="export-title">Export head</DialogTitle>
      <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 2, pt: '8px !important' }}>
        <ChoiceSelect
          id="export-preset"
          label="Engine preset"
          value={preset}
          choices={PRESETS}
          onChange={setPreset}
          fullWidth
          disabled={isMesh}
        />
        <ChoiceSelect
          id="export-format"
          label="Format"
          value={formatChoice}
          choices={FORMATS}
          onChange={setFormatChoice}
          fullWidth
        />
        <Typography variant="body2" color="text.secondary" data-testid="export-preset-notes">
          {isMesh
            ? MESH_NOTE
            : engine
              ? `Read by: ${engine.target}. Axes: ${engine.axes}. SH ${engine.shDegree}, up to ${engine.maxSplats.toLocaleString()} splats. ${engine.notes}`
              : 'Each format in its usual axes: PLY, .splat, compressed PLY, SOG and the HTML viewer as 3DGS training writes them (y down; most splat viewers expect this), SPZ and GLB y up with the face towards +z.'}
          {!isMesh && engine && engine.format !== format
            ? ` This preset normally writes ${engine.format.toUpperCase()}.`
            : ''}
        </Typography>
        <FormControl fullWidth size="small" disabled={!shApplies}>
          <InputLabel id="export-sh">SH degree</InputLabel>
          <Select
            labelId="export-sh"
            label="SH degree"
            value={shApplies ? shChoice : 0}
            onChange={(e) =>
              setShChoice(e.target.value === 'auto' ? 'auto' : (Number(e.target.value) as 0 | 1 | 2 | 3))
            }
          >
            <MenuItem value="auto">
              {engine
                ? `Preset's (${headSh !== null ? Math.min(engine.shDegree, headSh) : engine.shDegree})`
                : `The head's own${headSh !== null ? ` (${headSh})` : ''}`}
            </MenuItem>
            {shLevels.map((d) => (
              <MenuItem key={d} value={d}>
                {d === 0 ? '0 (colour only)' : d}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <TextField
          size="small"
          label="Splat budget (empty = all)"
          disabled={isMesh}
          type="number"
          value={budget}
          onChange={(e) => setBudget(e.target.value)}
          slotProps={{ htmlInput: { min: 1 } }}
          helperText={
            gaussians === null
              ? 'The run did not report its splat count.'
              : `The head has ${gaussians.toLocaleString()} splats.`
          }
        />
        <TextField
          size="small"
          label="Drop splats fainter than (opacity 0-1, empty = keep all)"
          disabled={isMesh}
          type="number"
          value={minOpacity}
          onChange={(e) => setMinOpacity(e.target.value)}
          slotProps={{ htmlInput: { min: 0, max: 1, step: 0.05 } }}
          helperText="Clean-up before the budget; the result says how many splats were written. Crop box / sphere: headforge convert --crop-box / --crop-sphere."
        />
        <Typography variant="body2" data-testid="export-size">
          {isMesh
            ? `Estimated size: ≈ ${formatBytes(estimateExportBytes(format, 0, 0))} (typical; the texture is baked when exported)`
            : exact
              ? `Size: ${formatBytes(exact.bytes)} (${exact.bytes.toLocaleString('en-US')} bytes; ${exact.splats?.toLocaleString() ?? '?'} splats, SH ${exact.shDegree ?? '?'})`
              : estimateError
                ? `Estimated size: ${count === null ? 'unknown' : `≈ ${formatBytes(estimateExportBytes(format, count, shForEstimate))}`} (the exact size failed: ${estimateError})`
                : 'Size: encoding…'}
        </Typography>
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
        {result && (
          <Alert severity="success">
            Wrote {result.fileName} ({formatBytes(result.bytes)}
            {result.splats ? `, ${result.splats.toLocaleString()} splats` : ''}).{' '}
            {/* Also here, not only in the toast: while the dialog is open, focus stays inside it. */}
            {shell ? (
              <Link component="button" onClick={() => revealInFolder(result)}>
                Show in folder
              </Link>
            ) : (
              <Link href={assetSrc(result.url)} download={result.fileName}>
                Download
              </Link>
            )}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy || !run.splatUrl}>
          {busy ? 'Exporting…' : 'Export'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
