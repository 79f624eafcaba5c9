#include "headforge/trainer.h"

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>

#include "adam.h"
#include "headforge/loss.h"
#include "headforge/parallel.h"

namespace hf {

Trainer::Trainer(CloudData init, std::vector<TrainView> views, TrainerOptions options)
    : params_(std::move(init)), views_(std::move(views)), opts_(options) {
  std::string reason;
  backend_ = createBestBackend(&reason);
  state_ = backend_->newForwardState();
  validateCloud(params_.view());
  if (views_.empty()) throw std::invalid_argument("the trainer needs at least one target view");
  for (size_t i = 0; i < views_.size(); i++) {
    const TrainView& v = views_[i];
    validateCamera(v.camera);
    const size_t P = size_t(v.camera.width) * v.camera.height;
    if (v.rgb.size() != P * 3 || v.alpha.size() != P)
      throw std::invalid_argument("view " + std::to_string(i) + ": image size does not match its camera");
  }
  if (opts_.maxCount < 1 || opts_.maxCount > kMaxGaussians)
    throw std::invalid_argument("maxCount must be 1.." + std::to_string(kMaxGaussians));
  if (params_.count > opts_.maxCount) throw std::invalid_argument("the initial cloud exceeds maxCount");
  if (!(opts_.ssimWeight >= 0 && opts_.ssimWeight <= 1)) throw std::invalid_argument("ssimWeight must be in [0, 1]");
  rngState_ = opts_.seed * 0x2545F4914F6CDD1DULL + 7;
  activeDegree_ = opts_.shDegreeInterval > 0 ? 0 : params_.shDegree;
  resetOptimizer();
  resetLineage();
}

void Trainer::setCloud(CloudData cloud) {
  validateCloud(cloud.view());
  if (cloud.count > opts_.maxCount) throw std::invalid_argument("the cloud exceeds maxCount");
  params_ = std::move(cloud);
  activeDegree_ = std::min(activeDegree_, params_.shDegree);
  resetOptimizer();
  resetLineage();
}

void Trainer::resetLineage() {
  lineage_.resize(size_t(params_.count));
  for (int64_t i = 0; i < params_.count; i++) lineage_[size_t(i)] = int32_t(i);  // count <= kMaxGaussians < 2^31
}

void Trainer::resetOptimizer() {
  auto groups = params_.groups();
  adamM_.assign(groups.size(), {});
  adamV_.assign(groups.size(), {});
  for (size_t g = 0; g < groups.size(); g++) {
    adamM_[g].assign(groups[g].first->size(), 0.f);
    adamV_[g].assign(groups[g].first->size(), 0.f);
  }
  gradAccum_.assign(params_.count, 0.f);
  gradCount_.assign(params_.count, 0);
  maxRadius_.assign(params_.count, 0);
}

int Trainer::nextView() {
  // A seeded shuffle of all views per epoch: every view is seen equally often.
  if (viewCursor_ >= viewOrder_.size()) {
    viewOrder_.resize(views_.size());
    for (size_t i = 0; i < views_.size(); i++) viewOrder_[i] = int(i);
    for (size_t i = views_.size(); i > 1; i--) std::swap(viewOrder_[i - 1], viewOrder_[splitmix64(rngState_) % i]);
    viewCursor_ = 0;
  }
  return viewOrder_[viewCursor_++];
}

TrainStats Trainer::step(int n, const std::atomic<bool>& cancel) {
  TrainStats st;
  const auto t0 = std::chrono::steady_clock::now();
  const int threads = resolveThreads(opts_.threads);
  for (int s = 0; s < n; s++) {
    if (cancel.load()) {
      st.cancelled = true;
      break;
    }
    step_++;
    if (opts_.shDegreeInterval > 0 && step_ % opts_.shDegreeInterval == 0 && activeDegree_ < params_.shDegree)
      activeDegree_++;
    const int viewIndex = nextView();
    const TrainView& view = views_[viewIndex];
    const int W = view.camera.width, H = view.camera.height;
    const size_t P = size_t(W) * H;

    RenderSettings rs;
    for (int c = 0; c < 3; c++) rs.background[c] = opts_.randomBackground ? float(uniform01(rngState_)) : opts_.background[c];
    rs.shDegree = activeDegree_;
    rs.threads = threads;
    // Target composited over the same background as the render.
    target_.resize(P * 3);
    // Per pixel, in parallel (a serial pass here would cap the thread scaling).
    parallelFor(threads, int64_t(P), 16384, [&](int64_t begin, int64_t end) {
      for (int64_t p = begin; p < end; p++) {
        const float a = view.alpha[p];
        for (int c = 0; c < 3; c++) target_[p * 3 + c] = view.rgb[p * 3 + c] * a + rs.background[c] * (1 - a);
      }
    });

    const CloudView cv = params_.view();
    backend_->forward(cv, view.camera, rs, out_, state_.get());
    dLdRgb_.resize(P * 3);
    const float* targetStats = nullptr;
    if (!opts_.randomBackground) {
      targetStats_.resize(views_.size());
      std::vector<float>& stats = targetStats_[size_t(viewIndex)];
      if (stats.empty()) targetBlurStats(target_.data(), W, H, threads, stats);
      targetStats = stats.data();
    }
    const LossParts lp = rgbLoss(out_.rgb.data(), target_.data(), W, H, opts_.ssimWeight, threads, dLdRgb_.data(),
                                 &lossScratch_, targetStats);
    double alphaLoss = 0;
    if (opts_.alphaWeight > 0) {
      dLdAlpha_.resize(P);
      const float g = opts_.alphaWeight / float(P);
      // Per image row in parallel, summed in row order (the same total for every thread count).
      std::vector<double> rowSums(size_t(H), 0.0);
      parallelFor(threads, H, 16, [&](int64_t begin, int64_t end) {
        for (int64_t y = begin; y < end; y++) {
          double rowSum = 0;
          for (size_t p = size_t(y) * W; p < size_t(y + 1) * W; p++) {
            const float d = out_.alpha[p] - view.alpha[p];
            rowSum += std::fabs(d);
            dLdAlpha_[p] = g * float((d > 0) - (d < 0));
          }
          rowSums[size_t(y)] = rowSum;
        }
      });
      for (double v : rowSums) alphaLoss += v;
      alphaLoss /= double(P);
    }
    if (!std::isfinite(lp.loss)) throw std::runtime_error("training diverged: loss is not finite at step " + std::to_string(step_));
    backend_->backward(cv, *state_, dLdRgb_.data(), opts_.alphaWeight > 0 ? dLdAlpha_.data() : nullptr, grads_);

    for (int64_t i = 0; i < params_.count; i++) {
      if (!grads_.visible[i]) continue;
      gradAccum_[i] += grads_.meanGrad2dNorm[i];
      gradCount_[i]++;
      maxRadius_[i] = std::max(maxRadius_[i], grads_.radii[i]);
    }

    const double t = std::min(1.0, double(step_) / std::max(1, opts_.lrPositionSteps));
    const float lrPos = float(std::exp(std::log(double(opts_.lrPositionInit)) * (1 - t) + std::log(double(opts_.lrPositionFinal)) * t) *
                              opts_.sceneExtent);
    auto groups = params_.groups();
    const std::vector<float>* gradGroups[] = {&grads_.positions, &grads_.logScales, &grads_.rotations,
                                              &grads_.opacityLogits, &grads_.shDC, &grads_.shRest};
    const float lrs[] = {lrPos, opts_.lrScale, opts_.lrRotation, opts_.lrOpacity, opts_.lrShDC, opts_.lrShRest};
    for (size_t g = 0; g < groups.size(); g++)
      adamUpdate(*groups[g].first, *gradGroups[g], adamM_[g], adamV_[g], lrs[g], step_, threads);

    if (opts_.densifyInterval > 0 && step_ >= opts_.densifyFrom && step_ <= opts_.densifyUntil &&
        step_ % opts_.densifyInterval == 0)
      densifyAndPrune(st);
    if (opts_.opacityResetInterval > 0 && step_ <= opts_.densifyUntil && step_ % opts_.opacityResetInterval == 0)
      resetOpacity();

    st.stepsRun++;
    st.loss += lp.loss + opts_.alphaWeight * alphaLoss;
    st.l1 += lp.l1;
    st.ssim += lp.ssim;
    st.mse += lp.mse;
    st.alphaLoss += alphaLoss;
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (st.stepsRun > 0) {
    const double k = 1.0 / st.stepsRun;
    st.loss *= k, st.l1 *= k, st.ssim *= k, st.mse *= k, st.alphaLoss *= k;
    st.msPerStep = ms * k;
  }
  st.step = step_;
  st.count = params_.count;
  st.activeShDegree = activeDegree_;
  return st;
}

}  // namespace hf
