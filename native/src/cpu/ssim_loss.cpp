// L1 + D-SSIM loss and gradient. The 11x11 Gaussian window is separable, so each windowed mean is two
// 11-tap passes (rows, then columns) with zero padding; the adjoint of that blur is the same blur
// (symmetric kernel, zero padding), which gives the gradient as three more blurs per channel:
//   dS/dx_q = blur(dS/dmu_x)_q + 2 x_q blur(dS/dE[x^2])_q + y_q blur(dS/dE[xy])_q
#include <smmintrin.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "headforge/loss.h"
#include "headforge/parallel.h"

namespace hf {
namespace {

constexpr int kRadius = 5;
constexpr double kC1 = 0.01 * 0.01, kC2 = 0.03 * 0.03;

struct Window {
  float w[2 * kRadius + 1];
  Window() {
    double sum = 0, tmp[2 * kRadius + 1];
    for (int k = -kRadius; k <= kRadius; k++) sum += tmp[k + kRadius] = std::exp(-(k * k) / (2 * 1.5 * 1.5));
    for (int k = 0; k <= 2 * kRadius; k++) w[k] = static_cast<float>(tmp[k] / sum);
  }
};
const Window kWindow;

// Blurs `count` planes [H*W] at once (src[i] -> dst[i]); tmp is scratch of the same size per plane.
// Every output pixel is 0 + w_k0 in_k0 + ... + w_k1 in_k1 over its in-range taps in ascending k (the
// order of a plain per-pixel loop), 4 pixels at a time with the accumulator held in a register; SSE
// add/mul round exactly like scalar ones (no FMA at x86-64-v2), so the bits are those of the scalar loop.
void blurPlanes(int W, int H, int count, const float* const* src, float* const* dst, float* const* tmp, int threads) {
  const float* w = kWindow.w;
  __m128 wv[2 * kRadius + 1];  // the taps broadcast once, not per pixel group
  for (int k = 0; k <= 2 * kRadius; k++) wv[k] = _mm_set1_ps(w[k]);
  parallelFor(threads, int64_t(H) * count, 16, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; r++) {
      const int plane = int(r / H), y = int(r % H);
      const float* in = src[plane] + size_t(y) * W;
      float* out = tmp[plane] + size_t(y) * W;
      auto scalarPixel = [&](int x) {
        float acc = 0;
        const int k0 = std::max(-kRadius, -x), k1 = std::min(kRadius, W - 1 - x);
        for (int k = k0; k <= k1; k++) acc += w[k + kRadius] * in[x + k];
        out[x] = acc;
      };
      // Interior [kRadius, W - kRadius): all 11 taps in range.
      const int xb = std::min(W, kRadius), xe = std::max(xb, W - kRadius);
      for (int x = 0; x < xb; x++) scalarPixel(x);
      int x = xb;
      for (; x + 4 <= xe; x += 4) {
        __m128 acc = _mm_setzero_ps();
        for (int k = -kRadius; k <= kRadius; k++)
          acc = _mm_add_ps(acc, _mm_mul_ps(wv[k + kRadius], _mm_loadu_ps(in + x + k)));
        _mm_storeu_ps(out + x, acc);
      }
      for (; x < W; x++) scalarPixel(x);
    }
  });
  parallelFor(threads, int64_t(H) * count, 16, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; r++) {
      const int plane = int(r / H), y = int(r % H);
      float* out = dst[plane] + size_t(y) * W;
      const int k0 = std::max(-kRadius, -y), k1 = std::min(kRadius, H - 1 - y);
      const float* base = tmp[plane] + size_t(y) * W;
      int x = 0;
      for (; x + 4 <= W; x += 4) {
        __m128 acc = _mm_setzero_ps();
        for (int k = k0; k <= k1; k++)
          acc = _mm_add_ps(acc, _mm_mul_ps(wv[k + kRadius], _mm_loadu_ps(base + ptrdiff_t(k) * W + x)));
        _mm_storeu_ps(out + x, acc);
      }
      for (; x < W; x++) {
        float acc = 0;
        for (int k = k0; k <= k1; k++) acc += w[k + kRadius] * base[ptrdiff_t(k) * W + x];
        out[x] = acc;
      }
    }
  });
}

}  // namespace

