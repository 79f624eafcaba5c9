// Backward of the blending: each pixel is walked back to front from its last contributor, recovering
// the transmittance in front of each Gaussian from the saved final T. Gradients are accumulated per
// (tile, Gaussian) pair in the tile's own slots and then summed per Gaussian in pair order: the result
// does not depend on which thread handled which tile, so it is bit-identical for any thread count and
// needs no atomics. The per-row work is in blend_rows.h (4 or 8 pixels per step; an entry's per-row
// contributions are summed in lanes, then across lanes in a fixed order).
#include <memory>

#include "headforge/parallel.h"
#include "tile_cache.h"
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
  // [pairs * 9], layout as grad2d. Left uninitialised here and zeroed tile by tile inside the parallel
  // loop: a serial fill of ~10-70 MB per step would cap the thread scaling.
  std::unique_ptr<float[]> pairGrad(new float[size_t(pairs) * kGrad2dStride]);
  const int64_t tiles = int64_t(bins.tilesX) * bins.tilesY;
  const bool wide = avx2Available();
  parallelFor(threads, tiles, 1, [&](int64_t begin, int64_t end) {
    TileCache cache;
    BackwardRowState st;
    for (int64_t t = begin; t < end; t++) {
      const int64_t s = bins.tileStart[t], e = bins.tileStart[t + 1];
      if (s == e) continue;
      cache.load(state.pre, bins.pairGaussian.data() + s, size_t(e - s));
      const BlendView view = cache.view();
      float* tg = pairGrad.get() + s * kGrad2dStride;
      std::fill(tg, tg + (e - s) * kGrad2dStride, 0.f);
      const int tx = int(t % bins.tilesX), ty = int(t / bins.tilesX);
      const int x0 = tx * kTileSize, y0 = ty * kTileSize;
      const int x1 = std::min(W, x0 + kTileSize), y1 = std::min(H, y0 + kTileSize);
      const int rowWidth = x1 - x0;
      for (int py = y0; py < y1; py++) {
        const float fy = py + 0.5f;
        int32_t rowLast = 0;
        for (int k = 0; k < kTileSize + kRowPad; k++) {
          if (k >= rowWidth) {  // padding lanes: never active
            st.lastLocal[k] = 0;
            st.T[k] = st.Tfinal[k] = 1.f;
            st.Rr[k] = st.Rg[k] = st.Rb[k] = st.gr[k] = st.gg[k] = st.gb[k] = st.bgTerm[k] = 0.f;
            continue;
          }
          const size_t p = size_t(py) * W + x0 + k;
          st.lastLocal[k] = int32_t(int64_t(state.lastContrib[p]) - s);
          rowLast = std::max(rowLast, st.lastLocal[k]);
          st.T[k] = st.Tfinal[k] = state.finalT[p];
          st.Rr[k] = st.Rg[k] = st.Rb[k] = 0.f;
          st.gr[k] = dLdRgb[p * 3];
          st.gg[k] = dLdRgb[p * 3 + 1];
          st.gb[k] = dLdRgb[p * 3 + 2];
          // d(out)/d(alpha_j) through the background and alpha outputs: Tfinal / (1 - alpha_j) * this.
          st.bgTerm[k] = (dLdAlpha ? dLdAlpha[p] : 0.f) - (bg[0] * st.gr[k] + bg[1] * st.gg[k] + bg[2] * st.gb[k]);
        }
        if (wide) backwardRowAvx2(view, fy, x0, x1, rowLast, st, tg);
        else sse::backwardRow(view, fy, x0, x1, rowLast, st, tg);
      }
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
