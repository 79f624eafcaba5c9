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
      // Per row, entries in depth order scatter onto the pixels their threshold ellipse reaches; each
      // pixel still sees its contributors front to back with the same arithmetic as a per-pixel loop.
      const int rowWidth = x1 - x0;
      float T[kTileSize], r[kTileSize], g[kTileSize], b[kTileSize], d[kTileSize];
      uint32_t last[kTileSize];
      bool done[kTileSize];
      for (int py = y0; py < y1; py++) {
        const float fy = py + 0.5f;
        for (int k = 0; k < rowWidth; k++) T[k] = 1.f, r[k] = g[k] = b[k] = d[k] = 0.f, last[k] = uint32_t(s), done[k] = false;
        int doneCount = 0;
        for (size_t j = 0; j < cache.n && doneCount < rowWidth; j++) {
          int lo, hi;
          if (!cache.rowSpan(j, fy, x0, x1, &lo, &hi)) continue;
          const float dy = fy - cache.my[j];
          for (int px = lo; px <= hi; px++) {
            const int k = px - x0;
            if (done[k]) continue;
            float raw;
            const float alpha = entryAlpha(cache, j, px + 0.5f - cache.mx[j], dy, &raw);
            if (alpha == 0.0f) continue;
            const float nextT = T[k] * (1.f - alpha);
            if (nextT < kMinTransmittance) {
              done[k] = true;
              doneCount++;
              continue;
            }
            const float w = alpha * T[k];
            r[k] += w * cache.cr[j];
            g[k] += w * cache.cg[j];
            b[k] += w * cache.cbl[j];
            d[k] += w * cache.dz[j];
            T[k] = nextT;
            last[k] = uint32_t(s + j + 1);
          }
        }
        for (int k = 0; k < rowWidth; k++) {
          const size_t p = size_t(py) * W + x0 + k;
          out.rgb[p * 3] = r[k] + T[k] * bg[0];
          out.rgb[p * 3 + 1] = g[k] + T[k] * bg[1];
          out.rgb[p * 3 + 2] = b[k] + T[k] * bg[2];
          out.alpha[p] = 1.f - T[k];
          if (settings.withDepth) out.depth[p] = d[k];
          finalT[p] = T[k];
          lastContrib[p] = last[k];
        }
      }
    }
  });
}

}  // namespace hf
