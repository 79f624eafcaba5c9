// The SSIM blur's row passes over the lane type V of simd_lanes.h, compiled once per instruction set
// (ssim_loss.cpp: SSE, blur_avx2.cpp: AVX2). Bit-exact contract: see blur.h.
#pragma once
#include <cstddef>

#include "blur.h"
#include "headforge/simd_lanes.h"

namespace hf {
namespace HF_BLEND_NS {

// One output of the horizontal pass with its in-range taps only (image borders).
inline float blurPixelH(const float* in, int x, int W, const float* w) {
  const int k0 = x < kBlurRadius ? -x : -kBlurRadius;
  const int k1 = W - 1 - x < kBlurRadius ? W - 1 - x : kBlurRadius;
  float acc = 0;
  for (int k = k0; k <= k1; k++) acc += w[k + kBlurRadius] * in[x + k];
  return acc;
}

inline void blurRowH(const float* in, float* out, int W, const float* w) {
  V::F wv[kBlurTaps];
  for (int k = 0; k < kBlurTaps; k++) wv[k] = V::set1(w[k]);
  // Interior [kBlurRadius, W - kBlurRadius): all 11 taps in range.
  const int xb = W < kBlurRadius ? W : kBlurRadius, xe = W - kBlurRadius > xb ? W - kBlurRadius : xb;
  for (int x = 0; x < xb; x++) out[x] = blurPixelH(in, x, W, w);
  int x = xb;
  for (; x + V::N <= xe; x += V::N) {
    V::F acc = V::zero();
    for (int k = 0; k < kBlurTaps; k++) acc = V::add(acc, V::mul(wv[k], V::load(in + x + k - kBlurRadius)));
    V::store(out + x, acc);
  }
  for (; x < W; x++) out[x] = blurPixelH(in, x, W, w);
}

inline void blurRowV(const float* plane, float* out, int W, int H, int y, const float* w) {
  const int k0 = y < kBlurRadius ? -y : -kBlurRadius;
  const int k1 = H - 1 - y < kBlurRadius ? H - 1 - y : kBlurRadius;
  const float* base = plane + size_t(y) * W;
  int x = 0;
  if (k0 == -kBlurRadius && k1 == kBlurRadius) {  // interior rows: a fixed 11-tap loop the compiler unrolls
    V::F wv[kBlurTaps];
    for (int k = 0; k < kBlurTaps; k++) wv[k] = V::set1(w[k]);
    for (; x + V::N <= W; x += V::N) {
      V::F acc = V::zero();
      for (int k = 0; k < kBlurTaps; k++)
        acc = V::add(acc, V::mul(wv[k], V::load(base + ptrdiff_t(k - kBlurRadius) * W + x)));
      V::store(out + x, acc);
    }
  } else {
    for (; x + V::N <= W; x += V::N) {
      V::F acc = V::zero();
      for (int k = k0; k <= k1; k++)
        acc = V::add(acc, V::mul(V::set1(w[k + kBlurRadius]), V::load(base + ptrdiff_t(k) * W + x)));
      V::store(out + x, acc);
    }
  }
  for (; x < W; x++) {
    float acc = 0;
    for (int k = k0; k <= k1; k++) acc += w[k + kBlurRadius] * base[ptrdiff_t(k) * W + x];
    out[x] = acc;
  }
}

}  // namespace HF_BLEND_NS
}  // namespace hf
