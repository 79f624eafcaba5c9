// Backward of the blending: each pixel is walked back to front from its last contributor, recovering
// the transmittance in front of each Gaussian from the saved final T. Gradients are accumulated per
// (tile, Gaussian) pair in the tile's own slots and then summed per Gaussian in pair order: the result
// does not depend on which thread handled which tile, so it is bit-identical for any thread count and
// needs no atomics.
#include "headforge/parallel.h"
#include "tile_cache.h"

namespace hf {

void rasterizeBackward(const ForwardState& state, const float* dLdRgb, const float* dLdAlpha, int64_t count,
                       int threads, std::vector<float>& grad2d) {
  const Camera& cam = state.camera;
  const Binning& bins = state.bins;
  const int W = cam.width, H = cam.height;
  const float* bg = state.settings.background;
  const int64_t pairs = int64_t(bins.pairGaussian.size());
  std::vector<float> pairGrad(size_t(pairs) * kGrad2dStride, 0.f);  // [pairs * 9], layout as grad2d
  const int64_t tiles = int64_t(bins.tilesX) * bins.tilesY;
  parallelFor(threads, tiles, 1, [&](int64_t begin, int64_t end) {
    TileCache cache;
    for (int64_t t = begin; t < end; t++) {
      const int64_t s = bins.tileStart[t], e = bins.tileStart[t + 1];
      if (s == e) continue;
      cache.load(state.pre, bins.pairGaussian.data() + s, size_t(e - s));
      float* tg = pairGrad.data() + s * kGrad2dStride;
      const int tx = int(t % bins.tilesX), ty = int(t / bins.tilesX);
      const int x0 = tx * kTileSize, y0 = ty * kTileSize;
      const int x1 = std::min(W, x0 + kTileSize), y1 = std::min(H, y0 + kTileSize);
      // Per row, entries back to front scatter onto the pixels they reach (see forward.cpp); each pixel
      // keeps its own running state, so its sequence of operations is that of a per-pixel walk.
      const int rowWidth = x1 - x0;
      float T[kTileSize], Tfinal[kTileSize], Rr[kTileSize], Rg[kTileSize], Rb[kTileSize];
      float gr[kTileSize], gg[kTileSize], gb[kTileSize], bgTerm[kTileSize];
      int64_t lastLocal[kTileSize];
      for (int py = y0; py < y1; py++) {
        const float fy = py + 0.5f;
        int64_t rowLast = 0;
        for (int k = 0; k < rowWidth; k++) {
          const size_t p = size_t(py) * W + x0 + k;
          lastLocal[k] = int64_t(state.lastContrib[p]) - s;
          rowLast = std::max(rowLast, lastLocal[k]);
          T[k] = Tfinal[k] = state.finalT[p];
          Rr[k] = Rg[k] = Rb[k] = 0.f;
          gr[k] = dLdRgb[p * 3];
          gg[k] = dLdRgb[p * 3 + 1];
          gb[k] = dLdRgb[p * 3 + 2];
          // d(out)/d(alpha_j) through the background and alpha outputs: Tfinal / (1 - alpha_j) * this.
          bgTerm[k] = (dLdAlpha ? dLdAlpha[p] : 0.f) - (bg[0] * gr[k] + bg[1] * gg[k] + bg[2] * gb[k]);
        }
        for (int64_t j = rowLast - 1; j >= 0; j--) {
          int lo, hi;
          if (!cache.rowSpan(size_t(j), fy, x0, x1, &lo, &hi)) continue;
          const float dy = fy - cache.my[j];
          float* gj = tg + j * kGrad2dStride;
          const float cr = cache.cr[j], cg = cache.cg[j], cbv = cache.cbl[j];
          const float ca = cache.ca[j], cb = cache.cb[j], cc = cache.cc[j];
          for (int px = lo; px <= hi; px++) {
            const int k = px - x0;
            if (j >= lastLocal[k]) continue;
            const float dx = px + 0.5f - cache.mx[j];
            float raw;
            const float alpha = entryAlpha(cache, size_t(j), dx, dy, &raw);
            if (alpha == 0.0f) continue;
            const float oneMinus = 1.f - alpha;
            T[k] /= oneMinus;
            const float w = alpha * T[k];
            gj[6] += w * gr[k];
            gj[7] += w * gg[k];
            gj[8] += w * gb[k];
            const float dLdAlpha_j =
                T[k] * ((cr - Rr[k]) * gr[k] + (cg - Rg[k]) * gg[k] + (cbv - Rb[k]) * gb[k]) + Tfinal[k] / oneMinus * bgTerm[k];
            Rr[k] = alpha * cr + oneMinus * Rr[k];
            Rg[k] = alpha * cg + oneMinus * Rg[k];
            Rb[k] = alpha * cbv + oneMinus * Rb[k];
            if (raw >= kMaxAlpha) continue;  // clamped alpha: no gradient to opacity or shape
            const float G = raw / cache.op[j];
            gj[5] += G * dLdAlpha_j;
            const float dLdPower = dLdAlpha_j * raw;
            gj[0] += dLdPower * (ca * dx + cb * dy);
            gj[1] += dLdPower * (cb * dx + cc * dy);
            gj[2] += dLdPower * (-0.5f * dx * dx);
            gj[3] += dLdPower * (-dx * dy);
            gj[4] += dLdPower * (-0.5f * dy * dy);
          }
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
