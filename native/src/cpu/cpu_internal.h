// Stages of the CPU backend. Each stage is parallel over independent items (Gaussians, tiles, pixels)
// and writes per item, so results are identical for every thread count.
#pragma once
#include "headforge/backend.h"

namespace hf {

constexpr float kMinAlpha = 1.0f / 255.0f;  // contributions below this are skipped
constexpr float kMaxAlpha = 0.99f;          // alpha clamp (keeps 1 - alpha invertible in backward)
constexpr float kMinTransmittance = 1e-4f;  // stop blending once T would drop below this
constexpr double kLowPass = 0.3;            // px^2 added to the 2D covariance diagonal
constexpr double kJacobianClamp = 1.3;      // x/z, y/z clamped to 1.3 * tan(half fov) in the Jacobian

// Per-Gaussian 2D gradients for one view, [N*9]: mean2d x y, conic a b c, opacity, colour r g b.
constexpr int kGrad2dStride = 9;

int activeDegree(const CloudView& cloud, const RenderSettings& settings);

void preprocessForward(const CloudView& cloud, const Camera& cam, int degree, int threads, Preprocessed& pre);
void buildBins(const Preprocessed& pre, const Camera& cam, int64_t count, int threads, Binning& bins);
void rasterizeForward(const Preprocessed& pre, const Binning& bins, const Camera& cam, const RenderSettings& settings,
                      int threads, RenderOutputs& out, std::vector<float>& finalT,
                      std::vector<uint32_t>& lastContrib, std::vector<std::vector<BlendSpan>>* tileSpans);
// tileSpans: filled when non-null (a forward whose backward will follow, see ForwardState).
// Scratch of rasterizeBackward kept by the caller between calls (see backward.cpp for the layouts).
struct BackwardScratch {
  std::vector<int64_t> slotStart;
  std::vector<float> slotGrads;
  std::vector<uint32_t> slotEntry;
};
void rasterizeBackward(const ForwardState& state, const float* dLdRgb, const float* dLdAlpha, int64_t count,
                       int threads, BackwardScratch& scratch, std::vector<float>& grad2d);
void preprocessBackward(const CloudView& cloud, const ForwardState& state, const std::vector<float>& grad2d,
                        int threads, CloudGrads& grads);

}  // namespace hf
