/**
 * A landmarker that reads a face and its mirror image alike: each face is detected as it is and in the
 * image flipped left-right, and every landmark is the mean of its own point and its partner's point
 * from the flipped image, flipped back.
 *
 * The face mesh (MediaPipe's, through @vladmandic/human) is not mirror-symmetric: on the fixture
 * portraits and on their mirror images it reads the subject's right eye as narrower and the right brow
 * as raised, and the flipped detection, flipped back, sits 4 to 5 px to one side with eye and brow
 * points up to 3 px off their partners' (its face box is not symmetric, and it truncates its
 * coordinates to whole pixels: a -0.5 px bias in x that the flip turns into +0.5). Fitted to those
 * points, every frontal face took a one-sided squint or brow. Averaged, the bias in x cancels and the
 * fit's landmark error falls by a fifth to a third (docs/eval.md).
 */
import { flipRgbaX, type RgbaImage } from '../../shared/image';
import { FACE_MESH_MIRROR } from './face-mesh-mirror';
import type { DetectedFace, FaceLandmarker } from './types';

/** A flipped face is the same face when their boxes overlap this much (intersection over union). */
const SAME_FACE_IOU = 0.5;

type Box = DetectedFace['box'];

function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/**
 * A face found in the image flipped left-right, in the unflipped image's pixels: box mirrored, each
 * landmark at its partner's mirrored point (x -> width - x: the detector's coordinates are continuous,
 * pixel k spanning [k, k + 1)).
 */
export function unflipFace(face: DetectedFace, width: number): DetectedFace {
  const n = FACE_MESH_MIRROR.length;
  if (face.landmarks.length !== n * 3)
    throw new Error(`expected ${n} landmarks, got ${face.landmarks.length / 3}`);
  const landmarks = new Float32Array(n * 3);
  for (let k = 0; k < n; k++) {
    const j = FACE_MESH_MIRROR[k];
    landmarks[k * 3] = width - face.landmarks[j * 3];
    landmarks[k * 3 + 1] = face.landmarks[j * 3 + 1];
    landmarks[k * 3 + 2] = face.landmarks[j * 3 + 2];
  }
  const { x, y, width: w, height: h } = face.box;
  return { box: { x: width - x - w, y, width: w, height: h }, score: face.score, landmarks };
}

/** The mean of a face and the same face from the flipped image (already unflipped). */
export function averageFaces(a: DetectedFace, b: DetectedFace): DetectedFace {
  const landmarks = new Float32Array(a.landmarks.length);
  for (let i = 0; i < landmarks.length; i++) landmarks[i] = (a.landmarks[i] + b.landmarks[i]) / 2;
  const mid = (p: number, q: number) => (p + q) / 2;
  return {
    box: {
      x: mid(a.box.x, b.box.x),
      y: mid(a.box.y, b.box.y),
      width: mid(a.box.width, b.box.width),
      height: mid(a.box.height, b.box.height),
    },
    score: mid(a.score, b.score),
    landmarks,
  };
}

export class MirrorAveragedLandmarker implements FaceLandmarker {
  readonly name: string;
  constructor(private readonly inner: FaceLandmarker) {
    this.name = `${inner.name}, mirror-averaged`;
  }

  /** Faces as the inner landmarker finds them (largest first); each one also found flipped is averaged with it. */
  async detect(img: RgbaImage): Promise<DetectedFace[]> {
    return this.averageWithMirror(img, await this.inner.detect(img));
  }

  /** `faces` (the inner landmarker's on `img`), each averaged with the same face found in `img` flipped. */
  async averageWithMirror(img: RgbaImage, faces: DetectedFace[]): Promise<DetectedFace[]> {
    if (!faces.length) return faces;
    const flipped = (await this.inner.detect(flipRgbaX(img))).map((f) => unflipFace(f, img.width));
    const used = new Set<number>();
    return faces.map((face) => {
      let best = -1;
      let bestIou = SAME_FACE_IOU;
      flipped.forEach((f, i) => {
        const o = iou(face.box, f.box);
        if (!used.has(i) && o >= bestIou) {
          best = i;
          bestIou = o;
        }
      });
      if (best < 0) return face;
      used.add(best);
      return averageFaces(face, flipped[best]);
    });
  }
}
