// Row passes of the SSIM window blur (11 taps, zero padding), SSE in ssim_loss.cpp and AVX2 in
// blur_avx2.cpp (chosen at run time like the blending kernels). Both give the bits of the plain scalar
// loop: every output is 0 + w[k0] in[k0] + ... + w[k1] in[k1] over the in-range taps in ascending order,
// and SSE/AVX add and mul round exactly like scalar ones (no FMA).
#pragma once

namespace hf {

constexpr int kBlurRadius = 5;
constexpr int kBlurTaps = 2 * kBlurRadius + 1;

// Horizontal pass of one row: in [W] -> out [W].
void blurRowHAvx2(const float* in, float* out, int W, const float* w);
// Vertical pass producing row y: column taps from plane [H*W] rows y-5..y+5 -> out [W].
void blurRowVAvx2(const float* plane, float* out, int W, int H, int y, const float* w);

}  // namespace hf
