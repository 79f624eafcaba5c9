#include "adam.h"

#include <cmath>

#include "headforge/parallel.h"

namespace hf {

void adamUpdate(std::vector<float>& param, const std::vector<float>& grad, std::vector<float>& m, std::vector<float>& v,
                float lr, int64_t t, int threads) {
  constexpr double b1 = 0.9, b2 = 0.999, eps = 1e-15;
  const double c1 = 1.0 - std::pow(b1, double(t)), c2 = 1.0 - std::pow(b2, double(t));
  const float stepSize = float(lr / c1), invSqrtC2 = float(1.0 / std::sqrt(c2));
  parallelFor(threads, int64_t(param.size()), 1 << 15, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; i++) {
      const float g = grad[i];
      m[i] = float(b1) * m[i] + float(1 - b1) * g;
      v[i] = float(b2) * v[i] + float(1 - b2) * g * g;
      param[i] -= stepSize * m[i] / (std::sqrt(v[i]) * invSqrtC2 + float(eps));
    }
  });
}

}  // namespace hf
