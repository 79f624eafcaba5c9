// L1 + D-SSIM loss and gradient. The 11x11 Gaussian window is separable, so each windowed mean is two
// 11-tap passes (rows, then columns) with zero padding; the adjoint of that blur is the same blur
// (symmetric kernel, zero padding), which gives the gradient as three more blurs per channel:
//   dS/dx_q = blur(dS/dmu_x)_q + 2 x_q blur(dS/dE[x^2])_q + y_q blur(dS/dE[xy])_q
// The target's own statistics (blurred y and y^2) do not depend on the render: a caller that sees the
// same target again (the trainer, per view) computes them once with targetBlurStats.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <vector>

#include "blur.h"
#include "headforge/loss.h"
#include "headforge/parallel.h"
#define HF_BLEND_NS sse
#include "blur_rows.h"

namespace hf {

bool avx2Available();  // forward.cpp

namespace {

constexpr double kC1 = 0.01 * 0.01, kC2 = 0.03 * 0.03;

struct Window {
  float w[kBlurTaps];
  Window() {
    double sum = 0, tmp[kBlurTaps];
    for (int k = -kBlurRadius; k <= kBlurRadius; k++) sum += tmp[k + kBlurRadius] = std::exp(-(k * k) / (2 * 1.5 * 1.5));
    for (int k = 0; k < kBlurTaps; k++) w[k] = static_cast<float>(tmp[k] / sum);
  }
};
const Window kWindow;

// Blurs `count` planes [H*W] at once (src[i] -> dst[i]); tmp[i] is scratch of the same size. Rows of all
// planes are independent items, so any thread may take any row (same bits for every thread count).
void blurPlanes(int W, int H, int count, const float* const* src, float* const* dst, float* const* tmp, int threads) {
  const float* w = kWindow.w;
  const bool wide = avx2Available();
  parallelFor(threads, int64_t(H) * count, 16, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; r++) {
      const int plane = int(r / H), y = int(r % H);
      const float* in = src[plane] + size_t(y) * W;
      float* out = tmp[plane] + size_t(y) * W;
      if (wide) blurRowHAvx2(in, out, W, w);
      else sse::blurRowH(in, out, W, w);
    }
  });
  parallelFor(threads, int64_t(H) * count, 16, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; r++) {
      const int plane = int(r / H), y = int(r % H);
      float* out = dst[plane] + size_t(y) * W;
      if (wide) blurRowVAvx2(tmp[plane], out, W, H, y, w);
      else sse::blurRowV(tmp[plane], out, W, H, y, w);
    }
  });
}

}  // namespace

void targetBlurStats(const float* target, int W, int H, int threads, std::vector<float>& stats) {
  const size_t P = size_t(W) * H;
  stats.resize(P * 6);
  // Work planes [12*P]: y and y^2 per channel, then the blur's row-pass scratch; every element is
  // written before it is read, so it is not zero-filled.
  std::unique_ptr<float[]> work(new float[P * 12]);
  const float* src[6];
  float *dst[6], *tmp[6];
  for (int i = 0; i < 6; i++) src[i] = work.get() + size_t(i) * P, dst[i] = stats.data() + size_t(i) * P,
                              tmp[i] = work.get() + size_t(6 + i) * P;
  parallelFor(threads, int64_t(H), 16, [&](int64_t begin, int64_t end) {
    for (size_t p = size_t(begin) * W; p < size_t(end) * W; p++)
      for (int c = 0; c < 3; c++) {
        const float b = target[p * 3 + c];
        work[size_t(2 * c) * P + p] = b;
        work[size_t(2 * c + 1) * P + p] = b * b;
      }
  });
  blurPlanes(W, H, 6, src, dst, tmp, threads);
}

LossParts rgbLoss(const float* rendered, const float* target, int W, int H, float ssimWeight, int threads, float* grad,
                  std::vector<float>* scratch, const float* targetStats) {
  const size_t P = size_t(W) * H;
  const double invN = 1.0 / double(P * 3);
  LossParts parts;
  std::vector<float> localStats;
  if (!targetStats) {
    targetBlurStats(target, W, H, threads, localStats);
    targetStats = localStats.data();
  }
  // 27 working planes [P] (~28 MB at 512x512): the caller's scratch when given (the trainer reuses it
  // every step), else a local buffer. Every element is written before it is read, so it is never cleared.
  // Layout: [0,9) inputs per channel c: 3c x, 3c+1 x^2, 3c+2 xy; [9,18) their blurs; [18,27) blur scratch.
  std::vector<float> local;
  std::vector<float>& buf = scratch ? *scratch : local;
  if (buf.size() < P * 27) buf.resize(P * 27);
  float* base = buf.data();
  auto plane = [&](int i) { return base + size_t(i) * P; };
  parallelFor(threads, int64_t(H), 16, [&](int64_t begin, int64_t end) {
    for (size_t p = size_t(begin) * W; p < size_t(end) * W; p++)
      for (int c = 0; c < 3; c++) {
        const float a = rendered[p * 3 + c], b = target[p * 3 + c];
        plane(3 * c)[p] = a;
        plane(3 * c + 1)[p] = a * a;
        plane(3 * c + 2)[p] = a * b;
      }
  });
  {
    const float* src[9];
    float *dst[9], *tmp[9];
    for (int i = 0; i < 9; i++) src[i] = plane(i), dst[i] = plane(9 + i), tmp[i] = plane(18 + i);
    blurPlanes(W, H, 9, src, dst, tmp, threads);
  }
  // SSIM map and its partial derivatives; derivative maps overwrite the input planes (same slots).
  std::vector<double> ssimRows(size_t(H) * 3, 0.0);
  parallelFor(threads, int64_t(H) * 3, 16, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; r++) {
      const int c = int(r / H), y0 = int(r % H);
      const float *mx = plane(9 + 3 * c), *exx = plane(10 + 3 * c), *exy = plane(11 + 3 * c);
      const float *my = targetStats + size_t(2 * c) * P, *eyy = targetStats + size_t(2 * c + 1) * P;
      float *dMx = plane(3 * c), *dExx = plane(3 * c + 1), *dExy = plane(3 * c + 2);
      double rowSum = 0;
      for (int xq = 0; xq < W; xq++) {
        const size_t p = size_t(y0) * W + xq;
        const double ux = mx[p], uy = my[p];
        const double sxx = exx[p] - ux * ux, syy = eyy[p] - uy * uy, sxy = exy[p] - ux * uy;
        const double A1 = 2 * ux * uy + kC1, A2 = 2 * sxy + kC2;
        const double B1 = ux * ux + uy * uy + kC1, B2 = sxx + syy + kC2;
        // One division per pixel: 1/B1 = B2 inv, 1/B2 = B1 inv with inv = 1 / (B1 B2).
        const double inv = 1 / (B1 * B2);
        const double S = A1 * A2 * inv;
        rowSum += S;
        dMx[p] = float(2 * uy * (A2 - A1) * inv - 2 * ux * S * ((B2 - B1) * inv));
        dExx[p] = float(-S * (B1 * inv));
        dExy[p] = float(2 * A1 * inv);
      }
      ssimRows[r] = rowSum;
    }
  });
  {
    const float* src[9];
    float *dst[9], *tmp[9];
    for (int i = 0; i < 9; i++) src[i] = plane(i), dst[i] = plane(9 + i), tmp[i] = plane(18 + i);
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
          const float gMx = plane(9 + 3 * c)[p], gExx = plane(10 + 3 * c)[p], gExy = plane(11 + 3 * c)[p];
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
