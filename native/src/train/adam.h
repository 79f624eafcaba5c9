#pragma once
#include <cstdint>
#include <vector>

namespace hf {
// One Adam update (beta1 0.9, beta2 0.999, eps 1e-15 as 3DGS) of param with grad, moments m, v, at
// 1-based step t. Elementwise and parallel over elements: deterministic for any thread count.
void adamUpdate(std::vector<float>& param, const std::vector<float>& grad, std::vector<float>& m, std::vector<float>& v,
                float lr, int64_t t, int threads);
}  // namespace hf
