/**
 * Live 3D preview with gaussian-splats-3d: orbit/pan/zoom (built-in controls), reset, turntable,
 * background colour. Own WebGLRenderer with preserveDrawingBuffer (the e2e test reads pixels back),
 * sharedMemoryForWorkers off (the page is not cross-origin isolated; with it on, loads never finish),
 * CPU sort (gpuAcceleratedSort off). Sources: the run's splat file URL, or live 'job-preview' arrays
 * encoded as .splat in a Blob URL. Loads are serialised: the newest pending source wins; a new scene is
 * added before the old one is removed, so the canvas keeps the last head until the next one is drawn
 * (removing first drew an empty frame between live-preview updates); a resize during a load waits for
 * it (resizing clears the canvas, and nothing can be drawn until the new scene is built).
 * Progressive quality: while the camera moves (a drag, wheel, the turntable) the canvas is drawn at
 * MOVING_SCALE of its resolution (a sixth of the pixels; software WebGL's cost is per pixel of
 * overdraw) and with a fixed half of the splats (splat-thinning.ts; the cost is per splat too), and
 * in full again as soon as it rests. Frame times (frame-clock.ts) are kept
 * always and shown in the top-right corner on request.
 * Framing and orientation (RDF PLY/.splat rotated upright, y-up SPZ/preview verbatim): preview-camera.ts.
 */
import { useEffect, useRef, useState } from 'react';
import { Box, Typography } from '@mui/material';
import * as THREE from 'three';
import { LogLevel, RenderMode, SceneFormat, SceneRevealMode, Viewer } from '@mkkellogg/gaussian-splats-3d';
import { PREVIEW_FOV_DEG, previewCameraPosition, uprightRotation } from './preview-camera';
import { previewToSplatBytes, type PreviewArrays } from './splat-encode';
import { FrameClock } from './frame-clock';
import { installThinning } from './splat-thinning';
import { settledLoad } from './scene-load';

/** Resolution scale while the camera moves (progressive quality); 1 at rest. */
export const MOVING_SCALE = 0.4;

export type SplatSource =
  | { kind: 'url'; url: string; format: 'ply' | 'splat' | 'spz'; label: string }
  | { kind: 'preview'; arrays: PreviewArrays; step: number; label: string };

export interface SplatPreviewProps {
  source: SplatSource | null;
  background: string;
  shDegree: number;
  turntable: boolean;
  /** Changing this object moves the camera to that orbit position (view-grid clicks, Reset). */
  cameraRequest: { azimuthDeg: number; elevationDeg: number; nonce: number } | null;
  /** The user started orbiting, panning or zooming (the camera left a snapped view). */
  onUserOrbit?(): void;
  /** Lower resolution and fewer splats while the camera moves (default on). */
  progressive?: boolean;
  /** Show the frame time in the top-right corner. */
  showFrameTime?: boolean;
}

