// Front-to-back alpha blending per 16x16 tile. Tiles are independent, so any thread may take any tile.
// The per-row work is in blend_rows.h (4 pixels per step with SSE, 8 with AVX2 when the CPU has it;
// the forward result is bit-identical either way).
#include <cstdlib>

#include "headforge/parallel.h"
#include "tile_cache.h"
#define HF_BLEND_NS sse
#include "blend_rows.h"

namespace hf {

bool avx2Available() {
  // HEADFORGE_RASTER_NO_AVX2=1 forces the SSE kernels (tests compare both paths).
  static const bool ok = __builtin_cpu_supports("avx2") && std::getenv("HEADFORGE_RASTER_NO_AVX2") == nullptr;
  return ok;
}

void rasterizeForward(const Preprocessed& pre, const Binning& bins, const Camera& cam, const RenderSettings& settings,
                      int threads, RenderOutputs& out, std::vector<float>& finalT,
                      std::vector<uint32_t>& lastContrib) {
  const int W = cam.width, H = cam.height;
  out.rgb.resize(size_t(W) * H * 3);
  out.alpha.resize(size_t(W) * H);
  if (settings.withDepth) out.depth.resize(size_t(W) * H);
  else out.depth.clear();
  finalT.resize(size_t(W) * H);
  lastContrib.resize(size_t(W) * H);
  const float* bg = settings.background;
  const int64_t tiles = int64_t(bins.tilesX) * bins.tilesY;
  const bool wide = avx2Available();
  parallelFor(threads, tiles, 1, [&](int64_t begin, int64_t end) {
    TileCache cache;
    ForwardRowState st;
    for (int64_t t = begin; t < end; t++) {
      const int64_t s = bins.tileStart[t], e = bins.tileStart[t + 1];
      cache.load(pre, bins.pairGaussian.data() + s, size_t(e - s));
      const BlendView view = cache.view();
      const int tx = int(t % bins.tilesX), ty = int(t / bins.tilesX);
      const int x0 = tx * kTileSize, y0 = ty * kTileSize;
      const int x1 = std::min(W, x0 + kTileSize), y1 = std::min(H, y0 + kTileSize);
      const int rowWidth = x1 - x0;
      for (int py = y0; py < y1; py++) {
        const float fy = py + 0.5f;
        for (int k = 0; k < kTileSize + kRowPad; k++)
          st.T[k] = 1.f, st.r[k] = st.g[k] = st.b[k] = st.d[k] = 0.f, st.last[k] = int32_t(s), st.done[k] = 0;
        if (wide) forwardRowAvx2(view, fy, x0, x1, s, st);
        else sse::forwardRow(view, fy, x0, x1, s, st);
        for (int k = 0; k < rowWidth; k++) {
          const size_t p = size_t(py) * W + x0 + k;
          out.rgb[p * 3] = st.r[k] + st.T[k] * bg[0];
          out.rgb[p * 3 + 1] = st.g[k] + st.T[k] * bg[1];
          out.rgb[p * 3 + 2] = st.b[k] + st.T[k] * bg[2];
          out.alpha[p] = 1.f - st.T[k];
          if (settings.withDepth) out.depth[p] = st.d[k];
          finalT[p] = st.T[k];
          lastContrib[p] = uint32_t(st.last[k]);
        }
      }
    }
  });
}

}  // namespace hf
