// What the tile kernels (blend_rows.h) see: the tile's Gaussian list, the per-Gaussian blend records
// (blend_record.h) and the tile's per-pixel state. The kernels are compiled once per instruction set and
// must not share any inline function or template instance with other translation units (see
// blend_avx2.cpp), so everything here is plain data.
#pragma once
#include <cstddef>
#include <cstdint>

#include "cpu_internal.h"  // BlendSpan

namespace hf {

// Record layout, kBlendStride floats per Gaussian (one 64-byte cache line):
//   mean x y (px), conic a b c, opacity, colour r g b, depth,
//   minPower = log(kMinAlpha / opacity): below this exponent alpha < 1/255, so exp() is skipped,
//   tau = 2 ln(255 opacity): alpha >= 1/255 exactly where a dx^2 + 2 b dx dy + c dy^2 <= tau,
//   yLo yHi, xLo xHi: pixel-centre coordinates outside these cannot reach alpha >= 1/255 (the threshold
//   ellipse's extent sqrt(tau * a / det) in y, sqrt(tau * c / det) in x, widened by 0.1% + 0.05 px so it
//   never rejects a row or tile that tileChords (blend_rows.h) accepts); they only save the kernel's
//   chord maths for rows and tiles the ellipse misses: tileChords still decides.
enum BlendField {
  kMx, kMy, kCa, kCb, kCc, kOp, kCr, kCg, kCb2, kDz, kMinPower, kTau, kYLo, kYHi, kXLo, kXHi, kBlendStride
};

// One tile: its pixel rectangle [x0, x1) x [y0, y1) (at most kTileSize square), its entries ids[0..n)
// (Gaussian indices in depth order), the blend records [N * kBlendStride], and s = the global pair index
// of its first entry; withDepth: accumulate the depth sum (forward).
struct TileView {
  const float* records;
  const uint32_t* ids;
  size_t n;
  int x0, y0, x1, y1;
  int64_t s;
  bool withDepth;
};

// Per-pixel state of one tile for the forward pass, [row][column], rows padded by kRowPad lanes so an
// 8-wide access at the last pixel stays in bounds: transmittance, colour and depth sums, one past the
// last blended pair index, done flag (all ones when the pixel stopped); rowDone = stopped pixels per row.
constexpr int kRowPad = 8;
constexpr int kRowStride = 16 + kRowPad;
struct ForwardTileState {
  alignas(32) float T[16][kRowStride], r[16][kRowStride], g[16][kRowStride], b[16][kRowStride], d[16][kRowStride];
  alignas(32) int32_t last[16][kRowStride], done[16][kRowStride];
  int rowDone[16];
};
// Backward: running and final transmittance, colour accumulated behind the current entry, dL/drgb,
// the background/alpha term and the last contributor (tile-local index); padding lanes are inactive.
struct BackwardTileState {
  alignas(32) float T[16][kRowStride], Tfinal[16][kRowStride], Rr[16][kRowStride], Rg[16][kRowStride], Rb[16][kRowStride];
  alignas(32) float gr[16][kRowStride], gg[16][kRowStride], gb[16][kRowStride], bgTerm[16][kRowStride];
  alignas(32) int32_t lastLocal[16][kRowStride];
};

// AVX2 versions (blend_avx2.cpp); call only when avx2Available(). The forward writes the spans it
// blended to spans[0..return) when spans is non-null and returns their count, or kSpanOverflow when
// they do not fit in spanCapacity; the raw buffer keeps std::vector code out of the AVX2 unit.
constexpr size_t kSpanOverflow = ~size_t(0);
bool avx2Available();
size_t forwardTileAvx2(const TileView& tile, ForwardTileState& st, BlendSpan* spans, size_t spanCapacity);
void backwardTileAvx2(const TileView& tile, const BlendSpan* spans, size_t spanCount, BackwardTileState& st,
                      float* slotGrads, uint32_t* slotEntry);

}  // namespace hf
