// An owned GaussianCloud (same layout as CloudView / src/shared/gaussians/cloud.ts).
#pragma once
#include <vector>

#include "headforge/types.h"

namespace hf {

struct CloudData {
  int64_t count = 0;
  int shDegree = 0;
  std::vector<float> positions, logScales, rotations, opacityLogits, shDC, shRest;

  int restCoeffs() const { return (shDegree + 1) * (shDegree + 1) - 1; }
  CloudView view() const {
    CloudView v;
    v.count = count;
    v.shDegree = shDegree;
    v.positions = positions.data();
    v.logScales = logScales.data();
    v.rotations = rotations.data();
    v.opacityLogits = opacityLogits.data();
    v.shDC = shDC.data();
    v.shRest = shRest.data();
    return v;
  }
  // The parameter groups in a fixed order with their per-Gaussian widths (used by Adam and densify).
  std::vector<std::pair<std::vector<float>*, int>> groups() {
    return {{&positions, 3}, {&logScales, 3}, {&rotations, 4}, {&opacityLogits, 1}, {&shDC, 3}, {&shRest, restCoeffs() * 3}};
  }
};

}  // namespace hf
