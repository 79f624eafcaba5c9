/** The part of @mkkellogg/gaussian-splats-3d (ships no types) that the studio uses. */
declare module '@mkkellogg/gaussian-splats-3d' {
  import type { PerspectiveCamera, WebGLRenderer } from 'three';

  export const SceneFormat: { Splat: 0; KSplat: 1; Ply: 2; Spz: 3 };
  export const SceneRevealMode: { Default: 0; Gradual: 1; Instant: 2 };
  export const RenderMode: { Always: 0; OnChange: 1; Never: 2 };
  export const LogLevel: { None: 0; Error: 1; Warning: 2; Info: 3; Debug: 4 };

  export interface ViewerOptions {
    rootElement?: HTMLElement;
    renderer?: WebGLRenderer;
    camera?: PerspectiveCamera;
    selfDrivenMode?: boolean;
    useBuiltInControls?: boolean;
    cameraUp?: [number, number, number];
    initialCameraPosition?: [number, number, number];
    initialCameraLookAt?: [number, number, number];
    sharedMemoryForWorkers?: boolean;
    gpuAcceleratedSort?: boolean;
    integerBasedSort?: boolean;
    sphericalHarmonicsDegree?: number;
    sceneRevealMode?: number;
    antialiased?: boolean;
    logLevel?: number;
    enableSIMDInSort?: boolean;
    /** OnChange: draw only when the camera or scene changes (idle pages stay idle). */
    renderMode?: number;
    /** Multiplies the per-frame scene reveal fade rate (0.012 Default, 0.003 other modes). */
    sceneFadeInRateMultiplier?: number;
  }

  export interface BuiltInOrbitControls {
    target: { set(x: number, y: number, z: number): void };
    update(): void;
    autoRotate?: boolean;
    autoRotateSpeed?: number;
    enableDamping: boolean;
    listenToKeyEvents(element: HTMLElement | Window): void;
    stopListenToKeyEvents(): void;
    /** 'start' when the user begins a drag, wheel or touch gesture (OrbitControls events). */
    addEventListener(type: 'start' | 'end' | 'change', listener: () => void): void;
  }

  export interface AddSceneOptions {
    format?: number;
    showLoadingUI?: boolean;
    progressiveLoad?: boolean;
    splatAlphaRemovalThreshold?: number;
    /** Scene orientation as a quaternion [x, y, z, w]. */
    rotation?: [number, number, number, number];
    position?: [number, number, number];
    scale?: [number, number, number];
  }

  /** The library's own promise: then() takes no rejection handler; `promise` is the native one. */
  export class AbortablePromise<T> {
    constructor(
      executor: (resolve: (value: T) => void, reject: (error: unknown) => void) => void,
      abortHandler?: (reason?: unknown) => void,
    );
    promise: Promise<T>;
    abort(reason?: unknown): void;
  }

  export class Viewer {
    constructor(options: ViewerOptions);
    /** Pixels per CSS pixel the viewer's uniforms assume (window.devicePixelRatio at construction). */
    devicePixelRatio: number;
    splatMesh: {
      devicePixelRatio: number;
      /** Called with each finished depth sort: splat indices back to front, the first `count` drawn. */
      updateRenderIndexes(sorted: Uint32Array, count: number): void;
      /** Screen-space size factor of every splat (1 = as stored). */
      setSplatScale(scale: number): void;
      getSplatCount(): number;
    } | null;
    camera: PerspectiveCamera;
    controls: BuiltInOrbitControls | null;
    perspectiveControls?: BuiltInOrbitControls;
    orthographicControls?: BuiltInOrbitControls;
    /** The viewer's own window-wide keydown handler (debug keys; the studio removes it). */
    keyDownListener: ((e: KeyboardEvent) => void) | null;
    forceRenderNextFrame(): void;
    sortPromise: Promise<unknown> | null;
    /** Not a native promise: never `await` it directly (see workspace/scene-load.ts). */
    addSplatScene(url: string, options?: AddSceneOptions): AbortablePromise<void>;
    removeSplatScene(index: number, showLoadingUI?: boolean): Promise<void>;
    getSceneCount(): number;
    runSplatSort(force?: boolean, forceSortAll?: boolean): Promise<boolean>;
    start(): void;
    stop(): void;
    update(): void;
    render(): void;
    dispose(): Promise<void>;
  }
}