LossParts rgbLoss(const float* rendered, const float* target, int W, int H, float ssimWeight, int threads, float* grad,
                  std::vector<float>* scratch) {
  const size_t P = size_t(W) * H;
  const double invN = 1.0 / double(P * 3);
  LossParts parts;
  // Planes per channel: x, y, x^2, y^2, xy -> their blurs; then 3 derivative maps -> their blurs.
  // 45 planes [P] (~47 MB at 512x512): the caller's scratch when given (the trainer reuses it every step),
  // else a local buffer. Every element is written before it is read, so it is never cleared.
  std::vector<float> local;
  std::vector<float>& buf = scratch ? *scratch : local;
  if (buf.size() < P * 45) buf.resize(P * 45);
  float* base = buf.data();
  auto plane = [&](int i) { return base + size_t(i) * P; };
  // Layout: [0,15) inputs (channel c: 5c..5c+4), [15,30) blurred, [30,45) scratch.
  for (int c = 0; c < 3; c++) {
    float *x = plane(5 * c), *y = plane(5 * c + 1), *xx = plane(5 * c + 2), *yy = plane(5 * c + 3), *xy = plane(5 * c + 4);
    for (size_t p = 0; p < P; p++) {
      const float a = rendered[p * 3 + c], b = target[p * 3 + c];
      x[p] = a;
      y[p] = b;
      xx[p] = a * a;
      yy[p] = b * b;
      xy[p] = a * b;
    }
  }
  {
    const float* src[15];
    float *dst[15], *tmp[15];
    for (int i = 0; i < 15; i++) src[i] = plane(i), dst[i] = plane(15 + i), tmp[i] = plane(30 + i);
    blurPlanes(W, H, 15, src, dst, tmp, threads);
  }
  // SSIM map and its partial derivatives; derivative maps overwrite the x^2, y^2, xy input planes.
  std::vector<double> ssimRows(size_t(H) * 3, 0.0);
  parallelFor(threads, int64_t(H) * 3, 16, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; r++) {
      const int c = int(r / H), y0 = int(r % H);
      const float *mx = plane(15 + 5 * c), *my = plane(16 + 5 * c), *exx = plane(17 + 5 * c), *eyy = plane(18 + 5 * c),
                  *exy = plane(19 + 5 * c);
      float *dMx = plane(5 * c + 2), *dExx = plane(5 * c + 3), *dExy = plane(5 * c + 4);
      double rowSum = 0;
      for (int xq = 0; xq < W; xq++) {
        const size_t p = size_t(y0) * W + xq;
        const double ux = mx[p], uy = my[p];
        const double sxx = exx[p] - ux * ux, syy = eyy[p] - uy * uy, sxy = exy[p] - ux * uy;
        const double A1 = 2 * ux * uy + kC1, A2 = 2 * sxy + kC2;
        const double B1 = ux * ux + uy * uy + kC1, B2 = sxx + syy + kC2;
        const double S = A1 * A2 / (B1 * B2);
        rowSum += S;
        dMx[p] = float(2 * uy * (A2 - A1) / (B1 * B2) - 2 * ux * S * (1 / B1 - 1 / B2));
        dExx[p] = float(-S / B2);
        dExy[p] = float(2 * A1 / (B1 * B2));
      }
      ssimRows[r] = rowSum;
    }
  });
  {
    const float* src[9];
    float *dst[9], *tmp[9];
    for (int c = 0; c < 3; c++)
      for (int k = 0; k < 3; k++) {
        src[c * 3 + k] = plane(5 * c + 2 + k);
        dst[c * 3 + k] = plane(15 + 5 * c + k);  // reuse the blurred-statistics planes
        tmp[c * 3 + k] = plane(30 + 5 * c + k);
      }
    blurPlanes(W, H, 9, src, dst, tmp, threads);
  }
  double ssimSum = 0;
  for (double v : ssimRows) ssimSum += v;
  // Combine: loss = (1-l) mean|x-y| + l (1 - mean S).
  const float l1Scale = float((1.0 - ssimWeight) * invN), ssimScale = float(-ssimWeight * invN);
  std::vector<double> l1Rows(H, 0.0), mseRows(H, 0.0);
  parallelFor(threads, H, 16, [&](int64_t begin, int64_t end) {
    for (int64_t yq = begin; yq < end; yq++) {
      double l1 = 0, se = 0;
      for (int xq = 0; xq < W; xq++) {
        const size_t p = size_t(yq) * W + xq;
        for (int c = 0; c < 3; c++) {
          const float a = rendered[p * 3 + c], b = target[p * 3 + c], d = a - b;
          l1 += std::fabs(d);
          se += double(d) * d;
          const float gMx = plane(15 + 5 * c)[p], gExx = plane(16 + 5 * c)[p], gExy = plane(17 + 5 * c)[p];
          const float dS = gMx + 2 * a * gExx + b * gExy;
          grad[p * 3 + c] = l1Scale * float((d > 0) - (d < 0)) + ssimScale * dS;
        }
      }
      l1Rows[yq] = l1;
      mseRows[yq] = se;
    }
  });
  for (int yq = 0; yq < H; yq++) parts.l1 += l1Rows[yq], parts.mse += mseRows[yq];
  parts.l1 *= invN;
  parts.mse *= invN;
  parts.ssim = ssimSum * invN;
  parts.loss = (1.0 - ssimWeight) * parts.l1 + ssimWeight * (1.0 - parts.ssim);
  return parts;
}

}  // namespace hf
