// Row kernels of the blending passes, written once over a lane type V (4-wide SSE or 8-wide AVX2) and
// compiled once per instruction set. A translation unit defines HF_BLEND_NS (a namespace private to
// it, so no inline function or template instance is shared between differently compiled units) and,
// for the 8-wide version, HF_BLEND_AVX2 under `#pragma GCC target("avx2")`.
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
#include <immintrin.h>

#include "blend_view.h"
#include "cpu_internal.h"

#ifndef HF_BLEND_NS
#error "define HF_BLEND_NS before including blend_rows.h"
#endif

namespace hf {
namespace HF_BLEND_NS {

// Exp for x in [-87, 0] (the blending exponent lies in [log(1/255), 0]): Cephes expf scheme (range
// reduction by ln2 in two parts, degree-6 polynomial), relative error < 1e-7; plain mul/add only (no
// FMA), so every machine and lane width gives the same bits. Inputs below -87 are clamped.
#define HF_EXP_BODY(P, CAST)                                                                                 \
  x = P##_max_ps(x, P##_set1_ps(-87.0f));                                                                  \
  const auto fx = P##_round_ps(P##_mul_ps(x, P##_set1_ps(1.44269504088896341f)),                           \
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);                             \
  auto r = P##_sub_ps(x, P##_mul_ps(fx, P##_set1_ps(0.693359375f)));                                       \
  r = P##_sub_ps(r, P##_mul_ps(fx, P##_set1_ps(-2.12194440e-4f)));                                         \
  const auto z = P##_mul_ps(r, r);                                                                         \
  auto y = P##_set1_ps(1.9875691500e-4f);                                                                  \
  y = P##_add_ps(P##_mul_ps(y, r), P##_set1_ps(1.3981999507e-3f));                                         \
  y = P##_add_ps(P##_mul_ps(y, r), P##_set1_ps(8.3334519073e-3f));                                         \
  y = P##_add_ps(P##_mul_ps(y, r), P##_set1_ps(4.1665795894e-2f));                                         \
  y = P##_add_ps(P##_mul_ps(y, r), P##_set1_ps(1.6666665459e-1f));                                         \
  y = P##_add_ps(P##_mul_ps(y, r), P##_set1_ps(5.0000001201e-1f));                                         \
  y = P##_add_ps(P##_add_ps(P##_mul_ps(y, z), r), P##_set1_ps(1.0f));                                      \
  const auto pow2n = P##_slli_epi32(P##_add_epi32(P##_cvtps_epi32(fx), P##_set1_epi32(127)), 23);        \
  return P##_mul_ps(y, CAST(pow2n))

#ifndef HF_BLEND_AVX2
struct V {
  static constexpr int N = 4;
  using F = __m128;
  static F set1(float v) { return _mm_set1_ps(v); }
  static F zero() { return _mm_setzero_ps(); }
  static F add(F a, F b) { return _mm_add_ps(a, b); }
  static F sub(F a, F b) { return _mm_sub_ps(a, b); }
  static F mul(F a, F b) { return _mm_mul_ps(a, b); }
  static F div(F a, F b) { return _mm_div_ps(a, b); }
  static F min(F a, F b) { return _mm_min_ps(a, b); }
  static F le(F a, F b) { return _mm_cmple_ps(a, b); }
  static F ge(F a, F b) { return _mm_cmpge_ps(a, b); }
  static F lt(F a, F b) { return _mm_cmplt_ps(a, b); }
  static F band(F a, F b) { return _mm_and_ps(a, b); }
  static F andnot(F a, F b) { return _mm_andnot_ps(a, b); }  // ~a & b
  static F bor(F a, F b) { return _mm_or_ps(a, b); }
  static F blend(F a, F b, F m) { return _mm_blendv_ps(a, b, m); }
  static int bits(F m) { return _mm_movemask_ps(m); }
  static F load(const float* p) { return _mm_loadu_ps(p); }
  static void store(float* p, F v) { _mm_storeu_ps(p, v); }
  static F loadBits(const int32_t* p) { return _mm_castsi128_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))); }
  static void storeBits(int32_t* p, F v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm_castps_si128(v)); }
  static F intBits(int32_t v) { return _mm_castsi128_ps(_mm_set1_epi32(v)); }
  static __m128i lanes(int px) { return _mm_add_epi32(_mm_set1_epi32(px), _mm_setr_epi32(0, 1, 2, 3)); }
  static F centres(int px) { return _mm_add_ps(_mm_cvtepi32_ps(lanes(px)), _mm_set1_ps(0.5f)); }
  static F upTo(int px, int hi) { return _mm_castsi128_ps(_mm_cmpgt_epi32(_mm_set1_epi32(hi + 1), lanes(px))); }
  // Lanes where p[lane] > j (int32 compare).
  static F greater(const int32_t* p, int32_t j) {
    return _mm_castsi128_ps(_mm_cmpgt_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), _mm_set1_epi32(j)));
  }
  static F expNeg(F x) { HF_EXP_BODY(_mm, _mm_castsi128_ps); }
  // dst[q] += sum of the lanes of acc[q], q < 9; lane order ((0 + 2) + (1 + 3)).
  static void addSums9(float* dst, const F* acc) {
    for (int q = 0; q < 8; q += 4) {
      F a = acc[q], b = acc[q + 1], c = acc[q + 2], d = acc[q + 3];
      _MM_TRANSPOSE4_PS(a, b, c, d);
      _mm_storeu_ps(dst + q, _mm_add_ps(_mm_loadu_ps(dst + q), _mm_add_ps(_mm_add_ps(a, c), _mm_add_ps(b, d))));
    }
    const F hi = _mm_movehl_ps(acc[8], acc[8]);
    const F s = _mm_add_ps(acc[8], hi);
    dst[8] += _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps(s, s, 1)));
  }
};
#else
struct V {
  static constexpr int N = 8;
  using F = __m256;
  static F set1(float v) { return _mm256_set1_ps(v); }
  static F zero() { return _mm256_setzero_ps(); }
  static F add(F a, F b) { return _mm256_add_ps(a, b); }
  static F sub(F a, F b) { return _mm256_sub_ps(a, b); }
  static F mul(F a, F b) { return _mm256_mul_ps(a, b); }
  static F div(F a, F b) { return _mm256_div_ps(a, b); }
  static F min(F a, F b) { return _mm256_min_ps(a, b); }
  static F le(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_LE_OS); }
  static F ge(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_GE_OS); }
  static F lt(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_LT_OS); }
  static F band(F a, F b) { return _mm256_and_ps(a, b); }
  static F andnot(F a, F b) { return _mm256_andnot_ps(a, b); }
  static F bor(F a, F b) { return _mm256_or_ps(a, b); }
  static F blend(F a, F b, F m) { return _mm256_blendv_ps(a, b, m); }
  static int bits(F m) { return _mm256_movemask_ps(m); }
  static F load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, F v) { _mm256_storeu_ps(p, v); }
  static F loadBits(const int32_t* p) { return _mm256_castsi256_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))); }
  static void storeBits(int32_t* p, F v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), _mm256_castps_si256(v)); }
  static F intBits(int32_t v) { return _mm256_castsi256_ps(_mm256_set1_epi32(v)); }
  static __m256i lanes(int px) { return _mm256_add_epi32(_mm256_set1_epi32(px), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)); }
  static F centres(int px) { return _mm256_add_ps(_mm256_cvtepi32_ps(lanes(px)), _mm256_set1_ps(0.5f)); }
  static F upTo(int px, int hi) { return _mm256_castsi256_ps(_mm256_cmpgt_epi32(_mm256_set1_epi32(hi + 1), lanes(px))); }
  static F greater(const int32_t* p, int32_t j) {
    return _mm256_castsi256_ps(
        _mm256_cmpgt_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)), _mm256_set1_epi32(j)));
  }
  static F expNeg(F x) { HF_EXP_BODY(_mm256, _mm256_castsi256_ps); }
  // dst[q] += sum of the 8 lanes of acc[q]: (low half + high half), then as the 4-wide version.
  static void addSums9(float* dst, const F* acc) {
    __m128 h[9];
    for (int q = 0; q < 9; q++) h[q] = _mm_add_ps(_mm256_castps256_ps128(acc[q]), _mm256_extractf128_ps(acc[q], 1));
    for (int q = 0; q < 8; q += 4) {
      __m128 a = h[q], b = h[q + 1], c = h[q + 2], d = h[q + 3];
      _MM_TRANSPOSE4_PS(a, b, c, d);
      _mm_storeu_ps(dst + q, _mm_add_ps(_mm_loadu_ps(dst + q), _mm_add_ps(_mm_add_ps(a, c), _mm_add_ps(b, d))));
    }
    const __m128 hi = _mm_movehl_ps(h[8], h[8]);
    const __m128 s = _mm_add_ps(h[8], hi);
    dst[8] += _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps(s, s, 1)));
  }
};
#endif
#undef HF_EXP_BODY

