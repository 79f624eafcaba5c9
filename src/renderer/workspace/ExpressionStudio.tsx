/**
 * Expression studio next to the splat preview: a slider for each of the 52 ARKit blend shapes, grouped
 * (brows, eyes, cheeks, nose, jaw, mouth), and presets (smile, surprise, blink, talk). Every change
 * poses the shown run's head in the engine (poseHead: its splats bound to the run's fitted head model,
 * teeth and mouth interior and closing lids from the model) and the preview shows it. A preview only:
 * render a motion with Animate (an ARKit take, or an expression pulse).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Box, Button, CircularProgress, Slider, Tab, Tabs, Typography } from '@mui/material';
import { ARKIT_BY_GROUP, ARKIT_GROUPS, STUDIO_PRESETS, type ArkitGroup, type StudioPreset } from '../../shared/animation/arkit-presets';
import type { PosedHead, RunSummary } from '../../shared/contracts/studio-api';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import { useStudio } from '../api/StudioProvider';
import { errorMessage } from '../common/errors';
import { createPoseQueue, type PoseQueue } from './pose-queue';
import type { ExpressionPose } from './restyle-preview';

const GROUP_LABELS: Record<ArkitGroup, string> = { brows: 'Brows', eyes: 'Eyes', cheeks: 'Cheeks', nose: 'Nose', jaw: 'Jaw', mouth: 'Mouth' };
const PRESET_LABELS: Record<StudioPreset, string> = { smile: 'Smile', surprise: 'Surprise', blink: 'Blink', talk: 'Talk' };

type Weights = Record<string, number>;

/** The engine's posed head as a degree-0 cloud for the preview. */
function posedCloud(p: PosedHead): GaussianCloud {
  return { count: p.count, shDegree: 0, positions: p.positions, scales: p.scales, rotations: p.rotations, opacities: p.opacities, shDC: p.shDC, shRest: new Float32Array(0) };
}

/** Short words for a pose: the strongest shapes, e.g. "jawOpen 100%, mouthFunnel 35%". */
function describe(w: Weights): string {
  const top = Object.entries(w)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([k, v]) => `${k} ${Math.round(v * 100)}%`);
  const more = Object.keys(w).length - top.length;
  return top.join(', ') + (more > 0 ? ` +${more}` : '');
}

export interface ExpressionStudioProps {
  projectId: string;
  /** The finished run whose head is shown, or null (the controls are disabled). */
  run: RunSummary | null;
  onChange(pose: ExpressionPose | null): void;
}

export function ExpressionStudio({ projectId, run, onChange }: ExpressionStudioProps) {
  const { api } = useStudio();
  const [group, setGroup] = useState<ArkitGroup>('jaw');
  const [weights, setWeights] = useState<Weights>({});
  const [waiting, setWaiting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [bound, setBound] = useState<number | null>(null);
  const runId = run?.id ?? null;
  const queue = useRef<PoseQueue<{ runId: string; weights: Weights }> | null>(null);

  // One queue per shown run: a pose of a run no longer shown is dropped.
  useEffect(() => {
    setWeights({});
    setError(null);
    setBound(null);
    onChange(null);
    if (!runId) return;
    const q = createPoseQueue(
      (req: { runId: string; weights: Weights }) => api.poseHead({ projectId, runId: req.runId, weights: req.weights }),
      (req, posed) => {
        setWaiting(false);
        setError(null);
        setBound(posed.bound);
        onChange({ cloud: posedCloud(posed), label: describe(req.weights) });
      },
      (_req, err) => {
        setWaiting(false);
        setError(errorMessage(err));
      },
    );
    queue.current = q;
    return () => q.stop();
  }, [api, projectId, runId, onChange]);

  useEffect(() => {
    if (!runId || !queue.current) return;
    if (!Object.keys(weights).length) {
      onChange(null); // all at 0: the head as generated
      return;
    }
    setWaiting(true);
    queue.current.ask({ runId, weights });
  }, [weights, runId, onChange]);

  const setOne = (name: string, v: number): void =>
    setWeights((w) => {
      const next = { ...w };
      if (v > 0) next[name] = v;
      else delete next[name];
      return next;
    });
  const counts = useMemo(() => Object.fromEntries(ARKIT_GROUPS.map((g) => [g, ARKIT_BY_GROUP[g].filter((n) => weights[n]).length])), [weights]);

  const off = !run;
  return (
    <Box component="section" aria-labelledby="expression-heading" data-testid="expression-studio" sx={{ mx: 2, mt: 1, p: 1.5, border: 1, borderColor: 'divider', borderRadius: 1 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Typography id="expression-heading" variant="subtitle2" component="h2" color="text.secondary" sx={{ flex: '1 1 auto' }}>
          EXPRESSION {off ? '(needs a finished run)' : '(ARKit blend shapes on the fitted head; preview only: render a motion with Animate)'}
        </Typography>
        {waiting && <CircularProgress size={18} aria-label={bound === null ? 'Binding the head to its fitted model' : 'Posing the head'} />}
      </Box>
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', my: 1 }} role="group" aria-label="Expression presets">
        {(Object.keys(STUDIO_PRESETS) as StudioPreset[]).map((p) => (
          <Button key={p} size="small" variant="outlined" disabled={off} onClick={() => setWeights({ ...STUDIO_PRESETS[p] })}>
            {PRESET_LABELS[p]}
          </Button>
        ))}
        <Button size="small" disabled={off || !Object.keys(weights).length} onClick={() => setWeights({})}>
          Neutral
        </Button>
      </Box>
      <Tabs value={group} onChange={(_e, g: ArkitGroup) => setGroup(g)} variant="scrollable" aria-label="Blend-shape groups" sx={{ minHeight: 32, '& .MuiTab-root': { minHeight: 32, py: 0.5 } }}>
        {ARKIT_GROUPS.map((g) => (
          <Tab key={g} value={g} label={counts[g] ? `${GROUP_LABELS[g]} (${counts[g]})` : GROUP_LABELS[g]} disabled={off} />
        ))}
      </Tabs>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(170px, 1fr))', columnGap: 2, mt: 1 }}>
        {ARKIT_BY_GROUP[group].map((name) => (
          <Box key={name}>
            <Typography variant="caption" color={off ? 'text.disabled' : 'text.secondary'}>
              {name}: {Math.round((weights[name] ?? 0) * 100)}%
            </Typography>
            <Slider size="small" aria-label={name} min={0} max={1} step={0.05} value={weights[name] ?? 0} disabled={off} onChange={(_e, v) => setOne(name, Math.round((v as number) * 100) / 100)} />
          </Box>
        ))}
      </Box>
      {bound !== null && !error && (
        <Typography variant="caption" color="text.secondary">
          {bound.toLocaleString()} splats bound to the fitted head; hair and torso stay rigid.
        </Typography>
      )}
      {error && (
        <Typography variant="caption" color="error" role="alert" component="p">
          {error}
        </Typography>
      )}
    </Box>
  );
}
