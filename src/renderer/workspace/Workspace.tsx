/**
 * Project workspace: input panel and generation controls with Run pinned at the bottom (left), the 3D
 * preview above the 16 views in the centre (PreviewStage; the restyle and expression tools below),
 * job progress and run history (right), and one dialog at a time (export, animate, compare runs,
 * seed explorer, shortcut sheet). The head shown is chosen by shown-run.ts; preview options live in
 * usePreviewSettings; keys come from the shortcut table (shortcuts.ts). Everything shown is real
 * engine state: a missing pipeline shows up as the failed job's message, never as placeholder views.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Box, Button, CircularProgress } from '@mui/material';
import type { EngineInfo, HeadRestyleOp, RunSettings, RunSummary } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';
import { errorMessage } from '../common/errors';
import { useNotify } from '../common/Notifier';
import { ShortcutSheet } from '../common/ShortcutSheet';
import { AnimateDialog } from './AnimateDialog';
import { ExportDialog } from './ExportDialog';
import { ExpressionStudio } from './ExpressionStudio';
import { GenerationControls } from './GenerationControls';
import { InputPanel } from './InputPanel';
import { JobPanel } from './JobPanel';
import { PreviewStage } from './PreviewStage';
import { RestyleControls } from './RestyleControls';
import { RunButton } from './RunButton';
import { RunCompare } from './RunCompare';
import { RunHistory } from './RunHistory';
import { SeedExplorer } from './SeedExplorer';
import type { SplatSource } from './SplatPreview';
import { StylizePanel } from './StylizePanel';
import { WorkspaceTopBar } from './WorkspaceTopBar';
import { useRestyledSource, type ExpressionPose } from './restyle-preview';
import { randomSeed, useSettingsDraft } from './run-settings-store';
import { SHORTCUT_SHEET, useShortcuts } from './shortcuts';
import { comparableRuns as listComparable, shownRun } from './shown-run';
import { usePreviewSettings } from './usePreviewSettings';
import { useWorkspace } from './useWorkspace';

type OpenDialog =
  | { kind: 'export'; run: RunSummary }
  | { kind: 'animate'; run: RunSummary }
  | { kind: 'compare-runs' }
  | { kind: 'seeds' }
  | { kind: 'shortcuts' };

function splatFormat(url: string): 'ply' | 'splat' | 'spz' {
  const path = url.split('?')[0].toLowerCase();
  return path.endsWith('.spz') ? 'spz' : path.endsWith('.splat') ? 'splat' : 'ply';
}

async function fetchAsset(url: string): Promise<ArrayBuffer> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.arrayBuffer();
}

export function Workspace({ projectId, onClose }: { projectId: string; onClose(): void }) {
  const { api, assetSrc } = useStudio();
  const notify = useNotify();
  const ws = useWorkspace(projectId);
  const { project, job, reload } = ws;
  const preview = usePreviewSettings();
  const [engineInfo, setEngineInfo] = useState<EngineInfo | null>(null);
  // The settings draft with undo/redo; saved per project, so it (and its history) survives a reload.
  const draft = useSettingsDraft(projectId);
  const { value: edit, set: setEdit } = draft;
  const selectedRunKey = `workspace.${projectId}.selected-run`;
  const [selectedRunId, setSelectedRunId] = useState<string | null>(() => sessionStorage.getItem(selectedRunKey));
  const [startError, setStartError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  // The live 3D restyle and expression pose of the shown head.
  const [restyleOps, setRestyleOps] = useState<HeadRestyleOp[]>([]);
  const [expressionPose, setExpressionPose] = useState<ExpressionPose | null>(null);

  useEffect(
    () => (selectedRunId ? sessionStorage.setItem(selectedRunKey, selectedRunId) : undefined),
    [selectedRunKey, selectedRunId],
  );
  useEffect(() => {
    api.getEngineInfo().then(setEngineInfo, () => undefined);
  }, [api]);

  const { runs, newest, picked, shown, standIn } = useMemo(
    () => shownRun(project?.runs ?? [], job, selectedRunId),
    [project, job, selectedRunId],
  );
  const comparable = useMemo(() => listComparable(runs), [runs]);
  const autoElevation = project?.preprocessed?.elevationDeg ?? null;
  const viewElevation =
    shown?.settings.elevationDeg === 'auto' || !shown ? (autoElevation ?? 0) : (shown.settings.elevationDeg as number);
  // The input panel's crop and pose come from the first run's preprocessing: fetch them once the
  // running job is past that stage instead of at the end of the run.
  const jobStage = job?.stage ?? null;
  const hasPreprocess = Boolean(project?.preprocessed);
  useEffect(() => {
    if (jobStage && jobStage !== 'preprocess' && !hasPreprocess) void reload();
  }, [jobStage, hasPreprocess, reload]);

  const splatSource: SplatSource | null = useMemo(() => {
    if (job && ws.preview && ws.preview.runId === job.runId)
      return { kind: 'preview', arrays: ws.preview.arrays, step: ws.preview.step, label: `Live preview, step ${ws.preview.step}` };
    const url = assetSrc(shown?.splatUrl);
    return url ? { kind: 'url', url, format: splatFormat(url), label: `Run ${shown?.id}` } : null;
  }, [job, ws.preview, shown, assetSrc]);
  const restyled = useRestyledSource(splatSource, restyleOps, fetchAsset, expressionPose);
  const headReady = splatSource?.kind === 'url' && shown?.state === 'done';

  const saveRestyle = async (ops: HeadRestyleOp[]): Promise<boolean> => {
    if (!shown) return false;
    try {
      const variant = await api.saveRestyledRun({ projectId, runId: shown.id, ops });
      setSelectedRunId(variant.id);
      void reload();
      notify({ severity: 'success', text: `Saved the restyled head as run ${variant.id} (export it like any head).` });
      return true;
    } catch (err) {
      notify({ severity: 'error', text: `Could not save the restyled head: ${errorMessage(err)}` });
      return false;
    }
  };
  const pinCover = async (run: RunSummary | null): Promise<void> => {
    try {
      await api.setProjectCover({ id: projectId, runId: run?.id ?? null });
      void reload();
      notify({ severity: 'success', text: run ? `Run ${run.id} is now the gallery picture.` : 'The gallery shows the newest finished run again.' });
    } catch (err) {
      notify({ severity: 'error', text: `Could not change the gallery picture: ${errorMessage(err)}` });
    }
  };
  /** Settings put back in Generate with the seed locked (a seed picked in the explorer, a reverted run). */
  const lockSettings = useCallback((settings: RunSettings) => setEdit({ settings, seedLocked: true }), [setEdit]);
  const toggleBadView = (index: number): void => {
    const current = edit.settings.ignoredViews ?? [];
    const next = current.includes(index) ? current.filter((v) => v !== index) : [...current, index].sort((a, b) => a - b);
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
      seed !== undefined ? { ...edit.settings, seed } : edit.seedLocked ? edit.settings : { ...edit.settings, seed: randomSeed() };
    if (seed !== undefined) lockSettings(settings);
    else if (!edit.seedLocked) setEdit({ ...edit, settings });
    setStartError(null);
    ws.setFinished(null);
    try {
      const info = await api.startRun({ projectId, settings });
      ws.track(info);
      setSelectedRunId(info.runId);
      void reload();
    } catch (err) {
      setStartError(errorMessage(err));
    }
  };
  const cancel = async (): Promise<void> => {
    if (!job) return;
    try {
      await api.cancelJob({ jobId: job.id });
    } catch (err) {
      notify({ severity: 'error', text: `Could not cancel: ${errorMessage(err)}` });
    }
  };
  const openRunCompare = (): void => {
    if (comparable.length >= 2) setDialog({ kind: 'compare-runs' });
  };

  useShortcuts({
    run: () => void run(),
    undo: draft.undo,
    redo: draft.redo,
    turntable: () => preview.setTurntable((v) => !v),
    'reset-camera': preview.resetCamera,
    'frame-time': () => preview.setShowFrameTime((v) => !v),
    progressive: () => preview.setProgressive((v) => !v),
    'mode-views': () => preview.setCompareMode('views'),
    'mode-side-by-side': () => preview.setCompareMode('side-by-side'),
    'mode-overlay': () => preview.setCompareMode('overlay'),
    'mode-difference': () => preview.setCompareMode('difference'),
    'compare-runs': openRunCompare,
    'cheat-sheet': () => setDialog({ kind: 'shortcuts' }),
  });

  if (ws.loadError) {
    return (
      <Alert severity="error" sx={{ m: 3 }} action={<Button onClick={onClose}>Back to projects</Button>}>
        {ws.loadError}
      </Alert>
    );
  }
  if (!project) return <CircularProgress sx={{ m: 3 }} aria-label="Loading project" />;
  const closeDialog = (): void => setDialog(null);
  const column = { p: 2, overflow: 'auto', borderColor: 'divider', display: 'flex', flexDirection: 'column' } as const;

  return (
    <Box
      component="main"
      aria-label={`Project ${project.name}`}
      sx={{ display: 'grid', gridTemplateColumns: '300px minmax(0, 1fr) 300px', gridTemplateRows: 'auto minmax(0, 1fr)', height: '100%' }}
    >
      <WorkspaceTopBar
        name={project.name}
        projectId={projectId}
        run={shown}
        onShortcuts={() => setDialog({ kind: 'shortcuts' })}
        onAnimate={(r) => setDialog({ kind: 'animate', run: r })}
        onExport={(r) => setDialog({ kind: 'export', run: r })}
      />

      <Box component="aside" aria-label="Input and generation" sx={{ ...column, borderRight: 1, gap: 3 }}>
        <InputPanel project={project} />
        <GenerationControls
          value={edit}
          onChange={setEdit}
          autoElevationDeg={autoElevation}
          engineInfo={engineInfo}
          onExploreSeeds={() => setDialog({ kind: 'seeds' })}
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
            The generate pipeline is not available in this build: {engineInfo.pipeline.problem ?? 'see `headforge doctor`'}.
          </Alert>
        )}
        <RunButton running={Boolean(job)} onRun={() => void run()} onCancel={() => void cancel()} />
      </Box>

      <Box sx={{ overflow: 'auto', minHeight: 0 }}>
        <PreviewStage
          preview={preview}
          source={restyled.source}
          run={shown}
          standIn={standIn}
          viewElevation={viewElevation}
          markedBad={edit.settings.ignoredViews ?? []}
          onToggleBad={toggleBadView}
        />
        <RestyleControls
          available={headReady}
          unavailableReason={splatSource?.kind === 'preview' ? 'after the run finishes' : 'needs a finished run'}
          onChange={setRestyleOps}
          onSave={saveRestyle}
          error={restyled.error}
        />
        <ExpressionStudio projectId={projectId} run={headReady ? shown : null} onChange={setExpressionPose} />
      </Box>

      <Box component="aside" aria-label="Progress and runs" sx={{ ...column, borderLeft: 1, gap: 2 }}>
        {startError && (
          <Alert severity="error" role="alert" onClose={() => setStartError(null)}>
            Could not start the run: {startError}
          </Alert>
        )}
        <JobPanel job={job} stages={ws.stages} message={ws.message} finished={ws.finished} />
        <RunHistory
          runs={runs}
          selectedId={picked?.id ?? null}
          onSelect={(r) => setSelectedRunId(r.id)}
          onReuse={(r) => {
            lockSettings({ ...r.settings });
            notify({
              severity: 'info',
              text: `Settings reverted to run ${r.id} (seed ${r.settings.seed} locked). Newer runs are kept.`,
              action: { label: 'Undo', run: draft.undo },
            });
          }}
          onCompare={openRunCompare}
          coverRunId={project.coverRunId ?? null}
          onPinCover={(r) => void pinCover(r)}
        />
      </Box>

      {dialog?.kind === 'compare-runs' && comparable.length >= 2 && (
        <RunCompare runs={comparable} initial={[comparable[1].id, comparable[0].id]} onClose={closeDialog} />
      )}
      {dialog?.kind === 'seeds' && (
        <SeedExplorer
          projectId={projectId}
          settings={edit.settings}
          running={Boolean(job)}
          onUse={(seed) => {
            lockSettings({ ...edit.settings, seed });
            closeDialog();
          }}
          onRun={(seed) => {
            closeDialog();
            void run(seed);
          }}
          onClose={closeDialog}
        />
      )}
      {dialog?.kind === 'animate' && <AnimateDialog projectId={projectId} run={dialog.run} onClose={closeDialog} />}
      {dialog?.kind === 'export' && <ExportDialog projectId={projectId} run={dialog.run} onClose={closeDialog} />}
      <ShortcutSheet open={dialog?.kind === 'shortcuts'} onClose={closeDialog} shortcuts={SHORTCUT_SHEET} />
    </Box>
  );
}
