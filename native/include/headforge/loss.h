// Photometric loss of the trainer: (1 - lambda) * L1 + lambda * (1 - SSIM), with its gradient.
#pragma once
#include <vector>

namespace hf {

struct LossParts {
  double loss = 0;  // total
  double l1 = 0;    // mean |x - y| over pixels and channels
  double ssim = 0;  // mean SSIM over pixels and channels
  double mse = 0;   // mean (x - y)^2 (for the PSNR estimate)
};

// rendered, target: [H*W*3] interleaved. SSIM: 11x11 Gaussian window (sigma 1.5), zero padding,
// C1 = 0.01^2, C2 = 0.03^2, per channel (as 3DGS). Writes dLoss/dRendered into grad [H*W*3].
// scratch (optional): working planes [27*H*W] kept by a caller that evaluates the loss every step, so
// ~28 MB (512x512) is not allocated and zero-filled each time.
// targetStats (optional): targetBlurStats(target) when the caller keeps it (the trainer, per view);
// computed here when null.
LossParts rgbLoss(const float* rendered, const float* target, int width, int height, float ssimWeight, int threads,
                  float* grad, std::vector<float>* scratch = nullptr, const float* targetStats = nullptr);

// The target-only SSIM statistics, stats [6*H*W]: per channel c, plane 2c = windowed mean of y and
// plane 2c+1 = windowed mean of y^2 (the same blur rgbLoss uses).
void targetBlurStats(const float* target, int width, int height, int threads, std::vector<float>& stats);

}  // namespace hf
