#include "adam.h"

#include <cmath>

#include "headforge/parallel.h"

namespace hf {

void adamUpdate(std::vector<float>& param, const std::vector<float>& grad, std::vector<float>& m, std::vector<float>& v,
                float lr, int64_t t, int threads) {
  constexpr double b1 = 0.9, b2 = 0.999, eps = 1e-15;
  const double c1 = 1.0 - std::pow(b1, double(t)), c2 = 1.0 - std::pow(b2, double(t));
  const float stepSize = float(lr / c1), invSqrtC2 = float(1.0 / std::sqrt(c2));
  // Restrict-qualified pointers let the compiler vectorise (SSE sqrt/div are exact IEEE like the scalar
  // ones, so the result is unchanged).
  float* __restrict p = param.data();
  const float* __restrict gr = grad.data();
  float* __restrict mm = m.data();
  float* __restrict vv = v.data();
  parallelFor(threads, int64_t(param.size()), 1 << 15, [=](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) {
      const float g = gr[i];
      const float mi = float(b1) * mm[i] + float(1 - b1) * g;
      const float vi = float(b2) * vv[i] + float(1 - b2) * g * g;
      mm[i] = mi;
      vv[i] = vi;
      p[i] -= stepSize * mi / (std::sqrt(vi) * invSqrtC2 + float(eps));
    }
  });
}

}  // namespace hf
