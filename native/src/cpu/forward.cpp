// Front-to-back alpha blending per 16x16 tile. Tiles are independent, so any thread may take any tile.
#include "headforge/parallel.h"
#include "tile_cache.h"

namespace hf {

void rasterizeForward(const Preprocessed& pre, const Binning& bins, const Camera& cam, const RenderSettings& settings,
                      int threads, RenderOutputs& out, std::vector<float>& finalT,
                      std::vector<uint32_t>& lastContrib) {
  const int W = cam.width, H = cam.height;
  out.rgb.assign(size_t(W) * H * 3, 0.f);
  out.alpha.assign(size_t(W) * H, 0.f);
  if (settings.withDepth) out.depth.assign(size_t(W) * H, 0.f);
  else out.depth.clear();
  finalT.assign(size_t(W) * H, 1.f);
  lastContrib.assign(size_t(W) * H, 0);
  const float* bg = settings.background;
  const int64_t tiles = int64_t(bins.tilesX) * bins.tilesY;
  parallelFor(threads, tiles, 1, [&](int64_t begin, int64_t end) {
    TileCache cache;
    for (int64_t t = begin; t < end; t++) {
      const int64_t s = bins.tileStart[t], e = bins.tileStart[t + 1];
      cache.load(pre, bins.pairGaussian.data() + s, size_t(e - s));
      const int tx = int(t % bins.tilesX), ty = int(t / bins.tilesX);
      const int x0 = tx * kTileSize, y0 = ty * kTileSize;
      const int x1 = std::min(W, x0 + kTileSize), y1 = std::min(H, y0 + kTileSize);
      for (int py = y0; py < y1; py++) {
        for (int px = x0; px < x1; px++) {
          const float fx = px + 0.5f, fy = py + 0.5f;
          float T = 1.f, r = 0.f, g = 0.f, b = 0.f, d = 0.f;
          uint32_t last = uint32_t(s);
          for (size_t j = 0; j < cache.n; j++) {
            float raw;
            const float alpha = entryAlpha(cache, j, fx - cache.mx[j], fy - cache.my[j], &raw);
            if (alpha == 0.0f) continue;
            const float nextT = T * (1.f - alpha);
            if (nextT < kMinTransmittance) break;
            const float w = alpha * T;
            r += w * cache.cr[j];
            g += w * cache.cg[j];
            b += w * cache.cbl[j];
            d += w * cache.dz[j];
            T = nextT;
            last = uint32_t(s + j + 1);
          }
          const size_t p = size_t(py) * W + px;
          out.rgb[p * 3] = r + T * bg[0];
          out.rgb[p * 3 + 1] = g + T * bg[1];
          out.rgb[p * 3 + 2] = b + T * bg[2];
          out.alpha[p] = 1.f - T;
          if (settings.withDepth) out.depth[p] = d;
          finalT[p] = T;
          lastContrib[p] = last;
        }
      }
    }
  });
}

}  // namespace hf
