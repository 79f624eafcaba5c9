// The projection kernels: one thread per Gaussian runs the per-Gaussian maths of
// headforge/gaussian_math.h (the same functions the CPU backend runs, compiled here as __host__
// __device__), so the screen-space quantities match the CPU's to float rounding. Every output slot of a
// Gaussian is written by its own thread, so both kernels are deterministic.
#pragma once
#include <cstdint>

#include "constants.cuh"

namespace hfcuda {

// The camera as the kernels read it (hf::Camera has a host-only member; this is plain data).
struct DevCamera {
  int width, height;
  double fx, fy, cx, cy, near, far;
  double R[9], t[3];
  double centre[3];  // camera centre in world coordinates
};

// Device views of the cloud in the stored parameterisation (layouts as hf::CloudView).
struct DevCloud {
  int64_t count;
  int K;  // rest coefficients per colour channel in the buffers, (shDegree+1)^2 - 1
  const float *positions, *logScales, *rotations, *opacityLogits, *shDC, *shRest;
};

// Screen-space buffers of one view, layouts as hf::Preprocessed (N = count):
//   mean2d [N*2], depth [N], conic [N*3], opacity [N], color [N*3], clamped [N*3], radius [N], rect [N*4],
//   minPower [N] = log(kMinAlpha / opacity) or +inf (the per-pixel alpha >= 1/255 test as an exponent test),
//   touched [N] = tiles the Gaussian's rect covers (0 when culled).
struct DevPre {
  float *mean2d, *depth, *conic, *opacity, *color, *minPower;
  uint8_t* clamped;
  int32_t *radius, *rect;
  int64_t* touched;
};

// Same culling, 3-sigma radius and tile rectangle rules as preprocessForward (src/cpu/preprocess.cpp).
__global__ void preprocessForwardKernel(DevCloud cloud, DevCamera cam, int degree, int tilesX, int tilesY, DevPre pre) {
  const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= cloud.count) return;
  pre.radius[i] = 0;
  pre.touched[i] = 0;
  hf::gm::Geometry g;
  const float* p = cloud.positions + i * 3;
  if (!hf::gm::computeGeometry(p, cloud.rotations + i * 4, cloud.logScales + i * 3, cam, g)) return;
  int32_t* rect = pre.rect + i * 4;
  if (!hf::gm::screenExtent(g, tilesX, tilesY, pre.radius + i, rect)) return;
  pre.touched[i] = int64_t(rect[2] - rect[0]) * (rect[3] - rect[1]);
  pre.mean2d[i * 2] = float(g.mean[0]);
  pre.mean2d[i * 2 + 1] = float(g.mean[1]);
  pre.depth[i] = float(g.t[2]);
  for (int k = 0; k < 3; k++) pre.conic[i * 3 + k] = float(g.conic[k]);
  const float opacity = hf::gm::sigmoidOpacity(cloud.opacityLogits[i]);
  pre.opacity[i] = opacity;
  // As makeBlendRecord (src/cpu/blend_record.h): a float log of the float ratio.
  pre.minPower[i] = opacity > kMinAlpha ? logf(kMinAlpha / opacity) : __int_as_float(0x7f800000);
  double dir[3];
  hf::gm::viewDirection(p, cam.centre, dir, nullptr);
  hf::gm::shEval(degree, dir, cloud.shDC + i * 3, cloud.shRest + i * cloud.K * 3, pre.color + i * 3, pre.clamped + i * 3);
}

// Parameter gradients in the stored parameterisation (layouts as hf::CloudGrads).
struct DevGrads {
  float *positions, *logScales, *rotations, *opacityLogits, *shDC, *shRest, *meanGrad2dNorm;
  uint8_t* visible;
  int32_t* radii;
};

// grad2d [N*9] (mean x y, conic a b c, opacity, colour r g b) -> every gradient of Gaussian i; a port of
// preprocessBackward (src/cpu/preprocess.cpp) that writes every slot.
__global__ void preprocessBackwardKernel(DevCloud cloud, DevCamera cam, int degree, const float* opacityArr,
                                         const uint8_t* clampedArr, const int32_t* radius, const float* grad2d,
                                         DevGrads grads) {
  const int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= cloud.count) return;
  const int K = cloud.K;
  const float* g2 = grad2d + i * kGrad2dStride;
  const hf::gm::GaussianGrads out{grads.positions + i * 3, grads.logScales + i * 3, grads.rotations + i * 4,
                                  grads.opacityLogits + i,  grads.shDC + i * 3,      grads.shRest + i * K * 3,
                                  grads.meanGrad2dNorm + i};
  grads.visible[i] = radius[i] > 0;
  grads.radii[i] = radius[i] > 0 ? radius[i] : 0;
  bool blended = false;
  for (int k = 0; k < kGrad2dStride; k++) blended |= g2[k] != 0.f;
  if (radius[i] <= 0 || !blended) {
    hf::gm::zeroGaussianGrads(out, K);
    return;
  }
  hf::gm::backwardGaussian(cam, cam.centre, cloud.positions + i * 3, cloud.rotations + i * 4, cloud.logScales + i * 3,
                           cloud.shRest + i * K * 3, K, degree, opacityArr[i], clampedArr + i * 3, g2, out);
}

}  // namespace hfcuda
