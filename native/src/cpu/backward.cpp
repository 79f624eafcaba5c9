// Backward of the blending: each pixel is walked back to front from its last contributor, recovering
// the transmittance in front of each Gaussian from the saved final T. Gradients are accumulated per
// (tile, Gaussian) pair in the tile's own slots and then summed per Gaussian in pair order: the result
// does not depend on which thread handled which tile, so it is bit-identical for any thread count and
// needs no atomics. The per-tile work is in blend_rows.h: it replays the forward's recorded spans in
// reverse, 4 or 8 pixels per step (an entry's contributions are summed in lanes, then across lanes in
// a fixed order).
#include <memory>

#include "headforge/parallel.h"
#include "blend_view.h"
#define HF_BLEND_NS sse
#include "blend_rows.h"

namespace hf {

void rasterizeBackward(const ForwardState& state, const float* dLdRgb, const float* dLdAlpha, int64_t count,
                       int threads, std::vector<float>& grad2d) {
  const Camera& cam = state.camera;
  const Binning& bins = state.bins;
  const int W = cam.width, H = cam.height;
  const float* bg = state.settings.background;
  const int64_t pairs = int64_t(bins.pairGaussian.size());
  const int64_t tiles = int64_t(bins.tilesX) * bins.tilesY;
  if (int64_t(state.tileSpans.size()) != tiles)
    throw std::logic_error("backward needs the spans of a forward pass run with a ForwardState");
  // [pairs * 9], layout as grad2d. Left uninitialised here and zeroed tile by tile inside the parallel
  // loop: a serial fill of ~10-70 MB per step would cap the thread scaling.
  std::unique_ptr<float[]> pairGrad(new float[size_t(pairs) * kGrad2dStride]);
  const bool wide = avx2Available();
  parallelFor(threads, tiles, 1, [&](int64_t begin, int64_t end) {
    BackwardTileState st;
    for (int64_t t = begin; t < end; t++) {
      const int64_t s = bins.tileStart[t], e = bins.tileStart[t + 1];
      if (s == e) continue;
      float* tg = pairGrad.get() + s * kGrad2dStride;
      std::fill(tg, tg + (e - s) * kGrad2dStride, 0.f);
      const std::vector<BlendSpan>& spans = state.tileSpans[size_t(t)];
      if (spans.empty()) continue;
      const int tx = int(t % bins.tilesX), ty = int(t / bins.tilesX);
      const int x0 = tx * kTileSize, y0 = ty * kTileSize;
      const int x1 = std::min(W, x0 + kTileSize), y1 = std::min(H, y0 + kTileSize);
      const TileView view{state.pre.blend.data(), bins.pairGaussian.data() + s, size_t(e - s), x0, y0, x1, y1, s};
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
      if (wide) backwardTileAvx2(view, spans.data(), spans.size(), st, tg);
      else sse::backwardTile(view, spans.data(), spans.size(), st, tg);
    }
  });
  // Fixed-order reduction per Gaussian (pair order = tile order, then depth order).
  grad2d.assign(size_t(count) * kGrad2dStride, 0.f);
  for (int64_t j = 0; j < pairs; j++) {
    float* dst = &grad2d[size_t(bins.pairGaussian[j]) * kGrad2dStride];
    const float* src = &pairGrad[size_t(j) * kGrad2dStride];
    for (int k = 0; k < kGrad2dStride; k++) dst[k] += src[k];
  }
}

}  // namespace hf
