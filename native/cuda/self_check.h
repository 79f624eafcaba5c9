// Start-up self-check of a candidate backend (the CUDA one) against the CPU backend: one small,
// deterministic scene rendered forward and backward by both, compared with the tolerances of
// tests/raster/cuda-parity.test.ts. selectBackend (cuda_loader.h) runs it once per process before it lets
// training use the CUDA backend, so a GPU build that computes wrong images or gradients falls back to the
// CPU with a reason instead of silently training a wrong head. Uses only the hf::Backend interface, so a
// test can run it CPU vs CPU (passes) or CPU vs a perturbed wrapper (fails) without a GPU.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "headforge/backend.h"

namespace hf {
namespace selfcheck {

// Tolerances (why not zero: see the header comment of tests/raster/cuda-parity.test.ts).
constexpr float kImageMaxAbsDiff = 5e-3f;      // rgb, alpha: max |candidate - reference|
constexpr double kDepthRelL2 = 1e-3;           // expected-depth image, relative L2
constexpr double kGradientRelL2 = 2e-3;        // each gradient group, relative L2

// The scene: kCount Gaussians, SH degree 1, a kWidth x kHeight camera (tiles 16 px: borders at x = 16, 32
// and y = 16, 32; half the Gaussians are centred within 1.5 px of one, so their footprints straddle tiles).
constexpr int kWidth = 40, kHeight = 36, kCount = 200, kShDegree = 1;

// Parameters of the scene in CloudView layout (see types.h): positions [N*3], logScales [N*3],
// rotations [N*4], opacityLogits [N], shDC [N*3], shRest [N*3*3] (K = 3 coefficients at degree 1).
struct Scene {
  std::vector<float> positions, logScales, rotations, opacityLogits, shDC, shRest;
  Camera camera;
  // Fixed pixel gradients: dLdRgb [H*W*3], dLdAlpha [H*W], values in [-1, 1].
  std::vector<float> dLdRgb, dLdAlpha;
  CloudView view() const {
    CloudView v;
    v.count = kCount;
    v.shDegree = kShDegree;
    v.positions = positions.data();
    v.logScales = logScales.data();
    v.rotations = rotations.data();
    v.opacityLogits = opacityLogits.data();
    v.shDC = shDC.data();
    v.shRest = shRest.data();
    return v;
  }
};

// Deterministic uniform numbers in [lo, hi) (an LCG: the same scene on every machine and compiler).
class Lcg {
 public:
  explicit Lcg(uint64_t seed) : s_(seed) {}
  float uniform(float lo, float hi) {
    s_ = s_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return lo + (hi - lo) * float((s_ >> 40) & 0xFFFFFF) / float(1 << 24);
  }

