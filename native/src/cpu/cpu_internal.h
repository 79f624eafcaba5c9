// Stages of the CPU backend. Each stage is parallel over independent items (Gaussians, tiles, pixels)
// and writes per item, so results are identical for every thread count.
#pragma once
#include "headforge/backend.h"
#include "headforge/gaussian_math.h"  // kMinAlpha, kMaxAlpha, kMinTransmittance, kGrad2dStride

namespace hf {

// One (tile entry, pixel row) chord the CPU forward pass blended at least one pixel of: entry = index
// in the tile's list, row = tile-local row, lo..hi = tile-local pixel columns (inclusive).
struct BlendSpan {
  uint32_t entry;
  uint8_t row, lo, hi, pad;
};

// The CPU backend's ForwardState: the host arrays of ForwardStateHost (toHost copies them) plus the
// blend spans only its backward reads, all in host memory (layouts of
// Preprocessed and Binning in backend.h).
//   finalT [H*W]: transmittance after the last blended Gaussian
//   lastContrib [H*W]: one past the global pair index of the last Gaussian blended into the pixel
//   tileSpans [tiles]: per tile, the spans the forward pass blended, in blend order (entry-major, rows
//   ascending), so the backward walks them in reverse without redoing the chord maths or the
//   rejections; capacity is kept across steps.
struct CpuForwardState final : ForwardState, ForwardStateHost {
  std::vector<std::vector<BlendSpan>> tileSpans;
  ForwardStateHost toHost() const override;
};

int activeDegree(const CloudView& cloud, const RenderSettings& settings);

void preprocessForward(const CloudView& cloud, const Camera& cam, int degree, int threads, Preprocessed& pre);
void buildBins(const Preprocessed& pre, const Camera& cam, int64_t count, int threads, Binning& bins);
void rasterizeForward(const Preprocessed& pre, const Binning& bins, const Camera& cam, const RenderSettings& settings,
                      int threads, RenderOutputs& out, std::vector<float>& finalT,
                      std::vector<uint32_t>& lastContrib, std::vector<std::vector<BlendSpan>>* tileSpans);
// tileSpans: filled when non-null (a forward whose backward will follow, see CpuForwardState).
// Scratch of rasterizeBackward kept by the caller between calls (see backward.cpp for the layouts).
struct BackwardScratch {
  std::vector<int64_t> slotStart;
  std::vector<float> slotGrads;
  std::vector<uint32_t> slotEntry;
};
void rasterizeBackward(const CpuForwardState& state, const float* dLdRgb, const float* dLdAlpha, int64_t count,
                       int threads, BackwardScratch& scratch, std::vector<float>& grad2d);
void preprocessBackward(const CloudView& cloud, const CpuForwardState& state, const std::vector<float>& grad2d,
                        int threads, CloudGrads& grads);

}  // namespace hf
