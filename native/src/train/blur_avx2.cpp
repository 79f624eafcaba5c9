// The SSIM blur's row passes (blur_rows.h) compiled 8 floats wide for AVX2 machines, chosen at run
// time; same bits as the SSE build (blur.h). Like blend_avx2.cpp, nothing here is shared with the SSE units.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#pragma GCC target("avx2")
#define HF_BLEND_AVX2 1
#define HF_BLEND_NS avx2
#include "blur_rows.h"

namespace hf {

void blurRowHAvx2(const float* in, float* out, int W, const float* w) { avx2::blurRowH(in, out, W, w); }
void blurRowVAvx2(const float* plane, float* out, int W, int H, int y, const float* w) {
  avx2::blurRowV(plane, out, W, H, y, w);
}

}  // namespace hf
#endif
