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
  // tau = 2 ln(255 * opacity): alpha >= 1/255 exactly where a dx^2 + 2 b dx dy + c dy^2 <= tau.
  std::vector<float> tau;
  // Row prefilter [n]: pixel-centre y outside [yLo, yHi] cannot reach alpha >= 1/255 (the ellipse's y
  // extent sqrt(tau * a / det), widened by 0.1% + 0.05 px so it never rejects a row rowSpan accepts).
  // It only saves rowSpan's sqrt and divisions for rows the ellipse misses; rowSpan still decides.
  std::vector<float> yLo, yHi;
  size_t n = 0;

  void load(const Preprocessed& pre, const uint32_t* ids, size_t count) {
    n = count;
    for (auto* v : {&mx, &my, &ca, &cb, &cc, &op, &cr, &cg, &cbl, &dz, &minPower, &tau, &yLo, &yHi}) v->resize(count);
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
      tau[j] = op[j] > kMinAlpha ? -2.0f * minPower[j] : -1.0f;
      const double a = ca[j], b = cb[j], c = cc[j], det = a * c - b * b;
      if (!(tau[j] >= 0) || !(a > 0)) {
        yLo[j] = std::numeric_limits<float>::infinity();  // rowSpan rejects every row
        yHi[j] = -std::numeric_limits<float>::infinity();
      } else if (det > 1e-3 * a * c) {
        const double ext = std::sqrt(double(tau[j]) * a / det) * 1.001 + 0.05;
        yLo[j] = float(my[j] - ext);
        yHi[j] = float(my[j] + ext);
      } else {  // nearly degenerate conic: float rounding in rowSpan is large, do not prefilter
        yLo[j] = -std::numeric_limits<float>::infinity();
        yHi[j] = std::numeric_limits<float>::infinity();
      }
    }
  }

  // Pixel columns [*lo, *hi] (clipped to [x0, x1)) of the row with centre offset dy = y + 0.5 - my
  // where entry j can reach alpha >= 1/255: the chord of its threshold ellipse, widened by a small
  // margin so float rounding never drops a pixel (entryAlpha makes the exact decision). False if none.
  bool rowSpan(size_t j, float fy, int x0, int x1, int* lo, int* hi) const {
    if (!(fy >= yLo[j] && fy <= yHi[j])) return false;
    if (tau[j] < 0) return false;
    const float a = ca[j], b = cb[j], c = cc[j], dy = fy - my[j];
    const float disc = dy * dy * (b * b - a * c) + a * tau[j];
    if (!(disc >= -1e-4f * a * tau[j]) || !(a > 0)) return false;
    const float root = std::sqrt(std::max(0.0f, disc)) / a, centre = mx[j] - b * dy / a;
    const float margin = 0.01f + 1e-4f * (std::fabs(centre) + root);
    // Pixel px has centre px + 0.5; keep those within [centre - root, centre + root] (+ margin).
    const float fl = std::ceil(centre - root - margin - 0.5f), fh = std::floor(centre + root + margin - 0.5f);
    *lo = fl < float(x0) ? x0 : int(fl);
    *hi = fh > float(x1 - 1) ? x1 - 1 : int(fh);
    return *lo <= *hi;
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
