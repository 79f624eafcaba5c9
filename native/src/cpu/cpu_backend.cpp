// CPU backend: preprocess -> bin -> blend, and the reverse. Also input validation shared by every backend.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "../../cuda/cuda_loader.h"
#include "cpu_internal.h"
#include "headforge/parallel.h"

namespace hf {

void CloudGrads::resize(int64_t n, int restCoeffs) {
  positions.resize(n * 3);
  logScales.resize(n * 3);
  rotations.resize(n * 4);
  opacityLogits.resize(n);
  shDC.resize(n * 3);
  shRest.resize(n * restCoeffs * 3);
  meanGrad2dNorm.resize(n);
  visible.resize(n);
  radii.resize(n);
}

void CloudGrads::zero() {
  for (auto* v : {&positions, &logScales, &rotations, &opacityLogits, &shDC, &shRest, &meanGrad2dNorm})
    std::fill(v->begin(), v->end(), 0.f);
  std::fill(visible.begin(), visible.end(), 0);
  std::fill(radii.begin(), radii.end(), 0);
}

namespace {

// Stage timings on stderr when HEADFORGE_RASTER_PROFILE=1 (for profiling; off by default).
class StageTimer {
 public:
  explicit StageTimer(const char* what) : what_(what), on_(std::getenv("HEADFORGE_RASTER_PROFILE") != nullptr) {
    last_ = std::chrono::steady_clock::now();
  }
  void mark(const char* stage) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "[raster] %s %s %.2f ms\n", what_, stage, std::chrono::duration<double, std::milli>(now - last_).count());
    last_ = now;
  }

 private:
  const char* what_;
  bool on_;
  std::chrono::steady_clock::time_point last_;
};

// Index of the first non-finite value, or -1.
int64_t firstNonFinite(const float* data, int64_t n) {
  for (int64_t i = 0; i < n; i++)
    if (!std::isfinite(data[i])) return i;
  return -1;
}

// The CPU state a forward()/backward() was handed, or std::invalid_argument for another backend's.
template <typename State>
auto& cpuState(State& state) {
  return backendState<CpuForwardState>(state, "CPU");
}

class CpuBackend final : public Backend {
 public:
  std::string name() const override { return "cpu"; }
  std::unique_ptr<ForwardState> newForwardState() const override { return std::make_unique<CpuForwardState>(); }

  void forward(const CloudView& cloud, const Camera& camera, const RenderSettings& settings, RenderOutputs& out,
               ForwardState* state) override {
    const int threads = resolveThreads(settings.threads);
    CpuForwardState local;
    CpuForwardState& st = state ? cpuState(*state) : local;
    st.camera = camera;
    st.settings = settings;
    st.activeDegree = activeDegree(cloud, settings);
    StageTimer timer("forward");
    preprocessForward(cloud, camera, st.activeDegree, threads, st.pre);
    timer.mark("preprocess");
    buildBins(st.pre, camera, cloud.count, threads, st.bins);
    timer.mark("bin+sort");
    rasterizeForward(st.pre, st.bins, camera, settings, threads, out, st.finalT, st.lastContrib,
                     state ? &st.tileSpans : nullptr);
    timer.mark("blend");
  }

  void backward(const CloudView& cloud, const ForwardState& state, const float* dLdRgb, const float* dLdAlpha,
                CloudGrads& grads) override {
    const CpuForwardState& st = cpuState(state);
    if (int64_t(st.pre.radius.size()) != cloud.count)
      throw std::logic_error("backward needs the ForwardState of a forward pass of this cloud");
    const int threads = resolveThreads(st.settings.threads);
    grads.resize(cloud.count, cloud.restCoeffs());  // every slot is written by preprocessBackward
    StageTimer timer("backward");
    rasterizeBackward(st, dLdRgb, dLdAlpha, cloud.count, threads, scratch_, grad2d_);
    timer.mark("blend");
    preprocessBackward(cloud, st, grad2d_, threads, grads);
    timer.mark("preprocess");
  }

