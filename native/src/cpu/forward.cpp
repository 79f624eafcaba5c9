// Front-to-back alpha blending per 16x16 tile. Tiles are independent, so any thread may take any tile.
// Per row, entries in depth order scatter onto the pixels their threshold ellipse reaches, 4 pixels at
// a time (SSE lanes); each pixel still sees its contributors front to back with exactly the arithmetic
// of a per-pixel loop, so the lane grouping never changes a result.
#include "headforge/parallel.h"
#include "simd_math.h"
#include "tile_cache.h"

namespace hf {

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
  parallelFor(threads, tiles, 1, [&](int64_t begin, int64_t end) {
    TileCache cache;
    // Per-pixel state of one tile row, padded by 3 lanes so a 4-wide access at the last pixel stays in
    // bounds: transmittance, colour and depth sums, one past the last blended pair, done flag (all ones).
    alignas(16) float T[kTileSize + 4], r[kTileSize + 4], g[kTileSize + 4], b[kTileSize + 4], d[kTileSize + 4];
    alignas(16) int32_t last[kTileSize + 4], done[kTileSize + 4];
    for (int64_t t = begin; t < end; t++) {
      const int64_t s = bins.tileStart[t], e = bins.tileStart[t + 1];
      cache.load(pre, bins.pairGaussian.data() + s, size_t(e - s));
      const int tx = int(t % bins.tilesX), ty = int(t / bins.tilesX);
      const int x0 = tx * kTileSize, y0 = ty * kTileSize;
      const int x1 = std::min(W, x0 + kTileSize), y1 = std::min(H, y0 + kTileSize);
      const int rowWidth = x1 - x0;
      for (int py = y0; py < y1; py++) {
        const float fy = py + 0.5f;
        for (int k = 0; k < kTileSize + 4; k++) T[k] = 1.f, r[k] = g[k] = b[k] = d[k] = 0.f, last[k] = int32_t(s), done[k] = 0;
        int doneCount = 0;
        for (size_t j = 0; j < cache.n && doneCount < rowWidth; j++) {
          int lo, hi;
          if (!cache.rowSpan(j, fy, x0, x1, &lo, &hi)) continue;
          const float dyS = fy - cache.my[j];
          const __m128 dy = _mm_set1_ps(dyS), mx = _mm_set1_ps(cache.mx[j]);
          const __m128 ca = _mm_set1_ps(cache.ca[j]), cb = _mm_set1_ps(cache.cb[j]);
          // c dy dy is the same for the whole row.
          const __m128 cdd = _mm_set1_ps(cache.cc[j] * dyS * dyS);
          const __m128 minPower = _mm_set1_ps(cache.minPower[j]), op = _mm_set1_ps(cache.op[j]);
          const __m128 cr = _mm_set1_ps(cache.cr[j]), cgv = _mm_set1_ps(cache.cg[j]), cbl = _mm_set1_ps(cache.cbl[j]);
          const __m128 dz = _mm_set1_ps(cache.dz[j]);
          const __m128i lastValue = _mm_set1_epi32(int32_t(s + j + 1));
          for (int px = lo; px <= hi; px += 4) {
            const int k = px - x0;
            const __m128 dx = _mm_sub_ps(pixelCentres(px), mx);
            // power = -0.5 (a dx dx + c dy dy) - b dx dy, in the scalar reference's operation order.
            const __m128 power = _mm_sub_ps(
                _mm_mul_ps(_mm_set1_ps(-0.5f), _mm_add_ps(_mm_mul_ps(_mm_mul_ps(ca, dx), dx), cdd)),
                _mm_mul_ps(_mm_mul_ps(cb, dx), dy));
            __m128 live = _mm_andnot_ps(_mm_castsi128_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(done + k))),
                                        laneMask(px, hi));
            live = _mm_and_ps(live, _mm_and_ps(_mm_cmple_ps(power, _mm_setzero_ps()), _mm_cmpge_ps(power, minPower)));
            if (_mm_movemask_ps(live) == 0) continue;
            const __m128 raw = _mm_mul_ps(op, expNeg(power));
            const __m128 alpha = _mm_min_ps(raw, _mm_set1_ps(kMaxAlpha));
            live = _mm_and_ps(live, _mm_cmpge_ps(alpha, _mm_set1_ps(kMinAlpha)));
            const __m128 Tk = _mm_loadu_ps(T + k);
            const __m128 nextT = _mm_mul_ps(Tk, _mm_sub_ps(_mm_set1_ps(1.f), alpha));
            const __m128 stop = _mm_and_ps(live, _mm_cmplt_ps(nextT, _mm_set1_ps(kMinTransmittance)));
            const int stopBits = _mm_movemask_ps(stop);
            if (stopBits) {
              _mm_storeu_si128(reinterpret_cast<__m128i*>(done + k),
                               _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(done + k)), _mm_castps_si128(stop)));
              doneCount += __builtin_popcount(unsigned(stopBits));
            }
            const __m128 blend = _mm_andnot_ps(stop, live);
            if (_mm_movemask_ps(blend) == 0) continue;
            const __m128 w = _mm_mul_ps(alpha, Tk);
            _mm_storeu_ps(r + k, _mm_blendv_ps(_mm_loadu_ps(r + k), _mm_add_ps(_mm_loadu_ps(r + k), _mm_mul_ps(w, cr)), blend));
            _mm_storeu_ps(g + k, _mm_blendv_ps(_mm_loadu_ps(g + k), _mm_add_ps(_mm_loadu_ps(g + k), _mm_mul_ps(w, cgv)), blend));
            _mm_storeu_ps(b + k, _mm_blendv_ps(_mm_loadu_ps(b + k), _mm_add_ps(_mm_loadu_ps(b + k), _mm_mul_ps(w, cbl)), blend));
            _mm_storeu_ps(d + k, _mm_blendv_ps(_mm_loadu_ps(d + k), _mm_add_ps(_mm_loadu_ps(d + k), _mm_mul_ps(w, dz)), blend));
            _mm_storeu_ps(T + k, _mm_blendv_ps(Tk, nextT, blend));
            const __m128i lastK = _mm_loadu_si128(reinterpret_cast<const __m128i*>(last + k));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(last + k),
                             _mm_castps_si128(_mm_blendv_ps(_mm_castsi128_ps(lastK), _mm_castsi128_ps(lastValue), blend)));
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
          lastContrib[p] = uint32_t(last[k]);
        }
      }
    }
  });
}

}  // namespace hf
