// The per-Gaussian record the blending kernels read (blend_rows.h), built once per view in
// preprocessForward. Each tile's list holds ~13 times more (tile, Gaussian) pairs than there are visible
// Gaussians at 512x512, so the logs, square roots and divisions below are done per Gaussian, not per pair.
#pragma once
#include <cmath>
#include <limits>

#include "blend_view.h"
#include "cpu_internal.h"

namespace hf {

// Record layout: see BlendField (blend_view.h).
inline void makeBlendRecord(float mx, float my, const float conic[3], float opacity, const float color[3], float depth,
                            float* rec) {
  constexpr float inf = std::numeric_limits<float>::infinity();
  rec[kMx] = mx;
  rec[kMy] = my;
  rec[kCa] = conic[0];
  rec[kCb] = conic[1];
  rec[kCc] = conic[2];
  rec[kOp] = opacity;
  rec[kCr] = color[0];
  rec[kCg] = color[1];
  rec[kCb2] = color[2];
  rec[kDz] = depth;
  rec[kMinPower] = opacity > kMinAlpha ? std::log(kMinAlpha / opacity) : inf;
  rec[kTau] = opacity > kMinAlpha ? -2.0f * rec[kMinPower] : -1.0f;
  const double a = conic[0], b = conic[1], c = conic[2], det = a * c - b * b, tau = rec[kTau];
  if (!(tau >= 0) || !(a > 0)) {  // tileChords rejects every row
    rec[kYLo] = rec[kXLo] = inf;
    rec[kYHi] = rec[kXHi] = -inf;
  } else if (det > 1e-3 * a * c) {
    const double extY = std::sqrt(tau * a / det) * 1.001 + 0.05, extX = std::sqrt(tau * c / det) * 1.001 + 0.05;
    rec[kYLo] = float(my - extY);
    rec[kYHi] = float(my + extY);
    rec[kXLo] = float(mx - extX);
    rec[kXHi] = float(mx + extX);
  } else {  // nearly degenerate conic: float rounding in tileChords is large, do not prefilter
    rec[kYLo] = rec[kXLo] = -inf;
    rec[kYHi] = rec[kXHi] = inf;
  }
}

}  // namespace hf
