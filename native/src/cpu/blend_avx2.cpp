// The row kernels (blend_rows.h) compiled 8 pixels wide for AVX2 machines, chosen at run time
// (__builtin_cpu_supports): the build's baseline stays x86-64-v2. Only avx2 is enabled, not fma, so the
// compiler cannot fuse multiply-adds: the forward pass gives the same bits as the SSE build.
// Everything compiled here lives in a namespace private to this unit and uses no std:: templates, so
// no AVX instruction can leak into code the SSE path shares.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#pragma GCC target("avx2")
#define HF_BLEND_AVX2 1
#define HF_BLEND_NS avx2
#include "blend_rows.h"

namespace hf {

void forwardRowAvx2(const BlendView& c, float fy, int x0, int x1, int64_t s, ForwardRowState& st) {
  avx2::forwardRow(c, fy, x0, x1, s, st);
}
void backwardRowAvx2(const BlendView& c, float fy, int x0, int x1, int32_t rowLast, BackwardRowState& st, float* tg) {
  avx2::backwardRow(c, fy, x0, x1, rowLast, st, tg);
}

}  // namespace hf
#endif
