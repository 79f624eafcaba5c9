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
      for (int py = y0; py < y1; py++) {
        for (int px = x0; px < x1; px++) {
          const size_t p = size_t(py) * W + px;
          const int64_t lastLocal = int64_t(state.lastContrib[p]) - s;
          if (lastLocal <= 0) continue;
          const float fx = px + 0.5f, fy = py + 0.5f;
          const float gr = dLdRgb[p * 3], gg = dLdRgb[p * 3 + 1], gb = dLdRgb[p * 3 + 2];
          const float gAlphaOut = dLdAlpha ? dLdAlpha[p] : 0.f;
          const float Tfinal = state.finalT[p];
          // d(out)/d(alpha_j) through the background and alpha outputs: Tfinal / (1 - alpha_j) * this.
          const float bgTerm = gAlphaOut - (bg[0] * gr + bg[1] * gg + bg[2] * gb);
          float T = Tfinal, Rr = 0.f, Rg = 0.f, Rb = 0.f;  // R: colour blended behind entry j
          for (int64_t j = lastLocal - 1; j >= 0; j--) {
            const float dx = fx - cache.mx[j], dy = fy - cache.my[j];
            float raw;
            const float alpha = entryAlpha(cache, size_t(j), dx, dy, &raw);
            if (alpha == 0.0f) continue;
            const float oneMinus = 1.f - alpha;
            T /= oneMinus;
            const float w = alpha * T;
            float* gj = tg + j * kGrad2dStride;
            gj[6] += w * gr;
            gj[7] += w * gg;
            gj[8] += w * gb;
            const float cr = cache.cr[j], cg = cache.cg[j], cbv = cache.cbl[j];
            const float dLdAlpha_j = T * ((cr - Rr) * gr + (cg - Rg) * gg + (cbv - Rb) * gb) + Tfinal / oneMinus * bgTerm;
            Rr = alpha * cr + oneMinus * Rr;
            Rg = alpha * cg + oneMinus * Rg;
            Rb = alpha * cbv + oneMinus * Rb;
            if (raw >= kMaxAlpha) continue;  // clamped alpha: no gradient to opacity or shape
            const float G = raw / cache.op[j];
            gj[5] += G * dLdAlpha_j;
            const float dLdPower = dLdAlpha_j * raw;
            const float ca = cache.ca[j], cb = cache.cb[j], cc = cache.cc[j];
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
