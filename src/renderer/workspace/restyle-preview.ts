/**
 * Live 3D restyle and expression preview: the shown run's head is fetched and decoded once
 * (src/shared/splat), or, while an expression is set, the head the engine posed (poseHead: its splats
 * bound to the fitted head model, ExpressionStudio), recoloured with the SAME src/shared/stylize
 * restyleCloud the engine uses when the variant is saved, and handed to the viewer as preview arrays.
 * Recolouring 30-70k Gaussians takes milliseconds here; what the user waits for is the viewer
 * re-sorting the scene.
 */
import { useEffect, useRef, useState } from 'react';
import type { HeadRestyleOp } from '../../shared/contracts/studio-api';
import type { GaussianCloud } from '../../shared/gaussians/cloud';
import { cloudToPreviewArrays } from '../../shared/gaussians/preview-arrays';
import { decodeSplat } from '../../shared/splat';
import { restyleCloud } from '../../shared/stylize';
import type { SplatSource } from './SplatPreview';

// The activation the engine's training previews use too (one function, src/shared).
export { cloudToPreviewArrays } from '../../shared/gaussians/preview-arrays';

/** The degree-0 part of a cloud (what the preview draws), so restyling skips the higher SH bands. */
function dcOnly(cloud: GaussianCloud): GaussianCloud {
  return { ...cloud, shDegree: 0, shRest: new Float32Array(0) };
}

/** An expression to preview: the head as the engine posed it (degree 0, the run's world), and what it is. */
export interface ExpressionPose {
  cloud: GaussianCloud;
  label: string;
}

/**
 * `source` with `ops` and `pose` applied: unchanged when there is nothing to apply or the source is
 * not a file (a live training preview); else a 'preview' source holding the changed head. `error`
 * says why it could not be shown (the unchanged head stays on screen then).
 */
export function useRestyledSource(source: SplatSource | null, ops: HeadRestyleOp[], fetchUrl: (url: string) => Promise<ArrayBuffer>, pose: ExpressionPose | null = null): { source: SplatSource | null; error: string | null } {
  const decoded = useRef<{ url: string; cloud: Promise<GaussianCloud> } | null>(null);
  const [restyled, setRestyled] = useState<SplatSource | null>(null);
  const [error, setError] = useState<string | null>(null);
  const active = (ops.length > 0 || pose !== null) && source?.kind === 'url';

  useEffect(() => {
    if (!active || source?.kind !== 'url') {
      setRestyled(null);
      setError(null);
      return;
    }
    let cancelled = false;
    if (decoded.current?.url !== source.url) {
      const name = source.url.split('?')[0];
      decoded.current = { url: source.url, cloud: fetchUrl(source.url).then((buf) => dcOnly(decodeSplat(new Uint8Array(buf), name))) };
    }
    decoded.current.cloud.then(
      (cloud) => {
        if (cancelled) return;
        try {
          const shown = pose ? pose.cloud : cloud;
          const coloured = ops.length ? restyleCloud(shown, ops) : shown;
          const arrays = cloudToPreviewArrays(coloured);
          const what = [ops.length ? 'restyled' : '', pose ? `expression: ${pose.label}` : ''].filter(Boolean).join(' + ');
          setRestyled({ kind: 'preview', arrays, step: 0, label: `${source.label}, ${what} (not saved)` });
          setError(null);
        } catch (err) {
          setError(err instanceof Error ? err.message : String(err));
        }
      },
      (err: unknown) => {
        if (!cancelled) setError(`could not load the head to restyle: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [active, source, ops, fetchUrl, pose]);

  return { source: active && restyled ? restyled : source, error };
}
