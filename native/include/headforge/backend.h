// Backend interface: the trainer and the N-API layer talk only to this, so a CUDA backend can slot in
// beside the CPU one without touching callers. A backend renders one view (forward), keeps what the
// backward pass needs in its own ForwardState, and turns pixel gradients into parameter gradients.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "headforge/types.h"

namespace hf {

// Per-Gaussian screen-space quantities for one view (N = cloud count):
//   mean2d [N*2] px, depth [N] camera z, conic [N*3] (a, b, c) of the inverse 2D covariance
//   [[a b][b c]], opacity [N] sigmoid(logit), color [N*3] clamped SH colour, colorClamped [N*3] 1 where
//   the clamp at 0 was active, radius [N] 3-sigma radius in px (0 = culled), rect [N*4] touched tiles
//   x0 y0 x1 y1 (x1, y1 exclusive). Every field but radius is meaningful only where radius > 0.
//   blend [N*16]: the CPU blending record of each Gaussian (layout: BlendField in src/cpu/blend_view.h), built
//   once per view so per-tile work only gathers it.
struct Preprocessed {
  std::vector<float> mean2d, depth, conic, opacity, color;
  std::vector<uint8_t> colorClamped;
  std::vector<int32_t> radius, rect;
  std::vector<float> blend;
};

// Tile lists: tileStart [tiles+1] offsets into pairGaussian [pairs]; each tile's list holds the indices
// of the Gaussians touching it, sorted front to back by depth (ties by index, so order is deterministic).
struct Binning {
  int tilesX = 0, tilesY = 0;
  std::vector<int64_t> tileStart;
  std::vector<uint32_t> pairGaussian;
  // Scratch kept between calls so a trainer step does not map and fault in fresh pages: the sort keys
  // [pairs] (see binning.cpp).
  std::vector<uint64_t> sortKeys;
};

// Host copy of a forward state (ForwardState::toHost), for parity checks and tests only. Layouts as
// above; per pixel ([H*W]): finalT = transmittance after the last blended Gaussian, lastContrib = one
// past the global pair index (into bins.pairGaussian) of the last Gaussian blended into the pixel.
// pre.blend is filled by the CPU backend only; bins.sortKeys is always empty (scratch, not state).
struct ForwardStateHost {
  Camera camera;
  RenderSettings settings;
  int activeDegree = 0;
  Preprocessed pre;
  Binning bins;
  std::vector<float> finalT;
  std::vector<uint32_t> lastContrib;
};

// What a forward pass of one view leaves for the backward pass of that view, kept where the backend
// computes: host arrays on the CPU, device buffers on CUDA (so a training step moves nothing between
// its forward and its backward). Opaque to callers: make one with Backend::newForwardState() of the
// backend that will fill it, pass it to that backend's forward() and then backward(), never look
// inside. One state can be reused step after step (its buffers grow, and are not shrunk).
class ForwardState {
 public:
  virtual ~ForwardState() = default;
  // A host copy of the state for parity checks and tests: never on a training path (on CUDA it
  // downloads about a dozen buffers and waits for the device). Throws std::logic_error before the
  // state has been filled by a forward pass.
  virtual ForwardStateHost toHost() const = 0;
};

// The concrete state (Concrete, const when `state` is) a backend's forward()/backward() was handed,
// or std::invalid_argument naming `backend` when it is another backend's.
template <typename Concrete, typename State>
auto& backendState(State& state, const char* backend) {
  using Target = std::conditional_t<std::is_const_v<State>, const Concrete, Concrete>;
  auto* concrete = dynamic_cast<Target*>(&state);
  if (!concrete)
    throw std::invalid_argument(std::string("the ") + backend + " backend was given another backend's ForwardState");
  return *concrete;
}

// A backend object keeps scratch between calls: use one per thread.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  // An empty state of this backend's kind, for forward() and backward() (see ForwardState).
  virtual std::unique_ptr<ForwardState> newForwardState() const = 0;
  // Renders `cloud` from `camera`. When `state` is non-null (made by newForwardState() of a backend of
  // the same kind; std::invalid_argument otherwise) it is filled for a later backward().
  virtual void forward(const CloudView& cloud, const Camera& camera, const RenderSettings& settings,
                       RenderOutputs& out, ForwardState* state) = 0;
  // `state`: filled by forward() of this backend kind for the same cloud (std::invalid_argument or
  // std::logic_error otherwise). dLdRgb [H*W*3], dLdAlpha [H*W] or null. Overwrites `grads` (resized
  // to the cloud).
  virtual void backward(const CloudView& cloud, const ForwardState& state, const float* dLdRgb,
                        const float* dLdAlpha, CloudGrads& grads) = 0;
};

std::unique_ptr<Backend> createCpuBackend();
// Which backend the process uses and why: CPU, or CUDA loaded at run time (native/cuda/cuda_loader.h);
// throws when HEADFORGE_RASTER_BACKEND=cuda and no CUDA backend is usable.
std::unique_ptr<Backend> createBestBackend(std::string* reason);
// The CUDA backend, or null with *reason saying why not (library not built, no device, CUDA error).
std::unique_ptr<Backend> createCudaBackend(std::string* reason);

// Throws std::invalid_argument with a message a user can act on.
void validateCloud(const CloudView& cloud);
void validateCamera(const Camera& camera);

}  // namespace hf
