// Front-to-back alpha blending per 16x16 tile. Tiles are independent, so any thread may take any tile.
// The per-tile work is in blend_rows.h (4 pixels per step with SSE, 8 with AVX2 when the CPU has it;
// the forward result is bit-identical either way).
#include <cstdlib>
#include <memory>

#include "headforge/parallel.h"
#include "blend_view.h"
#define HF_BLEND_NS sse
#include "blend_rows.h"

namespace hf {

bool avx2Available() {
  // HEADFORGE_RASTER_NO_AVX2=1 forces the SSE kernels (tests compare both paths).
  static const bool ok = __builtin_cpu_supports("avx2") && std::getenv("HEADFORGE_RASTER_NO_AVX2") == nullptr;
  return ok;
}

void rasterizeForward(const Preprocessed& pre, const Binning& bins, const Camera& cam, const RenderSettings& settings,
                      int threads, RenderOutputs& out, std::vector<float>& finalT, std::vector<uint32_t>& lastContrib,
                      std::vector<std::vector<BlendSpan>>* tileSpans) {
  const int W = cam.width, H = cam.height;
  out.rgb.resize(size_t(W) * H * 3);
  out.alpha.resize(size_t(W) * H);
  if (settings.withDepth) out.depth.resize(size_t(W) * H);
  else out.depth.clear();
  finalT.resize(size_t(W) * H);
  lastContrib.resize(size_t(W) * H);
  const float* bg = settings.background;
  const int64_t tiles = int64_t(bins.tilesX) * bins.tilesY;
  if (tileSpans) tileSpans->resize(size_t(tiles));
  const bool wide = avx2Available();
  parallelFor(threads, tiles, 1, [&](int64_t begin, int64_t end) {
    ForwardTileState st;
    // Span scratch per thread, kept across calls (the body runs once per tile), uninitialised: the
    // kernel writes before the copy into the tile's list reads. It starts at 64 k spans (a busy 512x512
    // tile records ~2 k) and doubles when a tile overflows it, so a pathological tile (camera inside the
    // cloud) costs a re-run, not entries * 16 slots up front.
    static thread_local std::unique_ptr<BlendSpan[]> scratch;
    static thread_local size_t scratchSize = 0;
    for (int64_t t = begin; t < end; t++) {
      const int64_t s = bins.tileStart[t], e = bins.tileStart[t + 1];
      const int tx = int(t % bins.tilesX), ty = int(t / bins.tilesX);
      const int x0 = tx * kTileSize, y0 = ty * kTileSize;
      const int x1 = std::min(W, x0 + kTileSize), y1 = std::min(H, y0 + kTileSize);
      const TileView view{pre.blend.data(), bins.pairGaussian.data() + s, size_t(e - s), x0, y0, x1, y1, s, settings.withDepth};
      if (tileSpans && !scratch) {
        scratchSize = size_t(1) << 16;
        scratch.reset(new BlendSpan[scratchSize]);
      }
      size_t spanCount;
      for (;;) {
        for (int row = 0; row < kTileSize; row++) {
          st.rowDone[row] = 0;
          for (int k = 0; k < kRowStride; k++) {
            st.T[row][k] = 1.f, st.r[row][k] = st.g[row][k] = st.b[row][k] = st.d[row][k] = 0.f;
            st.last[row][k] = int32_t(s), st.done[row][k] = 0;
          }
        }
        BlendSpan* spans = tileSpans ? scratch.get() : nullptr;
        spanCount = wide ? forwardTileAvx2(view, st, spans, scratchSize) : sse::forwardTile(view, st, spans, scratchSize);
        if (spanCount != kSpanOverflow) break;
        scratchSize *= 2;
        scratch.reset(new BlendSpan[scratchSize]);
      }
      if (tileSpans) (*tileSpans)[size_t(t)].assign(scratch.get(), scratch.get() + spanCount);
      for (int py = y0; py < y1; py++) {
        const int row = py - y0;
        for (int k = 0; k < x1 - x0; k++) {
          const size_t p = size_t(py) * W + x0 + k;
          const float T = st.T[row][k];
          out.rgb[p * 3] = st.r[row][k] + T * bg[0];
          out.rgb[p * 3 + 1] = st.g[row][k] + T * bg[1];
          out.rgb[p * 3 + 2] = st.b[row][k] + T * bg[2];
          out.alpha[p] = 1.f - T;
          if (settings.withDepth) out.depth[p] = st.d[row][k];
          finalT[p] = T;
          lastContrib[p] = uint32_t(st.last[row][k]);
        }
      }
    }
  });
}

}  // namespace hf
