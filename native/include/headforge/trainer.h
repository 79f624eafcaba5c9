// Per-subject Gaussian optimisation (3DGS recipe): one view per step, L1 + D-SSIM (+ optional alpha
// loss), Adam with per-group learning rates and exponential position-LR decay, densify/prune on a
// schedule with a hard cap on count. Deterministic for a fixed seed (any thread count: every kernel
// writes per item and reduces in a fixed order).
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "headforge/backend.h"
#include "headforge/cloud_data.h"

namespace hf {

struct TrainView {
  Camera camera;
  std::vector<float> rgb;    // [H*W*3] straight colour in [0, 1]
  std::vector<float> alpha;  // [H*W] target alpha in [0, 1]
};

struct TrainerOptions {
  uint64_t seed = 1;
  int threads = 0;
  float ssimWeight = 0.2f;
  float alphaWeight = 0.0f;  // weight of mean |alpha - target alpha|
  float background[3] = {1, 1, 1};
  bool randomBackground = false;
  // Learning rates (3DGS defaults; positions scaled by sceneExtent).
  float sceneExtent = 0.35f;  // world size of the subject (the head spans ~0.25 units)
  float lrPositionInit = 1.6e-4f, lrPositionFinal = 1.6e-6f;
  int lrPositionSteps = 3000;  // decay horizon
  float lrScale = 5e-3f, lrRotation = 1e-3f, lrOpacity = 2.5e-2f, lrShDC = 2.5e-3f, lrShRest = 2.5e-3f / 20;
  // Densification (0 interval = off).
  int densifyFrom = 200, densifyUntil = 2000, densifyInterval = 100;
  float densifyGradThreshold = 2e-4f;
  float percentDense = 0.01f;  // clone below / split above percentDense * sceneExtent (max scale)
  int64_t maxCount = 200000;
  float pruneOpacity = 0.005f;
  float pruneWorldScale = 0.1f;  // prune max scale > this * sceneExtent
  int opacityResetInterval = 0;  // 0 = never
  int shDegreeInterval = 500;    // raise the active SH degree every N steps (up to the cloud's)
};

struct TrainStats {
  int64_t step = 0;      // total steps so far
  int stepsRun = 0;      // in this call
  double loss = 0, l1 = 0, ssim = 0, alphaLoss = 0, mse = 0;  // means over this call's steps
  int64_t count = 0;
  int activeShDegree = 0;
  double msPerStep = 0;
  bool cancelled = false;
  int64_t densified = 0, pruned = 0;  // Gaussians added / removed in this call
};

class Trainer {
 public:
  Trainer(CloudData init, std::vector<TrainView> views, TrainerOptions options);
  // Runs up to n steps; stops early (between steps) when `cancel` becomes true.
  TrainStats step(int n, const std::atomic<bool>& cancel);
  const CloudData& cloud() const { return params_; }
  // Per Gaussian of cloud() [count]: the row of the initial cloud (the constructor's, or setCloud's)
  // it descends from. Densification's clone and split children inherit their source's value, pruning
  // removes it with its row; the engine binds the initial cloud to the fitted head and hands each
  // trained Gaussian its ancestor's triangle (GaussianAvatars' "a Gaussian keeps its triangle").
  const std::vector<int32_t>& lineage() const { return lineage_; }
  void setCloud(CloudData cloud);  // resets optimiser state, densification statistics and lineage
  const TrainerOptions& options() const { return opts_; }
  std::string backendName() const { return backend_->name(); }

 private:
  void resetOptimizer();
  void resetLineage();
  void densifyAndPrune(TrainStats& stats);
  void resetOpacity();
  int nextView();

  CloudData params_;
  std::vector<int32_t> lineage_;  // [count], see lineage(); moved only at densify time
  std::vector<TrainView> views_;
  TrainerOptions opts_;
  std::unique_ptr<Backend> backend_;
  uint64_t rngState_;
  std::vector<int> viewOrder_;
  size_t viewCursor_ = 0;
  int64_t step_ = 0;
  int activeDegree_ = 0;
  // Adam moments per group (same layout as the parameters), step counter for bias correction.
  std::vector<std::vector<float>> adamM_, adamV_;
  // Densification statistics [N]: summed NDC mean-gradient norm, visible count, max screen radius.
  std::vector<float> gradAccum_;
  std::vector<int32_t> gradCount_, maxRadius_;
  // Per-step scratch. state_: made by backend_ (declared after it, so destroyed before it), reused by
  // every step's forward and backward.
  std::unique_ptr<ForwardState> state_;
  RenderOutputs out_;
  CloudGrads grads_;
  std::vector<float> target_, dLdRgb_, dLdAlpha_;
  std::vector<float> lossScratch_;  // rgbLoss working planes, reused every step
  // Per view: targetBlurStats of its target over the fixed background [6*H*W], filled on first use
  // (empty with randomBackground, where the composited target changes every step).
  std::vector<std::vector<float>> targetStats_;
};

// splitmix64: the trainer's only randomness source (view order, backgrounds, split samples).
inline uint64_t splitmix64(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
inline double uniform01(uint64_t& s) { return double(splitmix64(s) >> 11) * (1.0 / 9007199254740992.0); }

}  // namespace hf
