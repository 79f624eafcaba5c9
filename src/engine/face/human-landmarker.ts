/**
 * FaceLandmarker backed by @vladmandic/human (MIT): blazeface detector + MediaPipe face mesh + iris,
 * i.e. 468 + 10 = 478 3D landmarks. Runs on the tfjs WASM backend; ~100-300 ms per 512 image.
 */
import type { RgbaImage } from '../../shared/image';
import { FACE_LANDMARK_COUNT } from '../../shared/contracts/preprocess';
import { getTfRuntime, requireAbsolute } from './tf-runtime';
import { humanModelsDir, humanNodeWasmEntry } from './model-paths';
import type { DetectedFace, FaceLandmarker } from './types';

/** The part of human's API used here (its .d.ts cannot be imported by package subpath). */
interface HumanFace {
  box: [number, number, number, number];
  score: number;
  mesh: Array<[number, number, number]>;
}
interface HumanInstance {
  load(): Promise<void>;
  detect(input: unknown): Promise<{ face: HumanFace[] }>;
}
interface HumanModule {
  Human: new (config: object) => HumanInstance;
}

export const MAX_FACES = 5;

export class HumanFaceLandmarker implements FaceLandmarker {
  readonly name = 'human-3.3.6/blazeface+facemesh+iris';
  private constructor(private readonly human: HumanInstance) {}

  static async create(): Promise<HumanFaceLandmarker> {
    const { wasmDir } = await getTfRuntime();
    const { Human } = requireAbsolute<HumanModule>(humanNodeWasmEntry());
    const human = new Human({
      backend: 'wasm',
      wasmPath: wasmDir,
      modelBasePath: `file://${humanModelsDir()}`,
      debug: false,
      // Still images, not video: never reuse a previous frame's result.
      cacheSensitivity: 0,
      skipAllowed: false,
      filter: { enabled: false },
      face: {
        enabled: true,
        // rotation: re-crop the mesh upright for rolled heads; scale 1.4 is human's default margin.
        detector: { rotation: true, maxDetected: MAX_FACES, minConfidence: 0.5, iouThreshold: 0.1, skipFrames: 0, skipTime: 0 },
        mesh: { enabled: true },
        iris: { enabled: true },
        description: { enabled: false },
        emotion: { enabled: false },
        antispoof: { enabled: false },
        liveness: { enabled: false },
      },
      body: { enabled: false },
      hand: { enabled: false },
      object: { enabled: false },
      gesture: { enabled: false },
      segmentation: { enabled: false },
    });
    await human.load();
    return new HumanFaceLandmarker(human);
  }

  async detect(img: RgbaImage): Promise<DetectedFace[]> {
    const { tf } = await getTfRuntime();
    // human wants an int32 [H, W, 3] RGB tensor; alpha is dropped (transparent pixels keep their RGB,
    // which for matted inputs is usually black or white: both are fine for the detector).
    const rgb = new Int32Array(img.width * img.height * 3);
    for (let i = 0, j = 0; i < img.data.length; i += 4, j += 3) {
      rgb[j] = img.data[i];
      rgb[j + 1] = img.data[i + 1];
      rgb[j + 2] = img.data[i + 2];
    }
    const tensor = tf.tensor3d(rgb, [img.height, img.width, 3], 'int32');
    try {
      const result = await this.human.detect(tensor);
      const faces: DetectedFace[] = [];
      for (const f of result.face) {
        if (f.mesh.length !== FACE_LANDMARK_COUNT) continue; // mesh rejected: not a usable face
        const landmarks = new Float32Array(FACE_LANDMARK_COUNT * 3);
        f.mesh.forEach((p, i) => landmarks.set(p, i * 3));
        const [x, y, width, height] = f.box;
        faces.push({ box: { x, y, width, height }, score: f.score, landmarks });
      }
      faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
      return faces;
    } finally {
      tf.dispose(tensor);
    }
  }
}
