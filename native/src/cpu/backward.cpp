// Backward of the blending: each pixel is walked back to front from its last contributor, recovering
// the transmittance in front of each Gaussian from the saved final T. Gradients are summed per (tile,
// entry) into that tile's own slots (one per entry the forward recorded a span for) and then added per
// Gaussian in pair order (tile order, then depth order): the result does not depend on which thread
// handled which tile, so it is bit-identical for any thread count and needs no atomics. Entries without
// a span contribute exactly zero, so they get no slot (most pairs of a tile lie behind the point where
// all its pixels stopped). The per-tile work is in blend_rows.h: it replays the forward's recorded spans
// in reverse, 4 or 8 pixels per step (an entry's contributions are summed in lanes, then across lanes
// in a fixed order).

#include "headforge/parallel.h"
#include "blend_view.h"
#define HF_BLEND_NS sse
#include "blend_rows.h"

namespace hf {

void rasterizeBackward(const CpuForwardState& state, const float* dLdRgb, const float* dLdAlpha, int64_t count,
                       int threads, BackwardScratch& scratch, std::vector<float>& grad2d) {
  const Camera& cam = state.camera;
  const Binning& bins = state.bins;
  const int W = cam.width, H = cam.height;
  const float* bg = state.settings.background;
  const int64_t tiles = int64_t(bins.tilesX) * bins.tilesY;
  if (int64_t(state.tileSpans.size()) != tiles)
    throw std::logic_error("backward needs the spans of a forward pass run with a ForwardState");
  // slotStart [tiles + 1]: offsets of each tile's slots (its distinct span entries).
  std::vector<int64_t>& slotStart = scratch.slotStart;
  slotStart.assign(size_t(tiles) + 1, 0);
  parallelFor(threads, tiles, 64, [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; t++) {
      const std::vector<BlendSpan>& spans = state.tileSpans[size_t(t)];
      int64_t n = 0;
      for (size_t k = 0; k < spans.size(); k++) n += k == 0 || spans[k].entry != spans[k - 1].entry;
      slotStart[size_t(t) + 1] = n;
    }
  });
  for (int64_t t = 0; t < tiles; t++) slotStart[size_t(t) + 1] += slotStart[size_t(t)];
  const int64_t slots = slotStart[size_t(tiles)];
  // slotGrads [slots * 9] (layout as grad2d) and slotEntry [slots] (tile-local entry index): every slot
  // is written by its tile's kernel, so they only grow (kept by the caller: no fresh pages per call).
  if (scratch.slotGrads.size() < size_t(slots) * kGrad2dStride) scratch.slotGrads.resize(size_t(slots) * kGrad2dStride);
  if (scratch.slotEntry.size() < size_t(slots)) scratch.slotEntry.resize(size_t(slots));
  float* slotGrads = scratch.slotGrads.data();
  uint32_t* slotEntry = scratch.slotEntry.data();
  const bool wide = avx2Available();
  parallelFor(threads, tiles, 1, [&](int64_t begin, int64_t end) {
    BackwardTileState st;
    for (int64_t t = begin; t < end; t++) {
      const std::vector<BlendSpan>& spans = state.tileSpans[size_t(t)];
      if (spans.empty()) continue;
      const int64_t s = bins.tileStart[t], e = bins.tileStart[t + 1];
      const int tx = int(t % bins.tilesX), ty = int(t / bins.tilesX);
      const int x0 = tx * kTileSize, y0 = ty * kTileSize;
      const int x1 = std::min(W, x0 + kTileSize), y1 = std::min(H, y0 + kTileSize);
      const TileView view{state.pre.blend.data(), bins.pairGaussian.data() + s, size_t(e - s), x0, y0, x1, y1, s, false};
      for (int row = 0; row < y1 - y0; row++) {
        const int py = y0 + row;
        for (int k = 0; k < kRowStride; k++) {
          if (k >= x1 - x0) {  // padding lanes: never active
            st.lastLocal[row][k] = 0;
            st.T[row][k] = st.Tfinal[row][k] = 1.f;
            st.Rr[row][k] = st.Rg[row][k] = st.Rb[row][k] = st.gr[row][k] = st.gg[row][k] = st.gb[row][k] =
                st.bgTerm[row][k] = 0.f;
            continue;
          }
          const size_t p = size_t(py) * W + x0 + k;
          st.lastLocal[row][k] = int32_t(int64_t(state.lastContrib[p]) - s);
          st.T[row][k] = st.Tfinal[row][k] = state.finalT[p];
          st.Rr[row][k] = st.Rg[row][k] = st.Rb[row][k] = 0.f;
          st.gr[row][k] = dLdRgb[p * 3];
          st.gg[row][k] = dLdRgb[p * 3 + 1];
          st.gb[row][k] = dLdRgb[p * 3 + 2];
          // d(out)/d(alpha_j) through the background and alpha outputs: Tfinal / (1 - alpha_j) * this.
          st.bgTerm[row][k] =
              (dLdAlpha ? dLdAlpha[p] : 0.f) - (bg[0] * st.gr[row][k] + bg[1] * st.gg[row][k] + bg[2] * st.gb[row][k]);
        }
      }
      float* tg = slotGrads + slotStart[size_t(t)] * kGrad2dStride;
      uint32_t* te = slotEntry + slotStart[size_t(t)];
      if (wide) backwardTileAvx2(view, spans.data(), spans.size(), st, tg, te);
      else sse::backwardTile(view, spans.data(), spans.size(), st, tg, te);
    }
  });
  // Fixed-order reduction per Gaussian: tiles in order, each tile's slots back to front (= depth order).
  grad2d.assign(size_t(count) * kGrad2dStride, 0.f);
  for (int64_t t = 0; t < tiles; t++) {
    const uint32_t* ids = bins.pairGaussian.data() + bins.tileStart[t];
    for (int64_t slot = slotStart[size_t(t) + 1] - 1; slot >= slotStart[size_t(t)]; slot--) {
      float* dst = &grad2d[size_t(ids[slotEntry[size_t(slot)]]) * kGrad2dStride];
      const float* src = &slotGrads[size_t(slot) * kGrad2dStride];
      for (int k = 0; k < kGrad2dStride; k++) dst[k] += src[k];
    }
  }
}

}  // namespace hf
