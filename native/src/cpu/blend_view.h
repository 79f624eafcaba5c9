// Raw-pointer view of a TileCache ([n] arrays, see tile_cache.h), the only thing the row kernels see:
// they are compiled once per instruction set (blend_rows.h) and must not share any inline function or
// template instance with other translation units (see blend_avx2.cpp).
#pragma once
#include <cstddef>
#include <cstdint>

namespace hf {

struct BlendView {
  const float *mx, *my, *ca, *cb, *cc, *op, *cr, *cg, *cbl, *dz, *minPower, *tau, *yLo, *yHi;
  size_t n;
};

// Per-pixel state of one tile row for the forward pass, padded by 7 lanes so an 8-wide access at the
// last pixel stays in bounds: transmittance, colour and depth sums, one past the last blended pair
// index, done flag (all ones when the pixel stopped).
constexpr int kRowPad = 8;
struct ForwardRowState {
  alignas(32) float T[16 + kRowPad], r[16 + kRowPad], g[16 + kRowPad], b[16 + kRowPad], d[16 + kRowPad];
  alignas(32) int32_t last[16 + kRowPad], done[16 + kRowPad];
};
// Backward: running and final transmittance, colour accumulated behind the current entry, dL/drgb,
// the background/alpha term and the last contributor (tile-local index); padding lanes are inactive.
struct BackwardRowState {
  alignas(32) float T[16 + kRowPad], Tfinal[16 + kRowPad], Rr[16 + kRowPad], Rg[16 + kRowPad], Rb[16 + kRowPad];
  alignas(32) float gr[16 + kRowPad], gg[16 + kRowPad], gb[16 + kRowPad], bgTerm[16 + kRowPad];
  alignas(32) int32_t lastLocal[16 + kRowPad];
};

// AVX2 versions (blend_avx2.cpp); call only when avx2Available().
bool avx2Available();
void forwardRowAvx2(const BlendView& c, float fy, int x0, int x1, int64_t s, ForwardRowState& st);
void backwardRowAvx2(const BlendView& c, float fy, int x0, int x1, int32_t rowLast, BackwardRowState& st, float* tg);

}  // namespace hf
