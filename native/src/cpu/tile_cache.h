// A tile's Gaussians copied into contiguous arrays (structure of arrays) so the per-pixel loops of the
// forward and backward passes stream through L1 instead of gathering from N-sized buffers.
#pragma once
#include <cmath>
#include <limits>
#include <vector>

#include "blend_view.h"
#include "cpu_internal.h"

namespace hf {

struct TileCache {
  // Each [n]: mean x y, conic a b c, opacity, colour r g b, depth, and the exponent below which
  // alpha < 1/255 (log(kMinAlpha / opacity)), used to skip exp() for negligible contributions.
  std::vector<float> mx, my, ca, cb, cc, op, cr, cg, cbl, dz, minPower;
  // tau = 2 ln(255 * opacity): alpha >= 1/255 exactly where a dx^2 + 2 b dx dy + c dy^2 <= tau.
  std::vector<float> tau;
  // Row prefilter [n]: pixel-centre y outside [yLo, yHi] cannot reach alpha >= 1/255 (the ellipse's y
  // extent sqrt(tau * a / det), widened by 0.1% + 0.05 px so it never rejects a row that rowSpan (blend_rows.h) accepts).
  // It only saves the row kernel's sqrt and divisions for rows the ellipse misses; rowSpan still decides.
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
        yLo[j] = std::numeric_limits<float>::infinity();  // rowSpan (blend_rows.h) rejects every row
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

  BlendView view() const {
    return BlendView{mx.data(), my.data(), ca.data(), cb.data(), cc.data(), op.data(), cr.data(), cg.data(),
                     cbl.data(), dz.data(), minPower.data(), tau.data(), yLo.data(), yHi.data(), n};
  }
};

}  // namespace hf
