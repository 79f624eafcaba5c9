// Plain data shared by every backend: camera, a read-only view of a Gaussian cloud, render settings,
// outputs and gradients. All buffers are row-major, structure-of-arrays, float32 unless stated.
#pragma once
#include <cstdint>
#include <vector>

#include "headforge/gaussian_math.h"  // kTileSize

namespace hf {

// Limits that keep a bad input from exhausting memory: a clear error instead of an OOM kill.
constexpr int64_t kMaxGaussians = 8'000'000;
constexpr int kMaxImageSide = 8192;
constexpr int64_t kMaxTilePairs = 96'000'000;  // (tile, Gaussian) overlaps in one view

// Pinhole camera, OpenCV axes (x right, y down, z forward); pixel centres at integer + 0.5.
struct Camera {
  int width = 0, height = 0;
  double fx = 0, fy = 0, cx = 0, cy = 0;
  double R[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};  // world -> camera rotation, row-major
  double t[3] = {0, 0, 0};                    // p_cam = R p_world + t
  double near = 0.01, far = 100;
  // Camera centre in world coordinates: -R^T t.
  void center(double out[3]) const {
    for (int i = 0; i < 3; i++) out[i] = -(R[0 * 3 + i] * t[0] + R[1 * 3 + i] * t[1] + R[2 * 3 + i] * t[2]);
  }
};

// Read-only view of a GaussianCloud in the stored parameterisation (see src/shared/gaussians/cloud.ts):
//   positions [N*3], logScales [N*3], rotations [N*4] (w x y z, unnormalised), opacityLogits [N],
//   shDC [N*3], shRest [(i*K + k)*3 + c] with K = (shDegree+1)^2 - 1.
struct CloudView {
  int64_t count = 0;
  int shDegree = 0;
  const float* positions = nullptr;
  const float* logScales = nullptr;
  const float* rotations = nullptr;
  const float* opacityLogits = nullptr;
  const float* shDC = nullptr;
  const float* shRest = nullptr;
  int restCoeffs() const { return (shDegree + 1) * (shDegree + 1) - 1; }
};

struct RenderSettings {
  float background[3] = {1, 1, 1};
  int shDegree = 3;        // active degree, clamped to the cloud's degree
  bool withDepth = false;  // expected depth sum(z * alpha * T) (not normalised by alpha)
  int threads = 0;         // 0 = hardware concurrency
};

// Forward outputs: rgb [H*W*3] interleaved, alpha [H*W] = 1 - final transmittance, depth [H*W] or empty.
struct RenderOutputs {
  std::vector<float> rgb, alpha, depth;
};

// Gradients in the stored parameterisation, same layout as CloudView, plus densification statistics:
//   meanGrad2dNorm [N]: |dL/d mean2d| in NDC units (pixels * size/2) for this view, 0 when not visible
//   visible [N]: 1 when the Gaussian touched at least one tile of this view
struct CloudGrads {
  std::vector<float> positions, logScales, rotations, opacityLogits, shDC, shRest;
  std::vector<float> meanGrad2dNorm;
  std::vector<uint8_t> visible;
  std::vector<int32_t> radii;  // screen radius (px) of each Gaussian in this view, 0 = culled
  void resize(int64_t n, int restCoeffs);
  void zero();
};

}  // namespace hf