// Pixel columns [*lo, *hi] (clipped to [x0, x1)) of the row with centre y = fy where the record e can
// reach alpha >= 1/255: the chord of its threshold ellipse a dx^2 + 2 b dx dy + c dy^2 <= tau, widened by
// a small margin so float rounding never drops a pixel (the per-pixel alpha test decides exactly).
inline bool rowSpan(const float* e, float fy, int x0, int x1, int* lo, int* hi) {
  if (!(fy >= e[kYLo] && fy <= e[kYHi])) return false;
  if (e[kTau] < 0) return false;
  const float a = e[kCa], b = e[kCb], c = e[kCc], dy = fy - e[kMy];
  const float disc = dy * dy * (b * b - a * c) + a * e[kTau];
  if (!(disc >= -1e-4f * a * e[kTau]) || !(a > 0)) return false;
  const float root = __builtin_sqrtf(disc > 0.0f ? disc : 0.0f) / a, centre = e[kMx] - b * dy / a;
  const float margin = 0.01f + 1e-4f * (__builtin_fabsf(centre) + root);
  // Pixel px has centre px + 0.5; keep those within [centre - root, centre + root] (+ margin).
  const float fl = __builtin_ceilf(centre - root - margin - 0.5f), fh = __builtin_floorf(centre + root + margin - 0.5f);
  // No overlap with [x0, x1) (or NaN from a degenerate entry): reject before any float -> int conversion
  // (a chord far off-screen would overflow int).
  if (!(fl <= float(x1 - 1)) || !(fh >= float(x0))) return false;
  *lo = fl < float(x0) ? x0 : int(fl);
  *hi = fh > float(x1 - 1) ? x1 - 1 : int(fh);
  return *lo <= *hi;
}

