// A tile's Gaussians copied into contiguous arrays (structure of arrays) so the per-pixel loops of the
// forward and backward passes stream through L1 instead of gathering from N-sized buffers.
#pragma once
#include <cmath>
#include <limits>
#include <vector>

#include "cpu_internal.h"

namespace hf {

struct TileCache {
  // Each [n]: mean x y, conic a b c, opacity, colour r g b, depth, and the exponent below which
  // alpha < 1/255 (log(kMinAlpha / opacity)), used to skip exp() for negligible contributions.
  std::vector<float> mx, my, ca, cb, cc, op, cr, cg, cbl, dz, minPower;
  size_t n = 0;

  void load(const Preprocessed& pre, const uint32_t* ids, size_t count) {
    n = count;
    for (auto* v : {&mx, &my, &ca, &cb, &cc, &op, &cr, &cg, &cbl, &dz, &minPower}) v->resize(count);
    for (size_t j = 0; j < count; j++) {
      const uint32_t g = ids[j];
      mx[j] = pre.mean2d[g * 2];
      my[j] = pre.mean2d[g * 2 + 1];
      ca[j] = pre.conic[g * 3];
      cb[j] = pre.conic[g * 3 + 1];
      cc[j] = pre.conic[g * 3 + 2];
      op[j] = pre.opacity[g];
      cr[j] = pre.color[g * 3];
      cg[j] = pre.color[g * 3 + 1];
      cbl[j] = pre.color[g * 3 + 2];
      dz[j] = pre.depth[g];
      minPower[j] = op[j] > kMinAlpha ? std::log(kMinAlpha / op[j]) : std::numeric_limits<float>::infinity();
    }
  }
};

// alpha of entry j at offset (dx, dy), or 0 when it is skipped. Shared by forward and backward so both
// passes make exactly the same skip decisions. Writes the unclamped o*exp(power) to *rawAlpha.
inline float entryAlpha(const TileCache& c, size_t j, float dx, float dy, float* rawAlpha) {
  const float power = -0.5f * (c.ca[j] * dx * dx + c.cc[j] * dy * dy) - c.cb[j] * dx * dy;
  if (power > 0.0f || power < c.minPower[j]) return 0.0f;
  const float raw = c.op[j] * std::exp(power);
  *rawAlpha = raw;
  const float alpha = raw < kMaxAlpha ? raw : kMaxAlpha;
  return alpha < kMinAlpha ? 0.0f : alpha;
}

}  // namespace hf
