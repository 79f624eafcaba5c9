/**
 * How the 3D preview and the views are shown (not part of a project): background, SH degree,
 * turntable, frame time, progressive quality and the compare mode, kept in localStorage; the camera
 * request and the view tile it was snapped to live for the session only.
 */
import { useEffect, useState } from 'react';
import type { CompareMode } from './ViewGrid';

export interface CameraRequest {
  azimuthDeg: number;
  elevationDeg: number;
  nonce: number;
}

const COMPARE_MODES: readonly CompareMode[] = ['views', 'side-by-side', 'overlay', 'difference'];

export function usePreviewSettings() {
  const [background, setBackground] = useState(() => localStorage.getItem('preview.background') ?? '#202226');
  const [shDegree, setShDegree] = useState(0);
  const [turntable, setTurntable] = useState(false);
  const [showFrameTime, setShowFrameTime] = useState(() => localStorage.getItem('preview.frame-time') === 'on');
  // Progressive quality (fewer splats at lower resolution while the camera moves); 'off' keeps it full.
  const [progressive, setProgressive] = useState(() => localStorage.getItem('preview.progressive') !== 'off');
  const [compareMode, setCompareMode] = useState<CompareMode>(() => {
    const stored = localStorage.getItem('views.mode') as CompareMode | null;
    return stored && COMPARE_MODES.includes(stored) ? stored : 'views';
  });
  const [camera, setCamera] = useState<CameraRequest | null>(null);
  // The view tile the camera was last snapped to (marked in the grid) until the user orbits away.
  const [pickedView, setPickedView] = useState<number | null>(null);

  useEffect(() => localStorage.setItem('preview.background', background), [background]);
  useEffect(() => localStorage.setItem('views.mode', compareMode), [compareMode]);
  useEffect(() => localStorage.setItem('preview.frame-time', showFrameTime ? 'on' : 'off'), [showFrameTime]);
  useEffect(() => localStorage.setItem('preview.progressive', progressive ? 'on' : 'off'), [progressive]);

  /** Turn the camera to an orbit position; `view` is the tile to mark (null: none, e.g. Reset). */
  const snapCamera = (azimuthDeg: number, elevationDeg: number, view: number | null): void => {
    setCamera({ azimuthDeg, elevationDeg, nonce: Date.now() });
    setPickedView(view);
  };

  return {
    background,
    setBackground,
    shDegree,
    setShDegree,
    turntable,
    setTurntable,
    showFrameTime,
    setShowFrameTime,
    progressive,
    setProgressive,
    compareMode,
    setCompareMode,
    camera,
    pickedView,
    snapCamera,
    /** The user orbited away from a snapped view. */
    leaveView: () => setPickedView(null),
    resetCamera: () => snapCamera(0, 0, null),
  };
}

export type PreviewSettings = ReturnType<typeof usePreviewSettings>;
