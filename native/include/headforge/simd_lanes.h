// The lane type V of the SIMD kernels (blend_rows.h, blur_rows.h): 4-wide SSE (the build baseline) or,
// when HF_BLEND_AVX2 is defined under `#pragma GCC target("avx2")`, 8-wide AVX2. A translation unit
// defines HF_BLEND_NS (a namespace private to its instruction set, so no inline function or template
// instance is shared between differently compiled units) before including this.
#pragma once
#include <immintrin.h>

#include <cstdint>

#ifndef HF_BLEND_NS
#error "define HF_BLEND_NS before including simd_lanes.h"
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
  static F max(F a, F b) { return _mm_max_ps(a, b); }
  static F sqrt(F a) { return _mm_sqrt_ps(a); }
  static F ceil(F a) { return _mm_ceil_ps(a); }
  static F floor(F a) { return _mm_floor_ps(a); }
  static F abs(F a) { return _mm_andnot_ps(_mm_set1_ps(-0.0f), a); }
  static F gt(F a, F b) { return _mm_cmpgt_ps(a, b); }
  // Truncating float -> int32 (callers keep values in int range), stored to p[0..N).
  static void storeInt(int32_t* p, F v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm_cvttps_epi32(v)); }
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
  // dst[q] = sum of the lanes of acc[q], q < 9; lane order ((0 + 2) + (1 + 3)).
  static void storeSums9(float* dst, const F* acc) {
    for (int q = 0; q < 8; q += 4) {
      F a = acc[q], b = acc[q + 1], c = acc[q + 2], d = acc[q + 3];
      _MM_TRANSPOSE4_PS(a, b, c, d);
      _mm_storeu_ps(dst + q, _mm_add_ps(_mm_add_ps(a, c), _mm_add_ps(b, d)));
    }
    const F hi = _mm_movehl_ps(acc[8], acc[8]);
    const F s = _mm_add_ps(acc[8], hi);
    dst[8] = _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps(s, s, 1)));
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
  static F max(F a, F b) { return _mm256_max_ps(a, b); }
  static F sqrt(F a) { return _mm256_sqrt_ps(a); }
  static F ceil(F a) { return _mm256_ceil_ps(a); }
  static F floor(F a) { return _mm256_floor_ps(a); }
  static F abs(F a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
  static F gt(F a, F b) { return _mm256_cmp_ps(a, b, _CMP_GT_OS); }
  static void storeInt(int32_t* p, F v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), _mm256_cvttps_epi32(v)); }
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
  // dst[q] = sum of the 8 lanes of acc[q]: (low half + high half), then as the 4-wide version.
  static void storeSums9(float* dst, const F* acc) {
    __m128 h[9];
    for (int q = 0; q < 9; q++) h[q] = _mm_add_ps(_mm256_castps256_ps128(acc[q]), _mm256_extractf128_ps(acc[q], 1));
    for (int q = 0; q < 8; q += 4) {
      __m128 a = h[q], b = h[q + 1], c = h[q + 2], d = h[q + 3];
      _MM_TRANSPOSE4_PS(a, b, c, d);
      _mm_storeu_ps(dst + q, _mm_add_ps(_mm_add_ps(a, c), _mm_add_ps(b, d)));
    }
    const __m128 hi = _mm_movehl_ps(h[8], h[8]);
    const __m128 s = _mm_add_ps(h[8], hi);
    dst[8] = _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps(s, s, 1)));
  }
};
#endif
#undef HF_EXP_BODY

}  // namespace HF_BLEND_NS
}  // namespace hf
