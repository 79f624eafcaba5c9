// Tile kernels of the blending passes, written once over the lane type V of simd_lanes.h (4-wide SSE or
// 8-wide AVX2) and compiled once per instruction set (see simd_lanes.h for the namespace rule).
//
// Forward: per tile, entries in depth order scatter onto the rows and pixels their threshold ellipse
// reaches, V::N pixels at a time; each pixel sees its contributors front to back with exactly the
// arithmetic of a per-pixel loop, so the forward result is the same for every lane width. Entry-major
// order lets an entry's row range and tile overlap be tested once per tile instead of once per row.
// The forward records the (entry, row) spans it blended; the backward walks them back to front, so it
// never redoes the chord maths; an entry's contributions over all its rows are summed in lanes, then
// across lanes in a fixed order (deterministic for a lane width; 4- and 8-wide differ only by float
// summation order).
#pragma once
#include "blend_view.h"
#include "cpu_internal.h"
#include "headforge/simd_lanes.h"

namespace hf {
namespace HF_BLEND_NS {

// The chords of record e in tile rows r0..r1, V::N rows per step: per row with centre y = fy, the pixel
// columns where e can reach alpha >= 1/255, i.e. the chord of its threshold ellipse
// a dx^2 + 2 b dx dy + c dy^2 <= tau, widened by a small margin (0.01 px + 1e-4 relative) so float
// rounding never drops a pixel (the per-pixel alpha test decides exactly), clipped to the tile.
// lo[row], hi[row] receive the columns (absolute, inclusive); the result has bit `row` set for rows with
// a chord inside the tile. Off-tile or NaN chords are rejected before any float -> int conversion could
// overflow. lo and hi need room for r1 + V::N entries.
inline unsigned tileChords(const float* e, const TileView& t, int r0, int r1, int32_t* lo, int32_t* hi) {
  if (e[kTau] < 0 || !(e[kCa] > 0)) return 0;
  const float a = e[kCa], b = e[kCb], c = e[kCc];
  const V::F yLo = V::set1(e[kYLo]), yHi = V::set1(e[kYHi]), my = V::set1(e[kMy]), mx = V::set1(e[kMx]);
  const V::F av = V::set1(a), bv = V::set1(b), bbac = V::set1(b * b - a * c), atau = V::set1(a * e[kTau]);
  const V::F minDisc = V::set1(-1e-4f * a * e[kTau]);
  const V::F left = V::set1(float(t.x0)), right = V::set1(float(t.x1 - 1));
  unsigned accepted = 0;
  for (int row = r0; row <= r1; row += V::N) {
    const V::F fy = V::centres(t.y0 + row);
    const V::F dy = V::sub(fy, my);
    const V::F disc = V::add(V::mul(V::mul(dy, dy), bbac), atau);
    V::F ok = V::band(V::band(V::ge(fy, yLo), V::le(fy, yHi)), V::ge(disc, minDisc));
    const V::F root = V::div(V::sqrt(V::max(disc, V::zero())), av);
    const V::F centre = V::sub(mx, V::div(V::mul(bv, dy), av));
    const V::F margin = V::add(V::set1(0.01f), V::mul(V::set1(1e-4f), V::add(V::abs(centre), root)));
    const V::F fl = V::ceil(V::sub(V::sub(V::sub(centre, root), margin), V::set1(0.5f)));
    const V::F fh = V::floor(V::sub(V::add(V::add(centre, root), margin), V::set1(0.5f)));
    ok = V::band(ok, V::band(V::le(fl, right), V::ge(fh, left)));
    // Clamped to the tile before the conversion (rejected lanes may hold anything).
    const V::F l = V::max(fl, left), h = V::min(fh, right);
    ok = V::band(ok, V::le(l, h));
    V::storeInt(lo + row, l);
    V::storeInt(hi + row, h);
    accepted |= unsigned(V::bits(ok)) << row;
  }
  // Lanes past r1 belong to rows outside [r0, r1]: drop them.
  return accepted & ((2u << r1) - 1u);
}

// Tile-local rows [*r0, *r1] that may hold a pixel of record e (a superset: tileChords decides per row);
// false when the record's prefilter box misses the tile's pixel centres. NaN bounds compare false.
inline bool tileRows(const float* e, const TileView& t, int* r0, int* r1) {
  const float top = float(t.y0) + 0.5f, bottom = float(t.y1) - 0.5f;
  if (!(e[kYHi] >= top && e[kYLo] <= bottom)) return false;
  if (!(e[kXHi] >= float(t.x0) + 0.5f && e[kXLo] <= float(t.x1) - 0.5f)) return false;
  // Both bounds are now within a tile of the rows (or infinite), so the conversions cannot overflow.
  *r0 = e[kYLo] <= top ? 0 : int(e[kYLo] - top);
  *r1 = e[kYHi] >= bottom ? t.y1 - t.y0 - 1 : int(e[kYHi] - top) + 1;
  if (*r1 > t.y1 - t.y0 - 1) *r1 = t.y1 - t.y0 - 1;
  return true;
}

// power = -0.5 (a dx dx + c dy dy) - b dx dy in the scalar reference's operation order (cdd = c dy dy).
inline V::F blendPower(V::F ca, V::F cb, V::F cdd, V::F dx, V::F dy) {
  return V::sub(V::mul(V::set1(-0.5f), V::add(V::mul(V::mul(ca, dx), dx), cdd)), V::mul(V::mul(cb, dx), dy));
}

// Blends record e (pair index s + j) into pixels lo..hi of one tile row (state arrays of that row,
// indexed from the tile's x0; d is null when no depth is wanted). Returns true when at least one pixel
// took the contribution.
inline bool forwardSpan(const float* e, int64_t pairIndex, float fy, int x0, int lo, int hi, float* T, float* r,
                        float* g, float* b, float* d, int32_t* last, int32_t* done, int* doneCount) {
  const float dyS = fy - e[kMy];
  const V::F dy = V::set1(dyS), mx = V::set1(e[kMx]), ca = V::set1(e[kCa]), cb = V::set1(e[kCb]);
  const V::F cdd = V::set1(e[kCc] * dyS * dyS);  // the same for the whole row
  const V::F minPower = V::set1(e[kMinPower]), op = V::set1(e[kOp]);
  const V::F cr = V::set1(e[kCr]), cg = V::set1(e[kCg]), cbl = V::set1(e[kCb2]), dz = V::set1(e[kDz]);
  const V::F lastValue = V::intBits(int32_t(pairIndex + 1));
  bool any = false;
  for (int px = lo; px <= hi; px += V::N) {
    const int k = px - x0;
    const V::F dx = V::sub(V::centres(px), mx);
    const V::F power = blendPower(ca, cb, cdd, dx, dy);
    V::F live = V::andnot(V::loadBits(done + k), V::upTo(px, hi));
    live = V::band(live, V::band(V::le(power, V::zero()), V::ge(power, minPower)));
    if (V::bits(live) == 0) continue;
    const V::F raw = V::mul(op, V::expNeg(power));
    const V::F alpha = V::min(raw, V::set1(kMaxAlpha));
    live = V::band(live, V::ge(alpha, V::set1(kMinAlpha)));
    const V::F Tk = V::load(T + k);
    const V::F nextT = V::mul(Tk, V::sub(V::set1(1.f), alpha));
    const V::F stop = V::band(live, V::lt(nextT, V::set1(kMinTransmittance)));
    if (const int stopBits = V::bits(stop)) {
      V::storeBits(done + k, V::bor(V::loadBits(done + k), stop));
      *doneCount += __builtin_popcount(unsigned(stopBits));
    }
    const V::F on = V::andnot(stop, live);
    if (V::bits(on) == 0) continue;
    any = true;
    const V::F w = V::mul(alpha, Tk);
    V::store(r + k, V::blend(V::load(r + k), V::add(V::load(r + k), V::mul(w, cr)), on));
    V::store(g + k, V::blend(V::load(g + k), V::add(V::load(g + k), V::mul(w, cg)), on));
    V::store(b + k, V::blend(V::load(b + k), V::add(V::load(b + k), V::mul(w, cbl)), on));
    if (d) V::store(d + k, V::blend(V::load(d + k), V::add(V::load(d + k), V::mul(w, dz)), on));
    V::store(T + k, V::blend(Tk, nextT, on));
    V::storeBits(last + k, V::blend(V::loadBits(last + k), lastValue, on));
  }
  return any;
}

// The forward pass of one tile; st must be reset by the caller (T = 1, sums 0, last = s, done 0,
// rowDone 0). A row stops taking entries once all its pixels stopped; the tile once all rows did.
// When spans is non-null, every (entry, row) that blended at least one pixel is appended there, up to
// spanCapacity; returns the count, or kSpanOverflow when more were blended (the caller grows the buffer
// and runs the tile again from a reset state).
inline size_t forwardTile(const TileView& t, ForwardTileState& st, BlendSpan* spans, size_t spanCapacity) {
  const int rows = t.y1 - t.y0, width = t.x1 - t.x0;
  int rowsDone = 0;
  size_t spanCount = 0;
  for (size_t j = 0; j < t.n && rowsDone < rows; j++) {
    const float* e = t.records + size_t(t.ids[j]) * kBlendStride;
    int r0, r1;
    if (!tileRows(e, t, &r0, &r1)) continue;
    alignas(32) int32_t los[16 + kRowPad], his[16 + kRowPad];
    const unsigned accepted = tileChords(e, t, r0, r1, los, his);
    for (int row = r0; row <= r1; row++) {
      if (!((accepted >> row) & 1u) || st.rowDone[row] == width) continue;
      const float fy = float(t.y0 + row) + 0.5f;
      const int lo = los[row], hi = his[row];
      const bool any = forwardSpan(e, t.s + int64_t(j), fy, t.x0, lo, hi, st.T[row], st.r[row], st.g[row], st.b[row],
                                   t.withDepth ? st.d[row] : nullptr, st.last[row], st.done[row], &st.rowDone[row]);
      if (st.rowDone[row] == width) rowsDone++;
      if (any && spans) {
        if (spanCount == spanCapacity) return kSpanOverflow;
        spans[spanCount++] = BlendSpan{uint32_t(j), uint8_t(row), uint8_t(lo - t.x0), uint8_t(hi - t.x0), 0};
      }
    }
  }
  return spanCount;
}

// Adds record e's gradient terms over pixels lo..hi of one row (state arrays of that row) to the lane
// sums acc: mean x y, conic a b c, opacity, colour r g b. j = the entry's tile-local index.
inline void backwardSpan(const float* e, int32_t j, float fy, int x0, int lo, int hi, float* T, const float* Tfinal,
                         float* Rr, float* Rg, float* Rb, const float* gr, const float* gg, const float* gb,
                         const float* bgTerm, const int32_t* lastLocal, V::F* acc) {
  const V::F one = V::set1(1.f);
  const float dyS = fy - e[kMy];
  const V::F dy = V::set1(dyS), mx = V::set1(e[kMx]);
  const V::F ca = V::set1(e[kCa]), cb = V::set1(e[kCb]), cc = V::set1(e[kCc]);
  const V::F cdd = V::set1(e[kCc] * dyS * dyS);
  const V::F minPower = V::set1(e[kMinPower]), op = V::set1(e[kOp]);
  const V::F cr = V::set1(e[kCr]), cgv = V::set1(e[kCg]), cbv = V::set1(e[kCb2]);
  for (int px = lo; px <= hi; px += V::N) {
    const int k = px - x0;
    const V::F dx = V::sub(V::centres(px), mx);
    const V::F power = blendPower(ca, cb, cdd, dx, dy);
    // Lanes where this entry was blended in the forward pass (j < last contributor, same tests).
    V::F live = V::band(V::upTo(px, hi), V::greater(lastLocal + k, j));
    live = V::band(live, V::band(V::le(power, V::zero()), V::ge(power, minPower)));
    if (V::bits(live) == 0) continue;
    const V::F gauss = V::expNeg(power);
    const V::F raw = V::mul(op, gauss);
    const V::F alpha = V::min(raw, V::set1(kMaxAlpha));
    live = V::band(live, V::ge(alpha, V::set1(kMinAlpha)));
    if (V::bits(live) == 0) continue;
    const V::F oneMinus = V::sub(one, alpha);
    // One division for both transmittances in front of this entry (T / (1 - alpha), Tfinal / (1 - alpha)).
    const V::F invOneMinus = V::div(one, oneMinus);
    const V::F Tk = V::blend(V::load(T + k), V::mul(V::load(T + k), invOneMinus), live);
    V::store(T + k, Tk);
    const V::F w = V::band(live, V::mul(alpha, Tk));
    const V::F g0 = V::load(gr + k), g1 = V::load(gg + k), g2 = V::load(gb + k);
    acc[6] = V::add(acc[6], V::mul(w, g0));
    acc[7] = V::add(acc[7], V::mul(w, g1));
    acc[8] = V::add(acc[8], V::mul(w, g2));
    const V::F r0 = V::load(Rr + k), r1 = V::load(Rg + k), r2 = V::load(Rb + k);
    const V::F dLdAlphaJ = V::add(
        V::mul(Tk, V::add(V::add(V::mul(V::sub(cr, r0), g0), V::mul(V::sub(cgv, r1), g1)), V::mul(V::sub(cbv, r2), g2))),
        V::mul(V::mul(V::load(Tfinal + k), invOneMinus), V::load(bgTerm + k)));
    V::store(Rr + k, V::blend(r0, V::add(V::mul(alpha, cr), V::mul(oneMinus, r0)), live));
    V::store(Rg + k, V::blend(r1, V::add(V::mul(alpha, cgv), V::mul(oneMinus, r1)), live));
    V::store(Rb + k, V::blend(r2, V::add(V::mul(alpha, cbv), V::mul(oneMinus, r2)), live));
    // Clamped alpha (raw >= kMaxAlpha): no gradient to opacity or shape.
    const V::F shapeLive = V::band(live, V::lt(raw, V::set1(kMaxAlpha)));
    if (V::bits(shapeLive) == 0) continue;
    const V::F dA = V::band(shapeLive, dLdAlphaJ);
    acc[5] = V::add(acc[5], V::mul(gauss, dA));  // d alpha / d opacity = exp(power) (unclamped)
    const V::F dLdPower = V::mul(dA, raw);
    acc[0] = V::add(acc[0], V::mul(dLdPower, V::add(V::mul(ca, dx), V::mul(cb, dy))));
    acc[1] = V::add(acc[1], V::mul(dLdPower, V::add(V::mul(cb, dx), V::mul(cc, dy))));
    acc[2] = V::add(acc[2], V::mul(dLdPower, V::mul(V::mul(V::set1(-0.5f), dx), dx)));
    acc[3] = V::add(acc[3], V::mul(dLdPower, V::mul(V::sub(V::zero(), dx), dy)));
    acc[4] = V::add(acc[4], V::mul(dLdPower, V::mul(V::mul(V::set1(-0.5f), dy), dy)));
  }
}

// The backward pass of one tile over the forward's spans, back to front. Spans come grouped by entry,
// so each entry's lane sums cover all its rows and are reduced across lanes once, into the next slot:
// slotGrads [slots * 9] (mean x y, conic a b c, opacity, colour r g b) and slotEntry [slots] = the
// entry's tile-local index. Slots are filled back to front (slot 0 = the deepest entry with a span).
inline void backwardTile(const TileView& t, const BlendSpan* spans, size_t spanCount, BackwardTileState& st,
                         float* slotGrads, uint32_t* slotEntry) {
  V::F acc[kGrad2dStride];
  size_t k = spanCount, slot = 0;
  while (k > 0) {
    const uint32_t j = spans[k - 1].entry;
    const float* e = t.records + size_t(t.ids[j]) * kBlendStride;
    for (auto& a : acc) a = V::zero();
    for (; k > 0 && spans[k - 1].entry == j; k--) {
      const BlendSpan& sp = spans[k - 1];
      const int row = sp.row;
      backwardSpan(e, int32_t(j), float(t.y0 + row) + 0.5f, t.x0, t.x0 + sp.lo, t.x0 + sp.hi, st.T[row],
                   st.Tfinal[row], st.Rr[row], st.Rg[row], st.Rb[row], st.gr[row], st.gg[row], st.gb[row],
                   st.bgTerm[row], st.lastLocal[row], acc);
    }
    V::storeSums9(slotGrads + slot * kGrad2dStride, acc);
    slotEntry[slot++] = j;
  }
}

}  // namespace HF_BLEND_NS
}  // namespace hf