 private:
  uint64_t s_;
};

inline Scene makeScene() {
  Scene s;
  Camera& c = s.camera;  // identity rotation at the origin looking down +z; Gaussians at z in [1.6, 2.4]
  c.width = kWidth;
  c.height = kHeight;
  c.fx = c.fy = 40;
  c.cx = kWidth / 2.0;
  c.cy = kHeight / 2.0;
  Lcg r(20261124);
  const int K = (kShDegree + 1) * (kShDegree + 1) - 1;
  for (int i = 0; i < kCount; i++) {
    const float z = r.uniform(1.6f, 2.4f);
    // Pixel centre: every other Gaussian sits on a tile border (x = 16 or 32, or y = 16 or 32).
    float u = r.uniform(-4.f, kWidth + 4.f), v = r.uniform(-4.f, kHeight + 4.f);
    if (i % 4 == 0) u = (i % 8 == 0 ? 16.f : 32.f) + r.uniform(-1.5f, 1.5f);
    if (i % 4 == 1) v = (i % 8 == 1 ? 16.f : 32.f) + r.uniform(-1.5f, 1.5f);
    s.positions.insert(s.positions.end(), {float((u - c.cx) * z / c.fx), float((v - c.cy) * z / c.fy), z});
    for (int k = 0; k < 3; k++) s.logScales.push_back(r.uniform(std::log(0.02f), std::log(0.2f)));
    for (int k = 0; k < 4; k++) s.rotations.push_back(r.uniform(-1.f, 1.f) + (k == 0 ? 0.3f : 0.f));
    s.opacityLogits.push_back(r.uniform(-2.f, 3.f));
    for (int k = 0; k < 3; k++) s.shDC.push_back(r.uniform(-1.6f, 1.6f));
    for (int k = 0; k < K * 3; k++) s.shRest.push_back(r.uniform(-0.3f, 0.3f));
  }
  for (int p = 0; p < kWidth * kHeight; p++) {
    for (int k = 0; k < 3; k++) s.dLdRgb.push_back(std::sin(0.37f * float(p * 3 + k)));
    s.dLdAlpha.push_back(std::cos(0.23f * float(p)));
  }
  return s;
}

struct Outcome {
  bool passed = false;
  // Empty when passed, else what differed, e.g. "image max diff 0.31" or "positions gradient relative L2
  // 0.012" or "CUDA error: ...".
  std::string failure;
  // What the reference render covered, so a test can tell the scene is not trivially empty:
  // Gaussians with a radius > 0, and pixels with alpha > 0.5 (of kWidth * kHeight).
  int visibleGaussians = 0;
  int opaquePixels = 0;
};

inline std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

inline bool allFinite(const std::vector<float>& a) {
  return std::all_of(a.begin(), a.end(), [](float v) { return std::isfinite(v); });
}

// Max |a - b| (callers check allFinite first: a NaN would compare as "small").
inline double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  double worst = 0;
  for (size_t k = 0; k < a.size(); k++) {
    worst = std::max(worst, std::fabs(double(a[k]) - double(b[k])));
  }
  return worst;
}

// |a - b| / |b| (plain |a - b| when b is all zero).
inline double relL2(const std::vector<float>& a, const std::vector<float>& b) {
  double num = 0, den = 0;
  for (size_t k = 0; k < a.size(); k++) {
    num += (double(a[k]) - double(b[k])) * (double(a[k]) - double(b[k]));
    den += double(b[k]) * double(b[k]);
  }
  return den == 0 ? std::sqrt(num) : std::sqrt(num / den);
}

// Renders the scene forward and backward on both backends and compares; never throws (an exception from
// either backend becomes the failure text).
inline Outcome compareBackends(Backend& reference, Backend& candidate) {
  Outcome out;
  try {
    const Scene scene = makeScene();
    const CloudView cloud = scene.view();
    RenderSettings settings;
    settings.background[0] = 0.2f, settings.background[1] = 0.5f, settings.background[2] = 0.9f;
    settings.shDegree = kShDegree;
    settings.withDepth = true;
    RenderOutputs refImg, candImg;
    const std::unique_ptr<ForwardState> refState = reference.newForwardState();
    const std::unique_ptr<ForwardState> candState = candidate.newForwardState();
    CloudGrads refGrads, candGrads;
    reference.forward(cloud, scene.camera, settings, refImg, refState.get());
    reference.backward(cloud, *refState, scene.dLdRgb.data(), scene.dLdAlpha.data(), refGrads);
    for (int32_t r : refGrads.radii) out.visibleGaussians += r > 0;
    for (float a : refImg.alpha) out.opaquePixels += a > 0.5f;
    candidate.forward(cloud, scene.camera, settings, candImg, candState.get());
    candidate.backward(cloud, *candState, scene.dLdRgb.data(), scene.dLdAlpha.data(), candGrads);

    const struct {
      const char* name;
      const std::vector<float>& ref;
      const std::vector<float>& cand;
      bool image;  // image: max |diff| bound; else relative L2
      double bound;
    } checks[] = {{"image", refImg.rgb, candImg.rgb, true, kImageMaxAbsDiff},
                  {"alpha", refImg.alpha, candImg.alpha, true, kImageMaxAbsDiff},
                  {"depth", refImg.depth, candImg.depth, false, kDepthRelL2},
                  {"positions gradient", refGrads.positions, candGrads.positions, false, kGradientRelL2},
                  {"scales gradient", refGrads.logScales, candGrads.logScales, false, kGradientRelL2},
                  {"rotations gradient", refGrads.rotations, candGrads.rotations, false, kGradientRelL2},
                  {"opacities gradient", refGrads.opacityLogits, candGrads.opacityLogits, false, kGradientRelL2},
                  {"shDC gradient", refGrads.shDC, candGrads.shDC, false, kGradientRelL2},
                  {"shRest gradient", refGrads.shRest, candGrads.shRest, false, kGradientRelL2},
                  {"screen-space gradient norm", refGrads.meanGrad2dNorm, candGrads.meanGrad2dNorm, false,
                   kGradientRelL2}};
    for (const auto& c : checks) {
      if (c.cand.size() != c.ref.size()) {
        out.failure = std::string(c.name) + " has " + std::to_string(c.cand.size()) + " values, expected " +
                      std::to_string(c.ref.size());
        return out;
      }
      if (!allFinite(c.cand)) {
        out.failure = std::string(c.name) + " has non-finite values (NaN or Inf)";
        return out;
      }
      const double err = c.image ? maxAbsDiff(c.cand, c.ref) : relL2(c.cand, c.ref);
      if (!(err <= c.bound)) {
        out.failure = std::string(c.name) + (c.image ? " max diff " : " relative L2 ") + fmt(err);
        return out;
      }
    }
    if (candGrads.radii != refGrads.radii) {
      size_t differ = 0;
      for (size_t k = 0; k < refGrads.radii.size() && k < candGrads.radii.size(); k++)
        differ += candGrads.radii[k] != refGrads.radii[k];
      out.failure = "screen radii differ for " + std::to_string(differ) + " of " + std::to_string(refGrads.radii.size()) +
                    " Gaussians";
      return out;
    }
    out.passed = true;
  } catch (const std::exception& e) {
    out.failure = std::string("error: ") + e.what();
  } catch (...) {
    out.failure = "unknown error";
  }
  return out;
}

}  // namespace selfcheck
}  // namespace hf
