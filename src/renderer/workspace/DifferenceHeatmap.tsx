/**
 * A canvas showing where a generated view and the head render from the same camera differ
 * (heatmap.ts: composited on white, mean |RGB difference|, saturating at HEATMAP_FULL_SCALE).
 * Both images come from the same origin (/assets or the desktop asset protocol), so the canvas may
 * read their pixels.
 */
import { useEffect, useRef, useState } from 'react';
import { Box, Typography } from '@mui/material';
import { differenceOnWhite, heatmapImage } from './heatmap';

async function pixelsOf(src: string): Promise<{ data: Uint8ClampedArray; width: number; height: number }> {
  const img = new Image();
  img.src = src;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas context');
  ctx.drawImage(img, 0, 0);
  return { data: ctx.getImageData(0, 0, canvas.width, canvas.height).data, width: canvas.width, height: canvas.height };
}

export function DifferenceHeatmap({ viewSrc, renderSrc, label }: { viewSrc: string; renderSrc: string; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([pixelsOf(viewSrc), pixelsOf(renderSrc)])
      .then(([a, b]) => {
        if (!live || !canvas.current) return;
        if (a.width !== b.width || a.height !== b.height) throw new Error(`view is ${a.width}x${a.height}, render ${b.width}x${b.height}`);
        const heat = heatmapImage(differenceOnWhite(a.data, b.data, a.width, a.height));
        canvas.current.width = a.width;
        canvas.current.height = a.height;
        canvas.current.getContext('2d')?.putImageData(new ImageData(heat as Uint8ClampedArray<ArrayBuffer>, a.width, a.height), 0, 0);
        setProblem(null);
      })
      .catch((err: unknown) => live && setProblem(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [viewSrc, renderSrc]);

  return problem ? (
    <Box sx={{ aspectRatio: '1 / 1', display: 'grid', placeItems: 'center', bgcolor: 'background.paper', p: 1 }}>
      <Typography variant="caption" color="error">
        No heatmap: {problem}
      </Typography>
    </Box>
  ) : (
    <Box component="canvas" ref={canvas} role="img" aria-label={label} data-testid="difference-heatmap" sx={{ width: '100%', display: 'block', aspectRatio: '1 / 1', bgcolor: '#000' }} />
  );
}