 private:
  // Backward scratch kept across calls (a trainer calls backward every step).
  BackwardScratch scratch_;
  std::vector<float> grad2d_;  // [N*9], see cpu_internal.h
};

}  // namespace

// A copy of everything but the scratch (the sort keys) and the CPU-only span cache.
ForwardStateHost CpuForwardState::toHost() const {
  if (finalT.empty()) throw std::logic_error("ForwardState::toHost before a forward pass filled it");
  ForwardStateHost h = *this;  // the host fields, without tileSpans
  h.bins.sortKeys = {};        // scratch, not state (ForwardStateHost's contract)
  return h;
}

std::unique_ptr<Backend> createCpuBackend() { return std::make_unique<CpuBackend>(); }

// CPU, or CUDA from libheadforge_cuda.so when it loads and sees a GPU (HEADFORGE_RASTER_BACKEND picks;
// see native/cuda/cuda_loader.h).
std::unique_ptr<Backend> createBestBackend(std::string* reason) { return cudaload::selectBackend(&createCpuBackend, reason); }
std::unique_ptr<Backend> createCudaBackend(std::string* reason) {
  std::string why;
  auto backend = cudaload::tryCuda(&why);
  if (reason) *reason = why;
  return backend;
}

void validateCloud(const CloudView& cloud) {
  if (cloud.count < 0) throw std::invalid_argument("Gaussian count must be >= 0");
  if (cloud.count > kMaxGaussians)
    throw std::invalid_argument("Gaussian count " + std::to_string(cloud.count) + " exceeds the limit of " +
                                std::to_string(kMaxGaussians));
  if (cloud.shDegree < 0 || cloud.shDegree > 3) throw std::invalid_argument("shDegree must be 0..3");
  const struct {
    const char* name;
    const float* data;
    int64_t n;
  } groups[] = {{"positions", cloud.positions, cloud.count * 3},
                {"scales", cloud.logScales, cloud.count * 3},
                {"rotations", cloud.rotations, cloud.count * 4},
                {"opacities", cloud.opacityLogits, cloud.count},
                {"shDC", cloud.shDC, cloud.count * 3},
                {"shRest", cloud.shRest, cloud.count * cloud.restCoeffs() * 3}};
  for (const auto& g : groups) {
    if (g.n > 0 && !g.data) throw std::invalid_argument(std::string(g.name) + " buffer is missing");
    const int64_t bad = firstNonFinite(g.data, g.n);
    if (bad >= 0)
      throw std::invalid_argument(std::string("non-finite value (NaN or Inf) in ") + g.name + "[" +
                                  std::to_string(bad) + "] (Gaussian " + std::to_string(bad / std::max<int64_t>(1, g.n / std::max<int64_t>(1, cloud.count))) + ")");
  }
}

void validateCamera(const Camera& c) {
  if (c.width <= 0 || c.height <= 0)
    throw std::invalid_argument("image size must be positive, got " + std::to_string(c.width) + "x" +
                                std::to_string(c.height));
  if (c.width > kMaxImageSide || c.height > kMaxImageSide)
    throw std::invalid_argument("image side exceeds " + std::to_string(kMaxImageSide) + " px");
  const double vals[] = {c.fx, c.fy, c.cx, c.cy, c.near, c.far};
  for (double v : vals)
    if (!std::isfinite(v)) throw std::invalid_argument("camera intrinsics/near/far must be finite");
  for (double v : c.R)
    if (!std::isfinite(v)) throw std::invalid_argument("camera worldToCamera must be finite");
  for (double v : c.t)
    if (!std::isfinite(v)) throw std::invalid_argument("camera worldToCamera must be finite");
  if (!(c.fx > 0) || !(c.fy > 0)) throw std::invalid_argument("camera focal lengths must be > 0");
  if (!(c.near > 0) || !(c.far > c.near)) throw std::invalid_argument("camera needs 0 < near < far");
}

}  // namespace hf
