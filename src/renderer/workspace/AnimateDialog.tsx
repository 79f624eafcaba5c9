/**
 * Animate dialog: render a finished head along a camera path (turntable, orbit with elevation sweep,
 * nod, or custom keyframes), optionally with an expression pulse, to MP4 / WebM / GIF / a zipped PNG
 * sequence. The engine runs it as a job: a progress bar and Cancel here, then a toast with the
 * download link. The file lands in the run's exports folder.
 */
import { useState } from 'react';
import { Alert, Box, Button, Checkbox, Dialog, DialogActions, DialogContent, DialogTitle, FormControl, FormControlLabel, InputLabel, LinearProgress, Link, MenuItem, Select, TextField, Typography } from '@mui/material';
import { ChoiceSelect } from '../common/ChoiceSelect';
import type { AnimationExpression, AnimationFormat, AnimationPathKind, AnimationRequest, JobInfo, RunSummary } from '../../shared/contracts/studio-api';
import { useStudio, useStudioEvent } from '../api/StudioProvider';
import { useNotify } from '../common/Notifier';
import { useAsyncAction } from '../common/useAsyncAction';
import { parseKeyframes } from './keyframes-text';
import { ArkitTakePicker, type PickedTake } from './ArkitTakePicker';
import { arkitTakeDuration } from '../../shared/animation/arkit-csv';

const PATHS: Record<AnimationPathKind, string> = {
  turntable: 'Turntable (one turn)',
  orbit: 'Orbit (turn + elevation sweep)',
  nod: 'Nod (camera bobs at the front)',
  keyframes: 'Custom keyframes',
};
const EXPRESSIONS: Record<AnimationExpression, string> = { none: 'None', blink: 'Blink', smile: 'Smile', jawOpen: 'Jaw open', browRaise: 'Brow raise' };
const FORMATS: Record<AnimationFormat, string> = { mp4: 'MP4 (H.264)', webm: 'WebM (VP9)', gif: 'GIF', png: 'PNG sequence (.zip)' };
const SIZES = [128, 256, 384, 512, 768, 1024];
const DEFAULT_KEYS = '0 0 0\n1.5 -40 10\n3 40 -5\n4 0 0';

export interface AnimateDialogProps {
  projectId: string;
  run: RunSummary;
  onClose(): void;
}

