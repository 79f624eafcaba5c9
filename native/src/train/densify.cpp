// Adaptive density control (Kerbl et al. 2023, section 5.2): Gaussians whose average view-space
// (NDC) mean gradient exceeds a threshold are cloned when small or split in two when large; then
// nearly transparent or oversized Gaussians are pruned. New Gaussians start with zero Adam moments
// and their source's lineage (trainer.h).
#include <algorithm>
#include <cmath>

#include "headforge/trainer.h"

namespace hf {
namespace {

constexpr float kSplitShrink = 1.6f;  // split children: scale / (0.8 * 2)

float maxLinearScale(const CloudData& c, int64_t i) {
  return std::exp(std::max({c.logScales[i * 3], c.logScales[i * 3 + 1], c.logScales[i * 3 + 2]}));
}

double normal(uint64_t& s) {
  const double u1 = std::max(1e-300, uniform01(s)), u2 = uniform01(s);
  return std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace

void Trainer::densifyAndPrune(TrainStats& stats) {
  const int64_t n = params_.count;
  const float small = opts_.percentDense * opts_.sceneExtent;
  // Candidates by average gradient, strongest first (ties by index), limited by the count cap.
  std::vector<std::pair<float, int64_t>> cand;
  for (int64_t i = 0; i < n; i++) {
    const float avg = gradCount_[i] > 0 ? gradAccum_[i] / float(gradCount_[i]) : 0.f;
    if (avg >= opts_.densifyGradThreshold) cand.push_back({avg, i});
  }
  std::sort(cand.begin(), cand.end(), [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
  const int64_t budget = std::max<int64_t>(0, opts_.maxCount - n);
  if (int64_t(cand.size()) > budget) cand.resize(size_t(budget));
  std::vector<uint8_t> action(n, 0);  // 1 clone, 2 split
  for (const auto& c : cand) action[c.second] = maxLinearScale(params_, c.second) <= small ? 1 : 2;

  // Rows of the new cloud: (source, kind) with kind 0 keep, 1 clone copy, 2 split child.
  struct Row {
    int64_t src;
    int kind;
  };
  std::vector<Row> rows;
  rows.reserve(n + cand.size() * 2);
  for (int64_t i = 0; i < n; i++)
    if (action[i] != 2) rows.push_back({i, 0});
  for (int64_t i = 0; i < n; i++)
    if (action[i] == 1) rows.push_back({i, 1});
  for (int64_t i = 0; i < n; i++)
    if (action[i] == 2) rows.push_back({i, 2}), rows.push_back({i, 2});

  // Prune decision per row (split children are judged with their shrunk scale).
  const bool screenPrune = opts_.opacityResetInterval > 0 && step_ > opts_.opacityResetInterval;
  std::vector<Row> kept;
  kept.reserve(rows.size());
  int64_t pruned = 0;
  for (const Row& r : rows) {
    const float o = 1.f / (1.f + std::exp(-params_.opacityLogits[r.src]));
    float scale = maxLinearScale(params_, r.src);
    if (r.kind == 2) scale /= kSplitShrink;
    bool drop = o < opts_.pruneOpacity || scale > opts_.pruneWorldScale * opts_.sceneExtent;
    if (r.kind == 0 && screenPrune && maxRadius_[r.src] > 20 * std::max(1, views_[0].camera.height) / 512) drop = true;
    if (drop) pruned++;
    else kept.push_back(r);
  }

  CloudData next;
  next.count = int64_t(kept.size());
  next.shDegree = params_.shDegree;
  auto srcGroups = params_.groups();
  auto dstGroups = next.groups();
  std::vector<std::vector<float>> nextM(srcGroups.size()), nextV(srcGroups.size());
  for (size_t g = 0; g < srcGroups.size(); g++) {
    const int w = srcGroups[g].second;
    dstGroups[g].first->resize(size_t(next.count) * w);
    nextM[g].assign(size_t(next.count) * w, 0.f);
    nextV[g].assign(size_t(next.count) * w, 0.f);
    for (int64_t k = 0; k < next.count; k++) {
      const Row& r = kept[k];
      std::copy_n(srcGroups[g].first->data() + r.src * w, w, dstGroups[g].first->data() + k * w);
      if (r.kind == 0) {
        std::copy_n(adamM_[g].data() + r.src * w, w, nextM[g].data() + k * w);
        std::copy_n(adamV_[g].data() + r.src * w, w, nextV[g].data() + k * w);
      }
    }
  }
  // Lineage: every kept row (the source itself, a clone copy, a split child) carries its source's.
  std::vector<int32_t> nextLineage(size_t(next.count));
  for (int64_t k = 0; k < next.count; k++) nextLineage[size_t(k)] = lineage_[size_t(kept[k].src)];
  // Split children: sample inside the parent (its own Gaussian), shrink the scale.
  for (int64_t k = 0; k < next.count; k++) {
    const Row& r = kept[k];
    if (r.kind != 2) continue;
    const float* q = &params_.rotations[r.src * 4];
    const double qn = std::sqrt(double(q[0]) * q[0] + double(q[1]) * q[1] + double(q[2]) * q[2] + double(q[3]) * q[3]);
    const double w = q[0] / qn, x = q[1] / qn, y = q[2] / qn, z = q[3] / qn;
    const double R[9] = {1 - 2 * (y * y + z * z), 2 * (x * y - w * z),     2 * (x * z + w * y),
                         2 * (x * y + w * z),     1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
                         2 * (x * z - w * y),     2 * (y * z + w * x),     1 - 2 * (x * x + y * y)};
    double local[3];
    for (int a = 0; a < 3; a++) local[a] = normal(rngState_) * std::exp(double(params_.logScales[r.src * 3 + a]));
    for (int a = 0; a < 3; a++) {
      next.positions[k * 3 + a] += float(R[a * 3] * local[0] + R[a * 3 + 1] * local[1] + R[a * 3 + 2] * local[2]);
      next.logScales[k * 3 + a] -= std::log(kSplitShrink);
    }
  }
  stats.densified += int64_t(rows.size()) - n + int64_t(std::count(action.begin(), action.end(), 2));
  stats.pruned += pruned + int64_t(std::count(action.begin(), action.end(), 2));
  params_ = std::move(next);
  lineage_ = std::move(nextLineage);
  adamM_ = std::move(nextM);
  adamV_ = std::move(nextV);
  gradAccum_.assign(params_.count, 0.f);
  gradCount_.assign(params_.count, 0);
  maxRadius_.assign(params_.count, 0);
}

void Trainer::resetOpacity() {
  // Clamp every opacity to at most 0.01 (logit), and forget its Adam moments (as 3DGS).
  const float cap = std::log(0.01f / 0.99f);
  for (int64_t i = 0; i < params_.count; i++) params_.opacityLogits[i] = std::min(params_.opacityLogits[i], cap);
  std::fill(adamM_[3].begin(), adamM_[3].end(), 0.f);
  std::fill(adamV_[3].begin(), adamV_[3].end(), 0.f);
}

}  // namespace hf
