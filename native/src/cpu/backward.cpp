// Backward of the blending: each pixel is walked back to front from its last contributor, recovering
// the transmittance in front of each Gaussian from the saved final T. Gradients are accumulated per
// (tile, Gaussian) pair in the tile's own slots and then summed per Gaussian in pair order: the result
// does not depend on which thread handled which tile, so it is bit-identical for any thread count and
// needs no atomics. Pixels of a row are processed 4 at a time (SSE lanes, see forward.cpp); an entry's
// per-row contributions are summed in lanes and then across lanes in a fixed order.
#include <memory>

#include "headforge/parallel.h"
#include "simd_math.h"
#include "tile_cache.h"

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
  parallelFor(threads, tiles, 1, [&](int64_t begin, int64_t end) {
    TileCache cache;
    // Per-pixel state of one tile row (+3 padding lanes): transmittance (running and final), colour
    // accumulated behind the current entry, dL/drgb, the background/alpha term, last contributor (local).
    alignas(16) float T[kTileSize + 4], Tfinal[kTileSize + 4], Rr[kTileSize + 4], Rg[kTileSize + 4], Rb[kTileSize + 4];
    alignas(16) float gr[kTileSize + 4], gg[kTileSize + 4], gb[kTileSize + 4], bgTerm[kTileSize + 4];
    alignas(16) int32_t lastLocal[kTileSize + 4];
    for (int64_t t = begin; t < end; t++) {
      const int64_t s = bins.tileStart[t], e = bins.tileStart[t + 1];
      if (s == e) continue;
      cache.load(state.pre, bins.pairGaussian.data() + s, size_t(e - s));
      float* tg = pairGrad.get() + s * kGrad2dStride;
      std::fill(tg, tg + (e - s) * kGrad2dStride, 0.f);
      const int tx = int(t % bins.tilesX), ty = int(t / bins.tilesX);
      const int x0 = tx * kTileSize, y0 = ty * kTileSize;
      const int x1 = std::min(W, x0 + kTileSize), y1 = std::min(H, y0 + kTileSize);
      const int rowWidth = x1 - x0;
      for (int py = y0; py < y1; py++) {
        const float fy = py + 0.5f;
        int32_t rowLast = 0;
        for (int k = 0; k < kTileSize + 4; k++) {
          if (k >= rowWidth) {  // padding lanes: never active
            lastLocal[k] = 0;
            T[k] = Tfinal[k] = 1.f;
            Rr[k] = Rg[k] = Rb[k] = gr[k] = gg[k] = gb[k] = bgTerm[k] = 0.f;
            continue;
          }
          const size_t p = size_t(py) * W + x0 + k;
          lastLocal[k] = int32_t(int64_t(state.lastContrib[p]) - s);
          rowLast = std::max(rowLast, lastLocal[k]);
          T[k] = Tfinal[k] = state.finalT[p];
          Rr[k] = Rg[k] = Rb[k] = 0.f;
          gr[k] = dLdRgb[p * 3];
          gg[k] = dLdRgb[p * 3 + 1];
          gb[k] = dLdRgb[p * 3 + 2];
          // d(out)/d(alpha_j) through the background and alpha outputs: Tfinal / (1 - alpha_j) * this.
          bgTerm[k] = (dLdAlpha ? dLdAlpha[p] : 0.f) - (bg[0] * gr[k] + bg[1] * gg[k] + bg[2] * gb[k]);
        }
        for (int32_t j = rowLast - 1; j >= 0; j--) {
          int lo, hi;
          if (!cache.rowSpan(size_t(j), fy, x0, x1, &lo, &hi)) continue;
          const float dyS = fy - cache.my[j];
          const __m128 dy = _mm_set1_ps(dyS), mx = _mm_set1_ps(cache.mx[j]);
          const __m128 ca = _mm_set1_ps(cache.ca[j]), cb = _mm_set1_ps(cache.cb[j]), cc = _mm_set1_ps(cache.cc[j]);
          const __m128 cdd = _mm_set1_ps(cache.cc[j] * dyS * dyS);
          const __m128 minPower = _mm_set1_ps(cache.minPower[j]), op = _mm_set1_ps(cache.op[j]);
          const __m128 cr = _mm_set1_ps(cache.cr[j]), cgv = _mm_set1_ps(cache.cg[j]), cbv = _mm_set1_ps(cache.cbl[j]);
          const __m128i jv = _mm_set1_epi32(j);
          const __m128 one = _mm_set1_ps(1.f);
          // Lane sums of this entry's gradient over the row: mean x y, conic a b c, opacity, colour r g b.
          __m128 acc[kGrad2dStride];
          for (auto& a : acc) a = _mm_setzero_ps();
          for (int px = lo; px <= hi; px += 4) {
            const int k = px - x0;
            const __m128 dx = _mm_sub_ps(pixelCentres(px), mx);
            const __m128 power = _mm_sub_ps(
                _mm_mul_ps(_mm_set1_ps(-0.5f), _mm_add_ps(_mm_mul_ps(_mm_mul_ps(ca, dx), dx), cdd)),
                _mm_mul_ps(_mm_mul_ps(cb, dx), dy));
            // Lanes where this entry was blended in the forward pass (j < last contributor, same tests).
            __m128 live = _mm_and_ps(laneMask(px, hi),
                                     _mm_castsi128_ps(_mm_cmpgt_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(lastLocal + k)), jv)));
            live = _mm_and_ps(live, _mm_and_ps(_mm_cmple_ps(power, _mm_setzero_ps()), _mm_cmpge_ps(power, minPower)));
            if (_mm_movemask_ps(live) == 0) continue;
            const __m128 raw = _mm_mul_ps(op, expNeg(power));
            const __m128 alpha = _mm_min_ps(raw, _mm_set1_ps(kMaxAlpha));
            live = _mm_and_ps(live, _mm_cmpge_ps(alpha, _mm_set1_ps(kMinAlpha)));
            if (_mm_movemask_ps(live) == 0) continue;
            const __m128 oneMinus = _mm_sub_ps(one, alpha);
            const __m128 Tk = _mm_blendv_ps(_mm_loadu_ps(T + k), _mm_div_ps(_mm_loadu_ps(T + k), oneMinus), live);
            _mm_storeu_ps(T + k, Tk);
            const __m128 w = _mm_and_ps(live, _mm_mul_ps(alpha, Tk));
            const __m128 g0 = _mm_loadu_ps(gr + k), g1 = _mm_loadu_ps(gg + k), g2 = _mm_loadu_ps(gb + k);
            acc[6] = _mm_add_ps(acc[6], _mm_mul_ps(w, g0));
            acc[7] = _mm_add_ps(acc[7], _mm_mul_ps(w, g1));
            acc[8] = _mm_add_ps(acc[8], _mm_mul_ps(w, g2));
            const __m128 r0 = _mm_loadu_ps(Rr + k), r1 = _mm_loadu_ps(Rg + k), r2 = _mm_loadu_ps(Rb + k);
            const __m128 dLdAlphaJ = _mm_add_ps(
                _mm_mul_ps(Tk, _mm_add_ps(_mm_add_ps(_mm_mul_ps(_mm_sub_ps(cr, r0), g0), _mm_mul_ps(_mm_sub_ps(cgv, r1), g1)),
                                          _mm_mul_ps(_mm_sub_ps(cbv, r2), g2))),
                _mm_mul_ps(_mm_div_ps(_mm_loadu_ps(Tfinal + k), oneMinus), _mm_loadu_ps(bgTerm + k)));
            _mm_storeu_ps(Rr + k, _mm_blendv_ps(r0, _mm_add_ps(_mm_mul_ps(alpha, cr), _mm_mul_ps(oneMinus, r0)), live));
            _mm_storeu_ps(Rg + k, _mm_blendv_ps(r1, _mm_add_ps(_mm_mul_ps(alpha, cgv), _mm_mul_ps(oneMinus, r1)), live));
            _mm_storeu_ps(Rb + k, _mm_blendv_ps(r2, _mm_add_ps(_mm_mul_ps(alpha, cbv), _mm_mul_ps(oneMinus, r2)), live));
            // Clamped alpha (raw >= kMaxAlpha): no gradient to opacity or shape.
            const __m128 shapeLive = _mm_and_ps(live, _mm_cmplt_ps(raw, _mm_set1_ps(kMaxAlpha)));
            if (_mm_movemask_ps(shapeLive) == 0) continue;
            const __m128 dA = _mm_and_ps(shapeLive, dLdAlphaJ);
            acc[5] = _mm_add_ps(acc[5], _mm_mul_ps(_mm_div_ps(raw, op), dA));
            const __m128 dLdPower = _mm_mul_ps(dA, raw);
            acc[0] = _mm_add_ps(acc[0], _mm_mul_ps(dLdPower, _mm_add_ps(_mm_mul_ps(ca, dx), _mm_mul_ps(cb, dy))));
            acc[1] = _mm_add_ps(acc[1], _mm_mul_ps(dLdPower, _mm_add_ps(_mm_mul_ps(cb, dx), _mm_mul_ps(cc, dy))));
            acc[2] = _mm_add_ps(acc[2], _mm_mul_ps(dLdPower, _mm_mul_ps(_mm_mul_ps(_mm_set1_ps(-0.5f), dx), dx)));
            acc[3] = _mm_add_ps(acc[3], _mm_mul_ps(dLdPower, _mm_mul_ps(_mm_sub_ps(_mm_setzero_ps(), dx), dy)));
            acc[4] = _mm_add_ps(acc[4], _mm_mul_ps(dLdPower, _mm_mul_ps(_mm_mul_ps(_mm_set1_ps(-0.5f), dy), dy)));
          }
          float* gj = tg + size_t(j) * kGrad2dStride;
          static_assert(kGrad2dStride == 9, "two 4-wide sums and one scalar");
          _mm_storeu_ps(gj, _mm_add_ps(_mm_loadu_ps(gj), horizontalSum4(acc[0], acc[1], acc[2], acc[3])));
          _mm_storeu_ps(gj + 4, _mm_add_ps(_mm_loadu_ps(gj + 4), horizontalSum4(acc[4], acc[5], acc[6], acc[7])));
          gj[8] += horizontalSum(acc[8]);
        }
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
