// Per-Gaussian projection (EWA splatting) and its exact backward over a whole cloud, in parallel. The
// maths of one Gaussian is headforge/gaussian_math.h, shared with the CUDA kernels; this file owns the
// CPU buffers (Preprocessed, CloudGrads) and the blending records.
#include "blend_record.h"
#include "cpu_internal.h"
#include "headforge/gaussian_math.h"
#include "headforge/parallel.h"

namespace hf {

int activeDegree(const CloudView& cloud, const RenderSettings& settings) {
  return gm::activeShDegree(settings.shDegree, cloud.shDegree);
}

void preprocessForward(const CloudView& cloud, const Camera& cam, int degree, int threads, Preprocessed& pre) {
  const int64_t n = cloud.count;
  // Only radius is written for every Gaussian (0 = culled); the other fields are written for visible
  // Gaussians and read only for those, so the buffers are resized (kept from the last view), not cleared.
  pre.mean2d.resize(n * 2);
  pre.depth.resize(n);
  pre.conic.resize(n * 3);
  pre.opacity.resize(n);
  pre.color.resize(n * 3);
  pre.colorClamped.resize(n * 3);
  pre.radius.resize(n);
  pre.rect.resize(n * 4);
  pre.blend.resize(size_t(n) * kBlendStride);
  const int tilesX = (cam.width + kTileSize - 1) / kTileSize;
  const int tilesY = (cam.height + kTileSize - 1) / kTileSize;
  double camPos[3];
  cam.center(camPos);
  const int K = cloud.restCoeffs();
  parallelFor(threads, n, 4096, [&](int64_t begin, int64_t end) {
    gm::Geometry g;
    for (int64_t i = begin; i < end; i++) {
      pre.radius[i] = 0;
      const float* p = cloud.positions + i * 3;
      if (!gm::computeGeometry(p, cloud.rotations + i * 4, cloud.logScales + i * 3, cam, g)) continue;
      int32_t radius;
      if (!gm::screenExtent(g, tilesX, tilesY, &radius, &pre.rect[i * 4])) continue;
      pre.radius[i] = radius;
      pre.mean2d[i * 2] = static_cast<float>(g.mean[0]);
      pre.mean2d[i * 2 + 1] = static_cast<float>(g.mean[1]);
      pre.depth[i] = static_cast<float>(g.t[2]);
      for (int k = 0; k < 3; k++) pre.conic[i * 3 + k] = static_cast<float>(g.conic[k]);
      pre.opacity[i] = gm::sigmoidOpacity(cloud.opacityLogits[i]);
      double dir[3];
      gm::viewDirection(p, camPos, dir, nullptr);
      gm::shEval(degree, dir, cloud.shDC + i * 3, cloud.shRest + i * K * 3, &pre.color[i * 3], &pre.colorClamped[i * 3]);
      makeBlendRecord(pre.mean2d[i * 2], pre.mean2d[i * 2 + 1], &pre.conic[i * 3], pre.opacity[i], &pre.color[i * 3],
                      pre.depth[i], &pre.blend[size_t(i) * kBlendStride]);
    }
  });
}

void preprocessBackward(const CloudView& cloud, const CpuForwardState& state, const std::vector<float>& grad2d,
                        int threads, CloudGrads& grads) {
  const Camera& cam = state.camera;
  const Preprocessed& pre = state.pre;
  const int K = cloud.restCoeffs();
  double camPos[3];
  cam.center(camPos);
  parallelFor(threads, cloud.count, 2048, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) {
      // Every gradient slot of Gaussian i is written here (zero when it is culled), so the caller need
      // not clear the ~15 MB of gradients serially first.
      const float* g2 = &grad2d[i * kGrad2dStride];
      const gm::GaussianGrads out{&grads.positions[i * 3], &grads.logScales[i * 3], &grads.rotations[i * 4],
                                  &grads.opacityLogits[i], grads.shDC.data() + i * 3,
                                  grads.shRest.data() + i * K * 3, &grads.meanGrad2dNorm[i]};
      // densification counts views where the Gaussian touched a tile
      grads.visible[i] = pre.radius[i] > 0;
      grads.radii[i] = pre.radius[i] > 0 ? pre.radius[i] : 0;
      // A Gaussian that was never blended into a pixel (culled, or every pixel it touches stopped in
      // front of it: about half the head faces away from any camera) has an all-zero 2D gradient, and
      // every parameter gradient is a product with it: write the zeros without the projection and SH.
      bool blended = false;
      for (int k = 0; k < kGrad2dStride; k++) blended |= g2[k] != 0.f;
      if (pre.radius[i] <= 0 || !blended) {
        gm::zeroGaussianGrads(out, K);
        continue;
      }
      gm::backwardGaussian(cam, camPos, cloud.positions + i * 3, cloud.rotations + i * 4, cloud.logScales + i * 3,
                           cloud.shRest + i * K * 3, K, state.activeDegree, pre.opacity[i], &pre.colorClamped[i * 3],
                           g2, out);
    }
  });
}

}  // namespace hf