const FORMAT = { ply: SceneFormat.Ply, splat: SceneFormat.Splat, spz: SceneFormat.Spz } as const;
export function SplatPreview({
  source,
  background,
  shDegree,
  turntable,
  cameraRequest,
  onUserOrbit,
  progressive = true,
  showFrameTime = false,
}: SplatPreviewProps) {
  const orbitListener = useRef(onUserOrbit);
  orbitListener.current = onUserOrbit;
  const clock = useRef(new FrameClock());
  // What decides the resolution, read by the viewer's event handlers.
  const motion = useRef({ dragging: false, turntable, progressive });
  motion.current.turntable = turntable;
  motion.current.progressive = progressive;
  const applyScale = useRef<() => void>(() => undefined);
  const [frameMs, setFrameMs] = useState<number | null>(null);
  const host = useRef<HTMLDivElement>(null);
  const viewerRef = useRef<Viewer | null>(null);
  const rendererRef = useRef<THREE.WebGLRenderer | null>(null);
  const loading = useRef(false);
  const pending = useRef<SplatSource | null>(null);
  // Resizing a canvas clears it, and the viewer cannot draw while it builds a new scene: a resize
  // that comes during a load (the view grid appearing at the end of a run) waits for the load.
  const resizeLater = useRef<(() => void) | null>(null);
  const [status, setStatus] = useState<string>('No splats yet');

  useEffect(() => {
    const root = host.current;
    if (!root) return;
    const renderer = new THREE.WebGLRenderer({ antialias: false, preserveDrawingBuffer: true });
    renderer.setPixelRatio(1);
    renderer.domElement.setAttribute('data-testid', 'splat-canvas');
    renderer.domElement.setAttribute(
      'aria-label',
      '3D head preview: drag to orbit, right-drag to pan, scroll to zoom',
    );
    renderer.domElement.tabIndex = 0;
    root.appendChild(renderer.domElement);
    const viewer = new Viewer({
      rootElement: root,
      renderer,
      selfDrivenMode: true,
      useBuiltInControls: true,
      cameraUp: [0, 1, 0],
      initialCameraPosition: previewCameraPosition(0, 0),
      initialCameraLookAt: [0, 0, 0],
      sharedMemoryForWorkers: false,
      gpuAcceleratedSort: false,
      sphericalHarmonicsDegree: shDegree,
      sceneRevealMode: SceneRevealMode.Instant,
      // The reveal fade converges per frame (rate 0.003 in Instant mode), and the viewer keeps drawing
      // until it has: ~1500 frames, minutes at software-WebGL frame rates. Rate 1 finishes it at once.
      sceneFadeInRateMultiplier: 1 / 0.003,
      // Software WebGL draws a 30k-splat head at a few fps: drawing every frame would starve the page.
      renderMode: RenderMode.OnChange,
      logLevel: LogLevel.None,
    });
    // The viewer listens for keys on the whole window: its debug keys (O orthographic, P points, C, I)
    // and arrow keys (roll, pan) would fire while the user types in a field or moves the elevation
    // slider. Keys drive the 3D view only while its canvas has focus.
    if (viewer.keyDownListener) window.removeEventListener('keydown', viewer.keyDownListener);
    for (const controls of [viewer.perspectiveControls, viewer.orthographicControls]) {
      if (!controls) continue;
      controls.stopListenToKeyEvents();
      controls.listenToKeyEvents(renderer.domElement);
      // Damping decays per frame: at the 1-2 fps of software WebGL it keeps the camera drifting (and
      // the page redrawing) for minutes after every move. Without it, idle means idle.
      controls.enableDamping = false;
      controls.addEventListener('start', () => {
        motion.current.dragging = true;
        applyScale.current();
        orbitListener.current?.();
      });
      controls.addEventListener('end', () => {
        motion.current.dragging = false;
        applyScale.current();
      });
    }
    const moving = (): boolean => {
      const m = motion.current;
      return m.progressive && (m.dragging || m.turntable);
    };
    // The splats drawn by the latest update, for the e2e measurement.
    const refreshThinning = viewer.splatMesh
      ? installThinning(viewer.splatMesh, moving, (n) => (root.dataset.splatsDrawn = String(n)))
      : () => undefined;
    // Draw at MOVING_SCALE while the camera moves: the renderer's buffer and the viewer's splat
    // uniforms (it sizes splats by its own devicePixelRatio) change together; the splats thin out.
    applyScale.current = () => {
      const scale = moving() ? MOVING_SCALE : 1;
      if (renderer.getPixelRatio() === scale) return;
      renderer.setPixelRatio(scale);
      viewer.devicePixelRatio = scale;
      if (viewer.splatMesh) viewer.splatMesh.devicePixelRatio = scale;
      refreshThinning();
      viewer.forceRenderNextFrame();
    };
    // Count the frames the viewer draws (for the frame time and the e2e measurement).
    const render = viewer.render.bind(viewer);
    viewer.render = () => {
      render();
      clock.current.tick(performance.now());
      root.dataset.frames = String(clock.current.count);
    };
    viewer.camera.fov = PREVIEW_FOV_DEG;
    viewer.camera.near = 0.01;
    viewer.camera.updateProjectionMatrix();
    const resize = (): void => {
      const { clientWidth: w, clientHeight: h } = root;
      if (!w || !h) return;
      if (loading.current) {
        resizeLater.current = resize;
        return;
      }
      renderer.setSize(w, h);
      viewer.camera.aspect = w / h;
      viewer.camera.updateProjectionMatrix();
      viewer.forceRenderNextFrame();
    };
    const observer = new ResizeObserver(resize);
    observer.observe(root);
    resize();
    viewer.start();
    viewerRef.current = viewer;
    rendererRef.current = renderer;
    return () => {
      observer.disconnect();
      viewerRef.current = null;
      rendererRef.current = null;
      void viewer.dispose().catch(() => undefined);
      renderer.dispose();
      renderer.domElement.remove();
    };
    // The SH degree is fixed at construction in gaussian-splats-3d: a new degree means a new viewer.
  }, [shDegree]);

  useEffect(() => {
    rendererRef.current?.setClearColor(new THREE.Color(background), 1);
    viewerRef.current?.forceRenderNextFrame();
  }, [background, shDegree]);

  useEffect(() => {
    const controls = viewerRef.current?.controls;
    if (controls) {
      controls.autoRotate = turntable;
      controls.autoRotateSpeed = 4;
    }
    applyScale.current();
  }, [turntable, progressive, shDegree]);

  useEffect(() => {
    if (!showFrameTime) return;
    const timer = setInterval(() => setFrameMs(clock.current.frameMs(performance.now())), 500);
    return () => clearInterval(timer);
  }, [showFrameTime]);

  useEffect(() => {
    const viewer = viewerRef.current;
    if (!viewer || !cameraRequest) return;
    const [x, y, z] = previewCameraPosition(cameraRequest.azimuthDeg, cameraRequest.elevationDeg);
    viewer.camera.position.set(x, y, z);
    viewer.controls?.target.set(0, 0, 0);
    viewer.controls?.update();
    viewer.forceRenderNextFrame();
  }, [cameraRequest]);

  useEffect(() => {
    pending.current = source;
    const pump = async (): Promise<void> => {
      if (loading.current) return;
      loading.current = true;
      try {
        while (pending.current && viewerRef.current) {
          const next = pending.current;
          pending.current = null;
          const viewer = viewerRef.current;
          let url: string;
          let format: number;
          let revoke: string | null = null;
          if (next.kind === 'url') {
            url = next.url;
            format = FORMAT[next.format];
          } else {
            // Encoded as .splat bytes but holding y-up values: drawn verbatim, no RDF rotation.
            url = revoke = URL.createObjectURL(new Blob([previewToSplatBytes(next.arrays) as BlobPart]));
            format = SceneFormat.Splat;
          }
          const rotation = uprightRotation(next.kind === 'url' ? next.format : 'preview');
          try {
            // New scene first, old one after: the canvas is never drawn without a head.
            const old = viewer.getSceneCount();
            await settledLoad(
              viewer.addSplatScene(url, {
                format,
                rotation,
                showLoadingUI: false,
                progressiveLoad: false,
                splatAlphaRemovalThreshold: 1,
              }),
            );
            if (viewerRef.current !== viewer) continue; // disposed meanwhile (SH degree, unmount)
            for (let i = 0; i < old; i++) await viewer.removeSplatScene(0, false);
            applyScale.current();
            viewer.forceRenderNextFrame();
            setStatus(next.label);
          } catch (err) {
            // A viewer disposed mid-load aborts its download: not the file's fault, and the newer
            // viewer gets the pending source on the next turn of the loop.
            if (viewerRef.current !== viewer) continue;
            setStatus(`Could not show ${next.label}: ${err instanceof Error ? err.message : String(err)}`);
          } finally {
            if (revoke) URL.revokeObjectURL(revoke);
          }
        }
      } finally {
        loading.current = false;
        const resize = resizeLater.current;
        resizeLater.current = null;
        resize?.();
      }
    };
    if (source) void pump();
  }, [source, shDegree]);

  return (
    <Box sx={{ position: 'relative', width: '100%', height: '100%' }}>
      <Box
        ref={host}
        data-testid="splat-preview"
        data-scene={source?.kind ?? 'none'}
        sx={{
          position: 'absolute',
          inset: 0,
          '& canvas': { display: 'block' },
          '& canvas:focus-visible': { outline: '3px solid', outlineColor: 'primary.main', outlineOffset: -3 },
        }}
      />
      {showFrameTime && (
        <Typography
          variant="caption"
          data-testid="frame-time"
          sx={{
            position: 'absolute',
            right: 8,
            top: 6,
            color: 'text.secondary',
            pointerEvents: 'none',
            bgcolor: 'rgba(0,0,0,0.4)',
            px: 0.5,
            borderRadius: 0.5,
          }}
        >
          {frameMs === null
            ? 'frame time: idle'
            : `frame ${Math.round(frameMs)} ms (${(1000 / frameMs).toFixed(1)} fps)`}
        </Typography>
      )}
      <Typography
        variant="caption"
        role="status"
        sx={{
          position: 'absolute',
          left: 8,
          bottom: 6,
          color: 'text.secondary',
          pointerEvents: 'none',
          bgcolor: 'rgba(0,0,0,0.4)',
          px: 0.5,
          borderRadius: 0.5,
        }}
      >
        {source ? status : 'No head yet: run the pipeline to see the Gaussians here.'}
      </Typography>
    </Box>
  );
}