export function AnimateDialog({ projectId, run, onClose }: AnimateDialogProps) {
  const { api, assetSrc } = useStudio();
  const notify = useNotify();
  const [pathKind, setPathKind] = useState<AnimationPathKind>('turntable');
  const [elevation, setElevation] = useState('0');
  const [keysText, setKeysText] = useState(DEFAULT_KEYS);
  const [expression, setExpression] = useState<AnimationExpression>('none');
  const [take, setTake] = useState<PickedTake | null>(null);
  const [format, setFormat] = useState<AnimationFormat>('mp4');
  const [size, setSize] = useState(512);
  const [fps, setFps] = useState('30');
  const [duration, setDuration] = useState('4');
  const [background, setBackground] = useState('#202226');
  const [transparent, setTransparent] = useState(false);
  const [job, setJob] = useState<JobInfo | null>(null);
  const [target, setTarget] = useState<{ fileName: string; url: string } | null>(null);
  const [done, setDone] = useState<{ fileName: string; url: string } | null>(null);
  // Why the export job failed, in the job's words (start and cancel failures come from their actions).
  const [jobError, setJobError] = useState<string | null>(null);
  const starter = useAsyncAction((request: AnimationRequest) => api.startAnimationExport(request));
  const canceller = useAsyncAction((jobId: string) => api.cancelJob({ jobId }));
  const error = starter.error ?? canceller.error ?? jobError;

  const canBeTransparent = format === 'png' || format === 'gif';
  const keys = pathKind === 'keyframes' ? parseKeyframes(keysText) : null;
  const running = job !== null && (job.state === 'queued' || job.state === 'running');

  useStudioEvent((event) => {
    if ((event.type !== 'job-progress' && event.type !== 'job-finished') || event.job.id !== job?.id) return;
    setJob(event.job);
    if (event.type !== 'job-finished') return;
    if (event.job.state === 'done' && target) {
      setDone(target);
      notify({ severity: 'success', text: `Animation saved: ${target.fileName}`, action: { label: 'Download', run: () => download(assetSrc(target.url), target.fileName) }, durationMs: 15_000 });
    } else if (event.job.state === 'failed') {
      setJobError(event.job.error ?? 'the export failed');
    }
  });

  const start = async (): Promise<void> => {
    setJobError(null);
    canceller.reset();
    setDone(null);
    if (keys && !keys.ok) return;
    const request: AnimationRequest = {
      projectId,
      runId: run.id,
      path: { kind: pathKind, ...(pathKind === 'turntable' || pathKind === 'nod' ? { elevationDeg: Number(elevation) || 0 } : {}), ...(keys?.ok ? { keyframes: keys.keyframes } : {}) },
      expression: take ? 'none' : expression,
      ...(take ? { arkitCsv: take.csv } : {}),
      format,
      size,
      fps: Math.round(Number(fps)),
      durationS: Number(duration),
      background: canBeTransparent && transparent ? 'transparent' : background,
    };
    const started = await starter.run(request);
    if (!started) return;
    setTarget({ fileName: started.fileName, url: started.url });
    setJob(started.job);
  };
  const cancel = (): void => {
    if (job) void canceller.run(job.id);
  };

  return (
    <Dialog open onClose={running ? undefined : onClose} aria-labelledby="animate-title" fullWidth maxWidth="sm">
      <DialogTitle id="animate-title">Animate head</DialogTitle>
      <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 2, pt: '8px !important' }}>
        <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 2 }}>
          <ChoiceSelect id="anim-path" label="Camera path" value={pathKind} choices={PATHS} onChange={setPathKind} disabled={running} />
          <ChoiceSelect id="anim-expression" label="Expression" value={take ? 'none' : expression} choices={EXPRESSIONS} onChange={setExpression} disabled={running || take !== null} />
        </Box>
        <ArkitTakePicker
          value={take}
          disabled={running}
          onChange={(t) => {
            setTake(t);
            // The clip lasts the take, at its frame rate.
            if (t) {
              setDuration(arkitTakeDuration(t.take).toFixed(2));
              setFps(String(Math.min(60, Math.round(t.take.fps))));
            }
          }}
        />
        {(pathKind === 'turntable' || pathKind === 'nod') && <TextField size="small" type="number" label="Elevation (degrees)" value={elevation} onChange={(e) => setElevation(e.target.value)} disabled={running} slotProps={{ htmlInput: { min: -60, max: 60 } }} />}
        {pathKind === 'keyframes' && (
          <TextField
            size="small"
            multiline
            minRows={3}
            label="Keyframes: time (s), azimuth, elevation (degrees), one per line"
            value={keysText}
            onChange={(e) => setKeysText(e.target.value)}
            disabled={running}
            error={keys !== null && !keys.ok}
            helperText={keys && !keys.ok ? keys.error : 'Smooth (Catmull-Rom) through the keys; azimuth 0 is the front.'}
          />
        )}
        <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 2 }}>
          <ChoiceSelect id="anim-format" label="Format" value={format} choices={FORMATS} onChange={setFormat} disabled={running} />
          <FormControl size="small" disabled={running}>
            <InputLabel id="anim-size">Size</InputLabel>
            <Select labelId="anim-size" label="Size" value={size} onChange={(e) => setSize(Number(e.target.value))}>
              {SIZES.map((s) => (
                <MenuItem key={s} value={s}>
                  {s} × {s} px
                </MenuItem>
              ))}
            </Select>
          </FormControl>
          <TextField size="small" type="number" label="Frames per second" value={fps} onChange={(e) => setFps(e.target.value)} disabled={running} slotProps={{ htmlInput: { min: 1, max: 60 } }} />
          <TextField size="small" type="number" label="Duration (seconds)" value={duration} onChange={(e) => setDuration(e.target.value)} disabled={running} slotProps={{ htmlInput: { min: 0.1, max: 120, step: 0.5 } }} />
        </Box>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
          <TextField size="small" type="color" label="Background" value={background} onChange={(e) => setBackground(e.target.value)} disabled={running || (canBeTransparent && transparent)} sx={{ width: 120 }} />
          <FormControlLabel control={<Checkbox checked={canBeTransparent && transparent} onChange={(e) => setTransparent(e.target.checked)} disabled={running || !canBeTransparent} />} label={canBeTransparent ? 'Transparent background' : 'Transparent (PNG / GIF only)'} />
        </Box>
        {take && (
          <Typography variant="body2" color="text.secondary">
            The take drives the face through the head's splats bound to its fitted model (needs a run with a head model){take.take.head ? ', and turns head, hair and neck by its head rotation' : ''}.
          </Typography>
        )}
        {!take && expression !== 'none' && (
          <Typography variant="body2" color="text.secondary">
            The expression is a landmark rig on the Gaussians (the face is found on the head first): it moves lids, lips, jaw and brows, and invents no teeth or wrinkles.
          </Typography>
        )}
        {job && (
          <Box>
            <Typography variant="body2" id="anim-progress-label">
              {job.state === 'queued' ? 'Waiting for the current job to finish…' : job.state === 'running' ? `Rendering and encoding: ${Math.round(job.fraction * 100)}%${job.etaSeconds !== null ? `, about ${job.etaSeconds} s left` : ''}` : job.state === 'done' ? 'Done.' : job.state === 'cancelled' ? 'Cancelled.' : 'Failed.'}
            </Typography>
            <LinearProgress variant="determinate" value={job.state === 'done' ? 100 : Math.round(job.fraction * 100)} aria-labelledby="anim-progress-label" />
          </Box>
        )}
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
        {done && (
          <Alert severity="success">
            Wrote {done.fileName}.{' '}
            <Link href={assetSrc(done.url)} download={done.fileName}>
              Download
            </Link>
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        {running ? (
          <Button color="warning" onClick={cancel} disabled={canceller.busy}>
            Cancel export
          </Button>
        ) : (
          <Button onClick={onClose}>Close</Button>
        )}
        <Button variant="contained" onClick={() => void start()} disabled={running || starter.busy || (keys !== null && !keys.ok)}>
          Export animation
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Start a browser download of `href` (the toast's action; the dialog shows a plain link too). */
function download(href: string | undefined, fileName: string): void {
  if (!href) return;
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
}
