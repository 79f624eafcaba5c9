// SSE (x86-64-v2 baseline) helpers for the blending loops: a deterministic exp approximation and
// small lane utilities. The same code path serves 1..4 lanes, so scalar and vector use give identical
// bits and results never depend on how pixels were grouped.
#pragma once
#include <smmintrin.h>

namespace hf {

// exp(x) for x in [-87, 0] (the blending exponent lies in [log(1/255), 0]): Cephes expf scheme, range
// reduction by ln2 in two parts and a degree-6 polynomial; relative error < 2e-7 (~2 ulp), plain SSE
// ops only (no FMA at this baseline), so every machine gives the same bits. Inputs below -87 are clamped.
inline __m128 expNeg(__m128 x) {
  x = _mm_max_ps(x, _mm_set1_ps(-87.0f));
  const __m128 fx = _mm_round_ps(_mm_mul_ps(x, _mm_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m128 r = _mm_sub_ps(x, _mm_mul_ps(fx, _mm_set1_ps(0.693359375f)));
  r = _mm_sub_ps(r, _mm_mul_ps(fx, _mm_set1_ps(-2.12194440e-4f)));
  const __m128 z = _mm_mul_ps(r, r);
  __m128 y = _mm_set1_ps(1.9875691500e-4f);
  y = _mm_add_ps(_mm_mul_ps(y, r), _mm_set1_ps(1.3981999507e-3f));
  y = _mm_add_ps(_mm_mul_ps(y, r), _mm_set1_ps(8.3334519073e-3f));
  y = _mm_add_ps(_mm_mul_ps(y, r), _mm_set1_ps(4.1665795894e-2f));
  y = _mm_add_ps(_mm_mul_ps(y, r), _mm_set1_ps(1.6666665459e-1f));
  y = _mm_add_ps(_mm_mul_ps(y, r), _mm_set1_ps(5.0000001201e-1f));
  y = _mm_add_ps(_mm_add_ps(_mm_mul_ps(y, z), r), _mm_set1_ps(1.0f));
  // Scale by 2^n through the exponent bits (n in [-126, 0] after the clamp).
  const __m128i n = _mm_cvtps_epi32(fx);
  const __m128i pow2n = _mm_slli_epi32(_mm_add_epi32(n, _mm_set1_epi32(127)), 23);
  return _mm_mul_ps(y, _mm_castsi128_ps(pow2n));
}

inline float expNegScalar(float x) { return _mm_cvtss_f32(expNeg(_mm_set1_ps(x))); }

// Lanes 0..3 as float pixel-centre offsets: (px + i) + 0.5 for lane i, as the scalar code computes them.
inline __m128 pixelCentres(int px) {
  return _mm_add_ps(_mm_cvtepi32_ps(_mm_add_epi32(_mm_set1_epi32(px), _mm_setr_epi32(0, 1, 2, 3))), _mm_set1_ps(0.5f));
}

// All-ones in lanes i with px + i <= hi.
inline __m128 laneMask(int px, int hi) {
  return _mm_castsi128_ps(_mm_cmpgt_epi32(_mm_set1_epi32(hi + 1), _mm_add_epi32(_mm_set1_epi32(px), _mm_setr_epi32(0, 1, 2, 3))));
}

inline float horizontalSum(__m128 v) {
  // ((v0 + v2) + (v1 + v3)): a fixed order, so the sum is deterministic.
  const __m128 hi = _mm_movehl_ps(v, v);
  const __m128 s = _mm_add_ps(v, hi);
  return _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps(s, s, 1)));
}

// Lane q of the result = horizontalSum(v_q) for four vectors at once (same addition order, same bits).
inline __m128 horizontalSum4(__m128 a, __m128 b, __m128 c, __m128 d) {
  _MM_TRANSPOSE4_PS(a, b, c, d);  // a = lane 0 of each, b = lane 1, c = lane 2, d = lane 3
  return _mm_add_ps(_mm_add_ps(a, c), _mm_add_ps(b, d));
}

}  // namespace hf
