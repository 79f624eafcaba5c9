// Stages of the CPU backend. Each stage is parallel over independent items (Gaussians, tiles, pixels)
// and writes per item, so results are identical for every thread count.
#pragma once
#include "headforge/backend.h"
#include "headforge/gaussian_math.h"  // kMinAlpha, kMaxAlpha, kMinTransmittance, kGrad2dStride

namespace hf {

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