// Tile-local rows [*r0, *r1] that may hold a pixel of record e (a superset: rowSpan decides per row);
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
// indexed from the tile's x0). Returns true when at least one pixel took the contribution.
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
    V::store(d + k, V::blend(V::load(d + k), V::add(V::load(d + k), V::mul(w, dz)), on));
    V::store(T + k, V::blend(Tk, nextT, on));
    V::storeBits(last + k, V::blend(V::loadBits(last + k), lastValue, on));
  }
  return any;
}

// The forward pass of one tile; st must be reset by the caller (T = 1, sums 0, last = s, done 0,
// rowDone 0). A row stops taking entries once all its pixels stopped; the tile once all rows did.
// When spans is non-null, every (entry, row) that blended at least one pixel is appended there.
inline size_t forwardTile(const TileView& t, ForwardTileState& st, BlendSpan* spans) {
  const int rows = t.y1 - t.y0, width = t.x1 - t.x0;
  int rowsDone = 0;
  size_t spanCount = 0;
  for (size_t j = 0; j < t.n && rowsDone < rows; j++) {
    const float* e = t.records + size_t(t.ids[j]) * kBlendStride;
    int r0, r1;
    if (!tileRows(e, t, &r0, &r1)) continue;
    for (int row = r0; row <= r1; row++) {
      if (st.rowDone[row] == width) continue;
      const float fy = float(t.y0 + row) + 0.5f;
      int lo, hi;
      if (!rowSpan(e, fy, t.x0, t.x1, &lo, &hi)) continue;
      const bool any = forwardSpan(e, t.s + int64_t(j), fy, t.x0, lo, hi, st.T[row], st.r[row], st.g[row], st.b[row],
                                   st.d[row], st.last[row], st.done[row], &st.rowDone[row]);
      if (st.rowDone[row] == width) rowsDone++;
      if (any && spans) spans[spanCount++] = BlendSpan{uint32_t(j), uint8_t(row), uint8_t(lo - t.x0), uint8_t(hi - t.x0), 0};
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
    const V::F raw = V::mul(op, V::expNeg(power));
    const V::F alpha = V::min(raw, V::set1(kMaxAlpha));
    live = V::band(live, V::ge(alpha, V::set1(kMinAlpha)));
    if (V::bits(live) == 0) continue;
    const V::F oneMinus = V::sub(one, alpha);
    const V::F Tk = V::blend(V::load(T + k), V::div(V::load(T + k), oneMinus), live);
    V::store(T + k, Tk);
    const V::F w = V::band(live, V::mul(alpha, Tk));
    const V::F g0 = V::load(gr + k), g1 = V::load(gg + k), g2 = V::load(gb + k);
    acc[6] = V::add(acc[6], V::mul(w, g0));
    acc[7] = V::add(acc[7], V::mul(w, g1));
    acc[8] = V::add(acc[8], V::mul(w, g2));
    const V::F r0 = V::load(Rr + k), r1 = V::load(Rg + k), r2 = V::load(Rb + k);
    const V::F dLdAlphaJ = V::add(
        V::mul(Tk, V::add(V::add(V::mul(V::sub(cr, r0), g0), V::mul(V::sub(cgv, r1), g1)), V::mul(V::sub(cbv, r2), g2))),
        V::mul(V::div(V::load(Tfinal + k), oneMinus), V::load(bgTerm + k)));
    V::store(Rr + k, V::blend(r0, V::add(V::mul(alpha, cr), V::mul(oneMinus, r0)), live));
    V::store(Rg + k, V::blend(r1, V::add(V::mul(alpha, cgv), V::mul(oneMinus, r1)), live));
    V::store(Rb + k, V::blend(r2, V::add(V::mul(alpha, cbv), V::mul(oneMinus, r2)), live));
    // Clamped alpha (raw >= kMaxAlpha): no gradient to opacity or shape.
    const V::F shapeLive = V::band(live, V::lt(raw, V::set1(kMaxAlpha)));
    if (V::bits(shapeLive) == 0) continue;
    const V::F dA = V::band(shapeLive, dLdAlphaJ);
    acc[5] = V::add(acc[5], V::mul(V::div(raw, op), dA));
    const V::F dLdPower = V::mul(dA, raw);
    acc[0] = V::add(acc[0], V::mul(dLdPower, V::add(V::mul(ca, dx), V::mul(cb, dy))));
    acc[1] = V::add(acc[1], V::mul(dLdPower, V::add(V::mul(cb, dx), V::mul(cc, dy))));
    acc[2] = V::add(acc[2], V::mul(dLdPower, V::mul(V::mul(V::set1(-0.5f), dx), dx)));
    acc[3] = V::add(acc[3], V::mul(dLdPower, V::mul(V::sub(V::zero(), dx), dy)));
    acc[4] = V::add(acc[4], V::mul(dLdPower, V::mul(V::mul(V::set1(-0.5f), dy), dy)));
  }
}

// The backward pass of one tile over the forward's spans, back to front; tg = the tile's pair gradients
// [entries * 9] (see backward.cpp), zeroed by the caller. Spans come grouped by entry, so each entry's
// lane sums cover all its rows and are reduced across lanes once.
inline void backwardTile(const TileView& t, const BlendSpan* spans, size_t spanCount, BackwardTileState& st, float* tg) {
  V::F acc[kGrad2dStride];
  size_t k = spanCount;
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
    V::addSums9(tg + size_t(j) * kGrad2dStride, acc);
  }
}

}  // namespace HF_BLEND_NS
}  // namespace hf
