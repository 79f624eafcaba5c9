/**
 * Live expression preview next to the splat preview: pose the shown head with one expression of the
 * landmark rig (blink, smile, jaw open, brow raise) at an amount, to judge it before exporting a video
 * with the Animate dialog. The engine supplies the run's face anchors once (getFaceAnchors); the
 * deformation runs in the page (restyle-preview.ts posedCloud, the same rig as the export).
 */
import { useEffect, useRef, useState } from 'react';
import { Box, CircularProgress, FormControl, InputLabel, MenuItem, Select, Slider, Typography } from '@mui/material';
import type { ExpressionName } from '../../shared/animation';
import type { RunSummary } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';
import { useAsyncAction } from '../common/useAsyncAction';
import type { ExpressionPose } from './restyle-preview';

const EXPRESSIONS: Record<ExpressionName, string> = { blink: 'Blink', smile: 'Smile', jawOpen: 'Jaw open', browRaise: 'Brow raise' };

export interface ExpressionPreviewControlsProps {
  projectId: string;
  /** The finished run whose head is shown, or null (the controls are disabled). */
  run: RunSummary | null;
  onChange(pose: ExpressionPose | null): void;
}

export function ExpressionPreviewControls({ projectId, run, onChange }: ExpressionPreviewControlsProps) {
  const { api } = useStudio();
  const [expression, setExpression] = useState<ExpressionName | ''>('');
  const [amount, setAmount] = useState(1);
  const anchorsFetch = useAsyncAction((id: string) => api.getFaceAnchors({ projectId, runId: id }).then((found) => ({ runId: id, ...found })));
  const { result: anchors, busy: loading, error, run: fetchAnchors, reset: dropAnchors } = anchorsFetch;
  const runId = run?.id ?? null;
  // The run whose anchors were last asked for: asked once per run (a failure is not retried in a loop;
  // picking another expression tries again).
  const asked = useRef<string | null>(null);

  // Anchors are fetched once per run, when an expression is first picked for it; a fetch for a run no
  // longer shown is dropped (reset) in favour of the new one.
  useEffect(() => {
    if (!expression || !runId || asked.current === runId) return;
    asked.current = runId;
    dropAnchors();
    void fetchAnchors(runId);
  }, [projectId, runId, expression, fetchAnchors, dropAnchors]);

  useEffect(() => {
    const ready = expression && anchors && anchors.runId === runId;
    onChange(ready ? { anchors: anchors.anchors, weights: { [expression]: amount } } : null);
  }, [expression, amount, anchors, runId, onChange]);

  const off = !run;
  return (
    <Box component="section" aria-labelledby="expression-heading" data-testid="expression-preview" sx={{ mx: 2, mt: 1, p: 1.5, border: 1, borderColor: 'divider', borderRadius: 1, display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
      <Typography id="expression-heading" variant="subtitle2" component="h2" color="text.secondary" sx={{ flex: '1 0 100%' }}>
        EXPRESSION PREVIEW {off ? '(needs a finished run)' : '(pose only: export it with Animate)'}
      </Typography>
      <FormControl size="small" sx={{ minWidth: 150 }} disabled={off}>
        <InputLabel id="expression-preview-label">Expression</InputLabel>
        <Select labelId="expression-preview-label" label="Expression" value={expression} onChange={(e) => {
            if (error) asked.current = null; // try the anchors again
            setExpression(e.target.value as ExpressionName | '');
          }}>
          <MenuItem value="">None</MenuItem>
          {Object.entries(EXPRESSIONS).map(([k, v]) => (
            <MenuItem key={k} value={k}>
              {v}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <Box sx={{ minWidth: 160, flex: '1 1 160px' }}>
        <Typography id="expression-amount" variant="caption" color={off || !expression ? 'text.disabled' : 'text.secondary'}>
          Amount: {Math.round(amount * 100)}%
        </Typography>
        <Slider aria-labelledby="expression-amount" size="small" min={0} max={1} step={0.05} value={amount} onChange={(_e, v) => setAmount(Math.round((v as number) * 100) / 100)} disabled={off || !expression} />
      </Box>
      {loading && <CircularProgress size={20} aria-label="Finding the face on the head" />}
      {anchors && anchors.runId === runId && expression && (
        <Typography variant="caption" color="text.secondary">
          Face: {anchors.source}
        </Typography>
      )}
      {error && (
        <Typography variant="caption" color="error" role="alert" sx={{ flex: '1 0 100%' }}>
          {error}
        </Typography>
      )}
    </Box>
  );
}
