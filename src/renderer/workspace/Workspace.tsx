/**
 * Project workspace: input panel and generation controls with Run pinned at the bottom (left), the 3D
 * preview filling the centre above a compact 16-view grid, both on screen together (the restyle and
 * expression tools below them), job progress and run history (right), export dialog.
 * The head shown (3D, views, Export/Animate/Frontal) is the selected run's, or, while the selected run
 * has none (running, cancelled, failed), the newest run that has one, said so above the preview. Everything shown is real
 * engine state: a missing pipeline shows up as the failed job's message, never as placeholder views.
 * Shortcuts: Ctrl/Cmd+Enter run, T turntable, R reset camera, V/S/O/D compare modes, C compare runs,
 * ? cheat sheet.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  CircularProgress,
  FormControl,
  FormControlLabel,
  InputLabel,
  MenuItem,
  Select,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import FileDownloadOutlinedIcon from '@mui/icons-material/FileDownloadOutlined';
import KeyboardIcon from '@mui/icons-material/Keyboard';
import type { EngineInfo, RunSummary } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';
import { errorMessage } from '../common/errors';
import { useNotify } from '../common/Notifier';
import { ExportDialog } from './ExportDialog';
import { GenerationControls } from './GenerationControls';
import { InputPanel } from './InputPanel';
import { JobPanel } from './JobPanel';
import { RunCompare } from './RunCompare';
import { RunHistory } from './RunHistory';
import { RunButton } from './RunButton';
import { SeedExplorer } from './SeedExplorer';
import { SplatPreview, type SplatSource } from './SplatPreview';
import { ViewGrid, type CompareMode } from './ViewGrid';
import { randomSeed, useSettingsDraft } from './run-settings-store';
import { dialogOpen, isTextEntry } from '../common/keys';
import { ShortcutSheet } from '../common/ShortcutSheet';
import { undoKey } from '../common/undo-history';
import { useWorkspace } from './useWorkspace';
import { AnimateDialog } from './AnimateDialog';
import { FrontalViewButton } from './FrontalViewButton';
import { RestyleControls } from './RestyleControls';
import { StylizePanel } from './StylizePanel';
import { useRestyledSource, type ExpressionPose } from './restyle-preview';
import { ExpressionPreviewControls } from './ExpressionPreviewControls';
import MovieOutlinedIcon from '@mui/icons-material/MovieOutlined';
import type { HeadRestyleOp } from '../../shared/contracts/studio-api';

const SHORTCUTS: [string, string][] = [
  ['Ctrl/⌘ + Enter', 'Run with the current settings'],
  ['T', 'Turntable on/off'],
  ['R', 'Reset the 3D camera to the front'],
  ['F', 'Frame time of the 3D preview on/off (top-right corner)'],
  ['Q', 'Full resolution while orbiting on/off (on = 0.4 of the resolution while moving, full at rest)'],
  ['V / S / O / D', 'Views: generated only, side by side, overlay, difference heatmap'],
  ['C', 'Compare two runs side by side'],
  ['Ctrl/⌘ + Z', 'Undo the last settings change (also reverts a "Revert to this run")'],
  ['Ctrl/⌘ + Shift + Z', 'Redo the settings change'],
  ['?', 'This cheat sheet'],
];

const MODE_KEYS: Record<string, CompareMode> = {
  v: 'views',
  s: 'side-by-side',
  o: 'overlay',
  d: 'difference',
};

function splatFormat(url: string): 'ply' | 'splat' | 'spz' {
  const path = url.split('?')[0].toLowerCase();
  return path.endsWith('.spz') ? 'spz' : path.endsWith('.splat') ? 'splat' : 'ply';
}

export function Workspace({ projectId, onClose }: { projectId: string; onClose(): void }) {
  const { api, assetSrc } = useStudio();
  const notify = useNotify();
  const ws = useWorkspace(projectId);
  const { project, job } = ws;
  const [engineInfo, setEngineInfo] = useState<EngineInfo | null>(null);
  // The settings draft with undo/redo; saved per project, so it (and its history) survives a reload.
  const draft = useSettingsDraft(projectId);
  const { value: edit, set: setEdit } = draft;
  const selectedRunKey = `workspace.${projectId}.selected-run`;
  const [selectedRunId, setSelectedRunId] = useState<string | null>(() =>
    sessionStorage.getItem(selectedRunKey),
  );
  const [startError, setStartError] = useState<string | null>(null);
  const [exporting, setExporting] = useState<RunSummary | null>(null);
  const [background, setBackground] = useState(() => localStorage.getItem('preview.background') ?? '#202226');
  const [shDegree, setShDegree] = useState(0);
  const [turntable, setTurntable] = useState(false);
  const [showFrameTime, setShowFrameTime] = useState(
    () => localStorage.getItem('preview.frame-time') === 'on',
  );
  // Progressive quality (lower resolution while the camera moves); 'off' keeps full resolution.
  const [progressive, setProgressive] = useState(() => localStorage.getItem('preview.progressive') !== 'off');
  const [camera, setCamera] = useState<{ azimuthDeg: number; elevationDeg: number; nonce: number } | null>(
    null,
  );
  // The view tile the camera was last snapped to (marked in the grid) until the user orbits away.
  const [pickedView, setPickedView] = useState<number | null>(null);
  const [cheatSheet, setCheatSheet] = useState(false);
  const [compareMode, setCompareMode] = useState<CompareMode>(
    () => (localStorage.getItem('views.mode') as CompareMode | null) ?? 'views',
  );
  const [comparingRuns, setComparingRuns] = useState(false);
  const [exploringSeeds, setExploringSeeds] = useState(false);
  // Issue 9 (applications): live 3D restyle of the shown head, and the Animate dialog's run.
  const [restyleOps, setRestyleOps] = useState<HeadRestyleOp[]>([]);
  const [expressionPose, setExpressionPose] = useState<ExpressionPose | null>(null);
  const [animating, setAnimating] = useState<RunSummary | null>(null);

  useEffect(
    () => (selectedRunId ? sessionStorage.setItem(selectedRunKey, selectedRunId) : undefined),
    [selectedRunKey, selectedRunId],
  );
  useEffect(() => localStorage.setItem('preview.background', background), [background]);
  useEffect(() => localStorage.setItem('views.mode', compareMode), [compareMode]);
  useEffect(() => localStorage.setItem('preview.frame-time', showFrameTime ? 'on' : 'off'), [showFrameTime]);
  useEffect(() => localStorage.setItem('preview.progressive', progressive ? 'on' : 'off'), [progressive]);
  useEffect(() => {
    api.getEngineInfo().then(setEngineInfo, () => undefined);
  }, [api]);

  // run.json says 'queued' until the project is reloaded; the live job knows better.
  const runs = useMemo(
    () =>
      (project?.runs ?? []).map((r) =>
        job && r.id === job.runId && r.state !== job.state ? { ...r, state: job.state } : r,
      ),
    [project, job],
  );
  const newest = useMemo(
    () => [...runs].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ?? null,
    [runs],
  );
  const pickedRun = runs.find((r) => r.id === selectedRunId) ?? newest;
  // A run without a head (running, cancelled, failed) leaves the last head on screen and usable.
  const selectedRun = useMemo(() => {
    if (!pickedRun || pickedRun.splatUrl) return pickedRun;
    return (
      [...runs].filter((r) => r.splatUrl).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0] ??
      pickedRun
    );
  }, [pickedRun, runs]);
  const standIn = pickedRun && selectedRun && pickedRun.id !== selectedRun.id ? pickedRun : null;
  const autoElevation = project?.preprocessed?.elevationDeg ?? null;
  const viewElevation =
    selectedRun?.settings.elevationDeg === 'auto' || !selectedRun
      ? (autoElevation ?? 0)
      : (selectedRun.settings.elevationDeg as number);
  // The input panel's crop and pose come from the first run's preprocessing: fetch them once the
  // running job is past that stage instead of at the end of the run.
  const jobStage = job?.stage ?? null;
  const { reload } = ws;
  const hasPreprocess = Boolean(project?.preprocessed);
  useEffect(() => {
    if (jobStage && jobStage !== 'preprocess' && !hasPreprocess) void reload();
  }, [jobStage, hasPreprocess, reload]);

  const splatSource: SplatSource | null = useMemo(() => {
    if (job && ws.preview && ws.preview.runId === job.runId)
      return {
        kind: 'preview',
        arrays: ws.preview.arrays,
        step: ws.preview.step,
        label: `Live preview, step ${ws.preview.step}`,
      };
    const url = assetSrc(selectedRun?.splatUrl);
    return url ? { kind: 'url', url, format: splatFormat(url), label: `Run ${selectedRun?.id}` } : null;
  }, [job, ws.preview, selectedRun, assetSrc]);
  const fetchAsset = useCallback(async (url: string): Promise<ArrayBuffer> => {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.arrayBuffer();
  }, []);
  const restyled = useRestyledSource(splatSource, restyleOps, fetchAsset, expressionPose);
  const saveRestyle = async (ops: HeadRestyleOp[]): Promise<boolean> => {
    if (!selectedRun) return false;
    try {
      const variant = await api.saveRestyledRun({ projectId, runId: selectedRun.id, ops });
      setSelectedRunId(variant.id);
      void ws.reload();
      notify({
        severity: 'success',
        text: `Saved the restyled head as run ${variant.id} (export it like any head).`,
      });
      return true;
    } catch (err) {
      notify({ severity: 'error', text: `Could not save the restyled head: ${errorMessage(err)}` });
      return false;
    }
  };

  const comparableRuns = useMemo(
    () =>
      [...runs]
        .filter((r) => r.renderUrls?.length || r.viewUrls?.length)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    [runs],
  );
  const openRunCompare = (): void => {
    if (comparableRuns.length >= 2) setComparingRuns(true);
  };
  const toggleBadView = (index: number): void => {
    const current = edit.settings.ignoredViews ?? [];
    const next = current.includes(index)
      ? current.filter((v) => v !== index)
      : [...current, index].sort((a, b) => a - b);
    // The schema allows at most 15 ignored views: the optimisation needs at least one target.
    if (next.length > 15) {
      notify({ severity: 'warning', text: 'At least one view must stay in the optimisation.' });
      return;
    }
    setEdit({ ...edit, settings: { ...edit.settings, ignoredViews: next.length ? next : undefined } });
  };

  /** Start a run with the edited settings; `seed` (from the seed explorer) replaces and locks the seed. */
  const run = async (seed?: number): Promise<void> => {
    if (job) return;
    const settings =
      seed !== undefined
        ? { ...edit.settings, seed }
        : edit.seedLocked
          ? edit.settings
          : { ...edit.settings, seed: randomSeed() };
    if (seed !== undefined) setEdit({ settings, seedLocked: true });
    else if (!edit.seedLocked) setEdit({ ...edit, settings });
    setStartError(null);
    ws.setFinished(null);
    try {
      const info = await api.startRun({ projectId, settings });
      ws.track(info);
      setSelectedRunId(info.runId);
      void ws.reload();
    } catch (err) {
      setStartError(errorMessage(err));
    }
  };
  const resetCamera = (): void => {
    setCamera({ azimuthDeg: 0, elevationDeg: 0, nonce: Date.now() });
    setPickedView(null);
  };
  const cancel = async (): Promise<void> => {
    if (!job) return;
    try {
      await api.cancelJob({ jobId: job.id });
    } catch (err) {
      notify({ severity: 'error', text: `Could not cancel: ${errorMessage(err)}` });
    }
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const typing =
        e.target instanceof HTMLElement &&
        (e.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName));
      const undoAction = undoKey(e);
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        e.preventDefault();
        void run();
      } else if (undoAction && !isTextEntry(e.target) && !dialogOpen()) {
        e.preventDefault();
        draft[undoAction]();
      } else if (!typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        if (e.key === 't') setTurntable((v) => !v);
        else if (e.key === 'r') resetCamera();
        else if (e.key === 'f') setShowFrameTime((v) => !v);
        else if (e.key === 'q') setProgressive((v) => !v);
        else if (e.key === '?') setCheatSheet(true);
        else if (e.key === 'c') openRunCompare();
        else if (e.key in MODE_KEYS) setCompareMode(MODE_KEYS[e.key]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (ws.loadError) {
    return (
      <Alert severity="error" sx={{ m: 3 }} action={<Button onClick={onClose}>Back to projects</Button>}>
        {ws.loadError}
      </Alert>
    );
  }
  if (!project) return <CircularProgress sx={{ m: 3 }} aria-label="Loading project" />;

  return (
    <Box
      component="main"
      aria-label={`Project ${project.name}`}
      sx={{
        display: 'grid',
        gridTemplateColumns: '300px minmax(0, 1fr) 300px',
        gridTemplateRows: 'auto minmax(0, 1fr)',
        height: '100%',
      }}
    >
      <Box
        sx={{
          gridColumn: '1 / -1',
          display: 'flex',
          alignItems: 'center',
          gap: 2,
          px: 2,
          py: 1,
          borderBottom: 1,
          borderColor: 'divider',
        }}
      >
        <Typography variant="h6" component="h1" sx={{ flex: 1 }} noWrap>
          {project.name}
        </Typography>
        <Button startIcon={<KeyboardIcon />} size="small" onClick={() => setCheatSheet(true)}>
          Shortcuts
        </Button>
        <FrontalViewButton projectId={projectId} run={selectedRun} />
        <Button
          variant="outlined"
          startIcon={<MovieOutlinedIcon />}
          disabled={!selectedRun?.splatUrl || selectedRun.state !== 'done'}
          onClick={() => selectedRun && setAnimating(selectedRun)}
          title={selectedRun?.splatUrl ? 'Render a video of the head' : 'Animate needs a finished run'}
        >
          Animate
        </Button>
        <Button
          variant="outlined"
          startIcon={<FileDownloadOutlinedIcon />}
          disabled={!selectedRun?.splatUrl}
          onClick={() => selectedRun && setExporting(selectedRun)}
          title={selectedRun?.splatUrl ? undefined : 'Export needs a run that produced a head'}
        >
          Export
        </Button>
      </Box>

      <Box
        component="aside"
        aria-label="Input and generation"
        sx={{
          p: 2,
          overflow: 'auto',
          borderRight: 1,
          borderColor: 'divider',
          display: 'flex',
          flexDirection: 'column',
          gap: 3,
        }}
      >
        <InputPanel project={project} />
        <GenerationControls
          value={edit}
          onChange={setEdit}
          autoElevationDeg={autoElevation}
          engineInfo={engineInfo}
          onExploreSeeds={() => setExploringSeeds(true)}
          history={draft}
          lastRunSeed={newest?.settings.seed ?? null}
        />
        <StylizePanel
          projectId={projectId}
          committed={edit.settings.style}
          onCommit={(style) => setEdit({ ...edit, settings: { ...edit.settings, style } })}
        />
        {engineInfo && !engineInfo.pipeline.available && (
          <Alert severity="warning" variant="outlined">
            The generate pipeline is not available in this build:{' '}
            {engineInfo.pipeline.problem ?? 'see `headforge doctor`'}.
          </Alert>
        )}
        <RunButton running={Boolean(job)} onRun={() => void run()} onCancel={() => void cancel()} />
      </Box>

      <Box sx={{ overflow: 'auto', minHeight: 0 }}>
        {/* The stage: exactly the column's height, so the preview and the views share the screen. */}
        <Box
          data-testid="workspace-stage"
          sx={{ height: '100%', minHeight: 420, display: 'flex', flexDirection: 'column' }}
        >
          <Box
            sx={{
              display: 'flex',
              gap: 2,
              alignItems: 'center',
              px: 2,
              py: 0.5,
              flexWrap: 'wrap',
              flex: 'none',
            }}
          >
            <Typography variant="subtitle2" component="h2" color="text.secondary" sx={{ mr: 'auto' }}>
              3D PREVIEW
            </Typography>
            <FormControlLabel
              control={
                <Switch size="small" checked={turntable} onChange={(e) => setTurntable(e.target.checked)} />
              }
              label="Turntable"
            />
            <Button size="small" onClick={resetCamera}>
              Reset view
            </Button>
            <FormControl size="small" sx={{ minWidth: 110 }}>
              <InputLabel id="sh-label">SH degree</InputLabel>
              <Select
                labelId="sh-label"
                label="SH degree"
                value={shDegree}
                onChange={(e) => setShDegree(Number(e.target.value))}
              >
                {[0, 1, 2, 3].map((d) => (
                  <MenuItem key={d} value={d}>
                    {d}
                  </MenuItem>
                ))}
              </Select>
            </FormControl>
            <TextField
              size="small"
              type="color"
              label="Background"
              value={background}
              onChange={(e) => setBackground(e.target.value)}
              sx={{ width: 100 }}
            />
          </Box>
          {standIn && (
            <Typography variant="caption" color="text.secondary" data-testid="stand-in-note" sx={{ px: 2 }}>
              Showing run {selectedRun?.id}: run {standIn.id}{' '}
              {standIn.state === 'running' || standIn.state === 'queued'
                ? `is ${standIn.state}`
                : `was ${standIn.state}`}{' '}
              and has no head yet.
            </Typography>
          )}
          <Box
            sx={{
              flex: '1 1 0',
              minHeight: 200,
              mx: 2,
              borderRadius: 1,
              overflow: 'hidden',
              border: 1,
              borderColor: 'divider',
            }}
          >
            <SplatPreview
              source={restyled.source}
              background={background}
              shDegree={shDegree}
              turntable={turntable}
              cameraRequest={camera}
              onUserOrbit={() => setPickedView(null)}
              progressive={progressive}
              showFrameTime={showFrameTime}
            />
          </Box>
          <Box sx={{ flex: '0 1 auto', minHeight: 0, overflow: 'auto', px: 2, pt: 1, pb: 1 }}>
            {selectedRun && (selectedRun.viewUrls?.length ?? 0) > 0 ? (
              <ViewGrid
                run={selectedRun}
                onPickView={(i, az) => {
                  setCamera({ azimuthDeg: az, elevationDeg: viewElevation, nonce: Date.now() });
                  setPickedView(i);
                }}
                pickedView={pickedView}
                markedBad={edit.settings.ignoredViews ?? []}
                onToggleBad={toggleBadView}
                mode={compareMode}
                onModeChange={setCompareMode}
              />
            ) : (
              <Typography variant="body2" color="text.secondary">
                {!selectedRun
                  ? 'The 16 generated views appear here after a run.'
                  : selectedRun.state === 'running' || selectedRun.state === 'queued'
                    ? `Run ${selectedRun.id} is ${selectedRun.state}: its 16 views and head renders appear here when it finishes.`
                    : `Run ${selectedRun.id} has no generated views (${selectedRun.state}).`}
              </Typography>
            )}
          </Box>
        </Box>
        <RestyleControls
          available={splatSource?.kind === 'url' && selectedRun?.state === 'done'}
          unavailableReason={
            splatSource?.kind === 'preview' ? 'after the run finishes' : 'needs a finished run'
          }
          onChange={setRestyleOps}
          onSave={saveRestyle}
          error={restyled.error}
        />
        <ExpressionPreviewControls
          projectId={projectId}
          run={splatSource?.kind === 'url' && selectedRun?.state === 'done' ? selectedRun : null}
          onChange={setExpressionPose}
        />
      </Box>

      <Box
        component="aside"
        aria-label="Progress and runs"
        sx={{
          p: 2,
          overflow: 'auto',
          borderLeft: 1,
          borderColor: 'divider',
          display: 'flex',
          flexDirection: 'column',
          gap: 2,
        }}
      >
        {startError && (
          <Alert severity="error" role="alert" onClose={() => setStartError(null)}>
            Could not start the run: {startError}
          </Alert>
        )}
        <JobPanel job={job} stages={ws.stages} message={ws.message} finished={ws.finished} />
        <RunHistory
          runs={runs}
          selectedId={pickedRun?.id ?? null}
          onSelect={(r) => setSelectedRunId(r.id)}
          onReuse={(r) => {
            setEdit({ settings: { ...r.settings }, seedLocked: true });
            notify({
              severity: 'info',
              text: `Settings reverted to run ${r.id} (seed ${r.settings.seed} locked). Newer runs are kept.`,
              action: { label: 'Undo', run: draft.undo },
            });
          }}
          onCompare={openRunCompare}
        />
      </Box>

      {comparingRuns && comparableRuns.length >= 2 && (
        <RunCompare
          runs={comparableRuns}
          initial={[comparableRuns[1].id, comparableRuns[0].id]}
          onClose={() => setComparingRuns(false)}
        />
      )}
      {exploringSeeds && (
        <SeedExplorer
          projectId={projectId}
          settings={edit.settings}
          running={Boolean(job)}
          onUse={(seed) => {
            setEdit({ settings: { ...edit.settings, seed }, seedLocked: true });
            setExploringSeeds(false);
          }}
          onRun={(seed) => {
            setExploringSeeds(false);
            void run(seed);
          }}
          onClose={() => setExploringSeeds(false)}
        />
      )}
      {animating && (
        <AnimateDialog projectId={projectId} run={animating} onClose={() => setAnimating(null)} />
      )}
      {exporting && <ExportDialog projectId={projectId} run={exporting} onClose={() => setExporting(null)} />}
      <ShortcutSheet open={cheatSheet} onClose={() => setCheatSheet(false)} shortcuts={SHORTCUTS} />
    </Box>
  );
}
