// The mirror-averaged landmarker: a detector that reads one side of every face differently gives a
// left-right symmetric face once each point is averaged with its partner from the flipped image.
import { describe, expect, it } from 'vitest';
import { FACE_MESH_MIRROR } from '../../src/engine/face/face-mesh-mirror';
import { MirrorAveragedLandmarker, unflipFace } from '../../src/engine/face/mirror-averaged';
import type { DetectedFace, FaceLandmarker } from '../../src/engine/face/types';
import { FACE_TEMPLATE } from '../../src/engine/multiview/weightfree/face-template';
import { flipRgbaX, type RgbaImage } from '../../src/shared/image';

const W = 200;
const N = FACE_MESH_MIRROR.length;

/**
 * A face symmetric about x = W / 2: the canonical template's mesh points, each pair made mirror images
 * (the template's own pairing differs on 26 points), irises at the eye centres.
 */
function symmetricFace(): Float32Array {
  const lm = new Float32Array(N * 3);
  for (let i = 0; i < 468; i++) {
    const j = FACE_MESH_MIRROR[i];
    lm[i * 3] = W / 2 + ((FACE_TEMPLATE[i * 3] - FACE_TEMPLATE[j * 3]) / 2) * 80;
    lm[i * 3 + 1] = 100 - ((FACE_TEMPLATE[i * 3 + 1] + FACE_TEMPLATE[j * 3 + 1]) / 2) * 80;
    lm[i * 3 + 2] = -((FACE_TEMPLATE[i * 3 + 2] + FACE_TEMPLATE[j * 3 + 2]) / 2) * 80;
  }
  for (let k = 0; k < 5; k++) {
    for (const [iris, corners] of [
      [468, [33, 133]],
      [473, [263, 362]],
    ] as const) {
      const i = iris + k;
      lm[i * 3] =
        (lm[corners[0] * 3] + lm[corners[1] * 3]) / 2 + [0, 3, 0, -3, 0][k] * (iris === 468 ? 1 : -1);
      lm[i * 3 + 1] = lm[corners[0] * 3 + 1] + [0, 0, -3, 0, 3][k];
    }
  }
  return lm;
}

/**
 * A detector that knows the face and reads it with a one-sided bias: every point 2.5 px to the right
 * and the subject's right eye (landmarks 33, 133, 468..472 and the lids between) 1.5 px narrower. It
 * tells the flipped image from the unflipped one by a marker pixel in the top-left corner.
 */
class BiasedDetector implements FaceLandmarker {
  readonly name = 'biased';
  calls = 0;
  constructor(private readonly truth: Float32Array) {}
  async detect(img: RgbaImage): Promise<DetectedFace[]> {
    this.calls++;
    const flipped = img.data[0] !== 255;
    const lm = new Float32Array(N * 3);
    for (let k = 0; k < N; k++) {
      // The flipped image shows the face's mirror image: landmark k sits where k's partner did, mirrored.
      const j = flipped ? FACE_MESH_MIRROR[k] : k;
      lm[k * 3] = (flipped ? W - this.truth[j * 3] : this.truth[j * 3]) + 2.5;
      lm[k * 3 + 1] = this.truth[j * 3 + 1];
      lm[k * 3 + 2] = this.truth[j * 3 + 2];
    }
    const rightEye = [
      33, 133, 7, 163, 144, 145, 153, 154, 155, 173, 157, 158, 159, 160, 161, 246, 468, 469, 470, 471, 472,
    ];
    const cx = (lm[33 * 3] + lm[133 * 3]) / 2;
    for (const k of rightEye) lm[k * 3] += lm[k * 3] < cx ? 1.5 : -1.5;
    return [{ box: { x: 40, y: 40, width: 120, height: 130 }, score: 0.9, landmarks: lm }];
  }
}

function markedImage(): RgbaImage {
  const data = new Uint8ClampedArray(W * W * 4).fill(128);
  data[0] = 255;
  return { width: W, height: W, data };
}

const asymmetry = (lm: Float32Array) => {
  let worst = 0;
  for (let k = 0; k < N; k++) {
    const j = FACE_MESH_MIRROR[k];
    worst = Math.max(worst, Math.abs(lm[k * 3] + lm[j * 3] - W), Math.abs(lm[k * 3 + 1] - lm[j * 3 + 1]));
  }
  return worst;
};

describe('mirror-averaged face landmarks', () => {
  it('pairs the canonical partners: eye corners, mouth corners and irises with each other, the midline with itself', () => {
    for (let k = 0; k < N; k++) expect(FACE_MESH_MIRROR[FACE_MESH_MIRROR[k]]).toBe(k);
    for (const [a, b] of [
      [33, 263],
      [133, 362],
      [61, 291],
      [78, 308],
      [70, 300],
      [234, 454],
      [468, 473],
      [470, 475],
    ])
      expect(FACE_MESH_MIRROR[a]).toBe(b);
    for (const m of [1, 4, 6, 10, 13, 14, 152, 168]) expect(FACE_MESH_MIRROR[m]).toBe(m);
    // The mouth corners are not on the midline (a nearest-mirrored-point pairing once put them there).
    expect(Array.from(FACE_MESH_MIRROR).filter((j, k) => j === k)).toHaveLength(28);
  });

  it('flipping a face twice gives it back', () => {
    const face: DetectedFace = {
      box: { x: 30, y: 20, width: 90, height: 100 },
      score: 0.8,
      landmarks: symmetricFace(),
    };
    face.landmarks[33 * 3] += 7; // not symmetric any more
    const back = unflipFace(unflipFace(face, W), W);
    // Float32 round trip of width - (width - x): within 1e-4 px.
    expect(Math.max(...back.landmarks.map((v, i) => Math.abs(v - face.landmarks[i])))).toBeLessThan(1e-4);
    expect(back.box).toEqual(face.box);
    const img = markedImage();
    expect(Array.from(flipRgbaX(flipRgbaX(img)).data)).toEqual(Array.from(img.data));
  });

  it('a detector that reads one eye narrower and the face off to one side gives a symmetric face, centred', async () => {
    const truth = symmetricFace();
    const inner = new BiasedDetector(truth);
    const raw = (await inner.detect(markedImage()))[0].landmarks;
    expect(asymmetry(raw)).toBeGreaterThan(3);
    const faces = await new MirrorAveragedLandmarker(inner).detect(markedImage());
    expect(inner.calls).toBe(3);
    expect(faces).toHaveLength(1);
    expect(asymmetry(faces[0].landmarks)).toBeLessThan(1e-3);
    // The one-sided shift is gone: the nose bridge is back on the face's midline.
    expect(Math.abs(faces[0].landmarks[168 * 3] - truth[168 * 3])).toBeLessThan(1e-3);
  });

  it('keeps a face the flipped image does not show as the detector found it', async () => {
    const lm = symmetricFace();
    const inner: FaceLandmarker = {
      name: 'one-way',
      detect: async (img) =>
        img.data[0] === 255
          ? [{ box: { x: 10, y: 10, width: 60, height: 60 }, score: 0.7, landmarks: lm }]
          : [],
    };
    const faces = await new MirrorAveragedLandmarker(inner).detect(markedImage());
    expect(faces).toHaveLength(1);
    expect(faces[0].landmarks).toBe(lm);
  });
});
