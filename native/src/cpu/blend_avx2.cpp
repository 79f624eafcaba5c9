// The tile kernels (blend_rows.h) compiled 8 pixels wide for AVX2 machines, chosen at run time
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

size_t forwardTileAvx2(const TileView& tile, ForwardTileState& st, BlendSpan* spans, size_t spanCapacity) {
  return avx2::forwardTile(tile, st, spans, spanCapacity);
}
void backwardTileAvx2(const TileView& tile, const BlendSpan* spans, size_t spanCount, BackwardTileState& st,
                      float* slotGrads, uint32_t* slotEntry) {
  avx2::backwardTile(tile, spans, spanCount, st, slotGrads, slotEntry);
}

}  // namespace hf
#endif
